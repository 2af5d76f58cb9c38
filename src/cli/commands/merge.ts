/**
 * `runprov merge REPORT.json ... [--format F]`: the JSON reports of the shards of one run
 * (`validate --shard I/N --format json`) joined into the report, in any format, and the exit
 * code that one unsharded run gives (docs/contract.md, "Scale"; checks in src/merge.ts).
 */
import path from "node:path";
import type { Argv, CommandModule } from "yargs";
import { mergeReports, readReportFile } from "../../merge.js";
import { resolveRoot } from "../../pipeline.js";
import { FORMATS } from "../../report/formats.js";
import type { Report } from "../../types.js";
import { colorEnabled, emit } from "../io.js";
import { formatOption, ROOT_OPTION, type FormatArg } from "../options.js";

export interface MergeArgs {
  reports: string[];
  root?: string;
  format: FormatArg<"merge">;
  quiet: boolean;
  "allow-empty": boolean;
}

/** The merged report of the files a command line names (paths relative to `cwd`). */
export function mergeFromArgv(argv: Pick<MergeArgs, "reports" | "allow-empty">, cwd = process.cwd()): Report {
  const inputs = argv.reports.map((r) => readReportFile(path.resolve(cwd, r), r));
  return mergeReports(inputs, { allowEmpty: argv["allow-empty"] });
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: "merge <reports..>",
  describe: "Join the JSON reports of validate --shard I/N runs into the report and exit code of one run",
  builder: (y: Argv) =>
    y
      .positional("reports", { type: "string", array: true, demandOption: true, describe: "JSON reports of validate --shard I/N --format json, one per shard" })
      .option("root", { ...ROOT_OPTION, describe: `${ROOT_OPTION.describe}; for code frames and SARIF locations` })
      .option("format", formatOption("merge"))
      .option("quiet", { type: "boolean", default: false, describe: "print only failing artifacts" })
      .option("allow-empty", {
        type: "boolean",
        default: false,
        describe: "exit 0 when no report holds an artifact (default: usage error, as validate)",
      }) as unknown as Argv<MergeArgs>,
  handler: async (argv) => {
    const report = mergeFromArgv(argv);
    const { root } = await resolveRoot({ root: argv.root });
    await emit(FORMATS.merge.render(report, argv.format, { quiet: argv.quiet, color: colorEnabled(), root }));
    process.exitCode = report.summary.invalid > 0 ? 1 : 0;
  },
};
