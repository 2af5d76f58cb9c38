/** `runprov validate [PATH|DIR|GLOB ...]`: the main job. */
import type { Argv, CommandModule } from "yargs";
import { resolveRoot, validate } from "../../pipeline.js";
import { createProgressBar } from "../../progress.js";
import { FORMATS } from "../../report/formats.js";
import { parseShard } from "../../shard.js";
import { UNKNOWN_POLICIES, type UnknownPolicy, type ValidateOptions } from "../../types.js";
import { colorEnabled, emit, warn } from "../io.js";
import { formatOption, type FormatArg } from "../options.js";

/** The options that decide what is checked and how (shared by `validate` and `baseline`). */
export interface CheckArgs {
  paths: string[];
  root?: string;
  family?: string;
  "require-provenance": boolean;
  "strict-missing": boolean;
  "strict-json": boolean;
  "strict-drift": boolean;
  hash: boolean;
  jobs?: number;
  unknown: UnknownPolicy;
  "allow-empty": boolean;
}

export interface ValidateArgs extends CheckArgs {
  format: FormatArg<"validate">;
  quiet: boolean;
  /** A file, or false for `--no-baseline`. */
  baseline?: string | false;
}

/** `validate`'s options for large repositories (docs/contract.md, "Scale"). */
export interface ScaleArgs {
  cache?: boolean;
  "cache-location"?: string;
  /** `I/N`. */
  shard?: string;
}

export function checkOptions(y: Argv): Argv {
  return y
    .positional("paths", { type: "string", array: true, default: [], describe: "files, directories (walked) or globs; default: the current directory" })
    .option("root", { type: "string", describe: "repository root that descriptor paths are relative to (default: git top level, else the current directory)" })
    .option("family", { type: "string", describe: "check every named file as this family" })
    .option("require-provenance", { type: "boolean", default: false, describe: "a family that carries run_provenance must have it" })
    .option("strict-missing", { type: "boolean", default: false, describe: "referenced files that do not exist are errors" })
    .option("strict-json", { type: "boolean", default: false, describe: "NaN/Infinity tokens are errors" })
    .option("strict-drift", { type: "boolean", default: false, describe: "every provenance digest difference is an error, whatever git history says" })
    .option("hash", { type: "boolean", default: true, describe: "recompute digests (--no-hash: schema checks only)" })
    .option("jobs", { type: "number", describe: "parallel hashing workers (default: number of CPUs)" })
    .option("unknown", {
      choices: UNKNOWN_POLICIES,
      default: "error" as UnknownPolicy,
      describe: "a named file that is no artifact (or a named model nothing vouches for): unknown-family error, warning, or skipped",
    })
    .option("allow-empty", {
      type: "boolean",
      default: false,
      describe: "exit 0 when the paths select no artifact (default: usage error, so a gate cannot pass vacuously)",
    });
}

/** The library options a parsed command line stands for (the golden tests use it too, so the two cannot drift). */
export function validateOptionsFromArgv(argv: CheckArgs & ScaleArgs & { baseline?: string | false }): ValidateOptions {
  const location = argv["cache-location"];
  const scale: ValidateOptions = {};
  // --cache-location names where the cache is, so it turns --cache on.
  if (argv.cache || location !== undefined) scale.cache = location !== undefined ? { location } : true;
  if (argv.shard !== undefined) scale.shard = parseShard(argv.shard);
  return {
    ...scale,
    root: argv.root,
    family: argv.family,
    requireProvenance: argv["require-provenance"],
    strictMissing: argv["strict-missing"],
    strictJson: argv["strict-json"],
    strictDrift: argv["strict-drift"],
    noHash: !argv.hash,
    jobs: argv.jobs,
    unknown: argv.unknown,
    allowEmpty: argv["allow-empty"],
    baseline: argv.baseline,
  };
}

export const validateCommand: CommandModule<object, ValidateArgs & ScaleArgs> = {
  command: "validate [paths..]",
  describe: "Check artifacts against their schemas and recompute the digests they record",
  builder: (y: Argv) =>
    checkOptions(y)
      .option("format", formatOption("validate"))
      .option("quiet", { type: "boolean", default: false, describe: "print only failing artifacts" })
      .option("baseline", {
        type: "string",
        describe: "baseline of accepted errors to apply (default: <root>/.runprov-baseline.json when it exists; --no-baseline: none)",
      })
      .option("cache", {
        type: "boolean",
        default: false,
        describe:
          "reuse digests of files unchanged since an earlier run (device, inode, size, mtime, ctime), kept in <git-dir>/runprov/ or the user's cache directory",
      })
      .option("cache-location", { type: "string", describe: "folder of the digest cache (implies --cache); never in the working tree" })
      .option("shard", {
        type: "string",
        describe: "I/N: check only the I-th of N deterministic parts of the selection (join the JSON reports with runprov merge)",
      }) as unknown as Argv<ValidateArgs & ScaleArgs>,
  handler: async (argv) => {
    const bar = createProgressBar();
    const report = await validate(argv.paths, { ...validateOptionsFromArgv(argv), onHashProgress: bar.update, onWarning: warn }).finally(() => bar.done());
    // Report paths are relative to the resolved root (the git top level by default).
    const { root } = await resolveRoot({ root: argv.root });
    await emit(
      FORMATS.validate.render(report, argv.format, {
        quiet: argv.quiet,
        color: colorEnabled(),
        root,
      }),
    );
    process.exitCode = report.summary.invalid > 0 ? 1 : 0;
  },
};
