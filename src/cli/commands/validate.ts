/** `runprov validate [PATH|DIR|GLOB ...]`: the main job. */
import type { Argv, CommandModule } from "yargs";
import { resolveRoot, validate } from "../../pipeline.js";
import { createProgressBar } from "../../progress.js";
import { REPORT_FORMATS, renderReport, type ReportFormat } from "../../report/index.js";
import type { ValidateOptions } from "../../types.js";
import { colorEnabled, emit } from "../io.js";

export interface ValidateArgs {
  paths: string[];
  root?: string;
  family?: string;
  format: ReportFormat;
  "require-provenance": boolean;
  "strict-missing": boolean;
  "strict-json": boolean;
  "strict-drift": boolean;
  hash: boolean;
  jobs?: number;
  quiet: boolean;
}

/** The library options a parsed command line stands for (the golden tests use it too, so the two cannot drift). */
export function validateOptionsFromArgv(argv: ValidateArgs): ValidateOptions {
  return {
    root: argv.root,
    family: argv.family,
    requireProvenance: argv["require-provenance"],
    strictMissing: argv["strict-missing"],
    strictJson: argv["strict-json"],
    strictDrift: argv["strict-drift"],
    noHash: !argv.hash,
    jobs: argv.jobs,
  };
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: "validate [paths..]",
  describe: "Check artifacts against their schemas and recompute the digests they record",
  builder: (y: Argv) =>
    y
      .positional("paths", { type: "string", array: true, default: [], describe: "files, directories (walked) or globs; default: the current directory" })
      .option("root", { type: "string", describe: "repository root that descriptor paths are relative to (default: git top level, else the current directory)" })
      .option("family", { type: "string", describe: "check every named file as this family" })
      .option("format", { choices: REPORT_FORMATS, default: "text" as ReportFormat, describe: "report format on stdout" })
      .option("require-provenance", { type: "boolean", default: false, describe: "a family that carries run_provenance must have it" })
      .option("strict-missing", { type: "boolean", default: false, describe: "referenced files that do not exist are errors" })
      .option("strict-json", { type: "boolean", default: false, describe: "NaN/Infinity tokens are errors" })
      .option("strict-drift", { type: "boolean", default: false, describe: "every provenance digest difference is an error, whatever git history says" })
      .option("hash", { type: "boolean", default: true, describe: "recompute digests (--no-hash: schema checks only)" })
      .option("jobs", { type: "number", describe: "parallel hashing workers (default: number of CPUs)" })
      .option("quiet", { type: "boolean", default: false, describe: "print only failing artifacts" }) as unknown as Argv<ValidateArgs>,
  handler: async (argv) => {
    const bar = createProgressBar();
    const report = await validate(argv.paths, { ...validateOptionsFromArgv(argv), onHashProgress: bar.update }).finally(() => bar.done());
    // Report paths are relative to the resolved root (the git top level by default).
    const { root } = await resolveRoot({ root: argv.root });
    await emit(
      renderReport(report, argv.format, {
        quiet: argv.quiet,
        color: colorEnabled(),
        root,
      }),
    );
    process.exitCode = report.summary.invalid > 0 ? 1 : 0;
  },
};
