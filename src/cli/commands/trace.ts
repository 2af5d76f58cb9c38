/**
 * `runprov trace PATH [--format text|json|markdown|mermaid|dot]`: every recorded claim about PATH
 * and, transitively, about what produced it, each judged by the hash policy. Exit 0 when no claim
 * on the trace is judged an error, 1 when one is, 2 on usage errors (also when nothing under the
 * root records PATH and PATH records nothing: a trace of nothing cannot pass).
 */
import type { Argv, CommandModule } from "yargs";
import { trace } from "../../lineage/trace.js";
import { FORMATS } from "../../report/formats.js";
import { UsageError } from "../../types.js";
import { colorEnabled, emit, warn } from "../io.js";
import { formatOption, JOBS_OPTION, ROOT_OPTION, type FormatArg } from "../options.js";

interface TraceArgs {
  path: string;
  root?: string;
  format: FormatArg<"trace">;
  jobs?: number;
  "strict-missing": boolean;
  "strict-drift": boolean;
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  command: "trace <path>",
  describe: "Every recorded claim about PATH and about what produced it, each link judged by the hash policy",
  builder: (y: Argv) =>
    y
      .positional("path", { type: "string", demandOption: true, describe: "any file under the root: an ONNX, a corpus file, a sidecar, a report" })
      .option("root", ROOT_OPTION)
      .option("format", formatOption("trace"))
      .option("jobs", JOBS_OPTION)
      .option("strict-missing", { type: "boolean", default: false, describe: "referenced files that do not exist are errors" })
      .option("strict-drift", {
        type: "boolean",
        default: false,
        describe: "every provenance digest difference is an error, whatever git history says",
      }) as unknown as Argv<TraceArgs>,
  handler: async (argv) => {
    const result = await trace(argv.path, {
      root: argv.root,
      jobs: argv.jobs,
      strictMissing: argv["strict-missing"],
      strictDrift: argv["strict-drift"],
      onWarning: warn,
    });
    if (result.claims.length === 0) {
      throw new UsageError(`${argv.path}: nothing to trace: no artifact under the root records ${result.subject}, and it records nothing itself`);
    }
    await emit(FORMATS.trace.render(result, argv.format, { color: argv.format === "text" && colorEnabled() }));
    process.exitCode = result.ok ? 0 : 1;
  },
};
