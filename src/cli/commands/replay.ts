/**
 * `runprov replay ARTIFACT [--format text|json]`: the commit, the command and the state of each
 * recorded input, to run the recorded run again. Text is a POSIX shell script to read and run;
 * runprov itself runs nothing. Exit 0 when a commit holds the recorded entrypoint, 1 when none
 * does (or the artifact records no run), 2 on usage errors.
 */
import type { Argv, CommandModule } from "yargs";
import { replay } from "../../lineage/replay.js";
import { FORMATS } from "../../report/formats.js";
import { emit, warn } from "../io.js";
import { formatOption, JOBS_OPTION, ROOT_OPTION, type FormatArg } from "../options.js";

interface ReplayArgs {
  artifact: string;
  root?: string;
  format: FormatArg<"replay">;
  jobs?: number;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: "replay <artifact>",
  describe: "Print how to run a recorded run again: its commit, its command, the state of its inputs (a shell script)",
  builder: (y: Argv) =>
    y
      .positional("artifact", { type: "string", demandOption: true, describe: "the artifact whose run_provenance records the run" })
      .option("root", ROOT_OPTION)
      .option("format", formatOption("replay"))
      .option("jobs", JOBS_OPTION) as unknown as Argv<ReplayArgs>,
  handler: async (argv) => {
    const plan = await replay(argv.artifact, { root: argv.root, jobs: argv.jobs, onWarning: warn });
    await emit(FORMATS.replay.render(plan, argv.format, {}));
    if (!plan.commit) process.stderr.write(`runprov replay: no commit to replay at: ${plan.why ?? "unknown"}\n`);
    process.exitCode = plan.commit ? 0 : 1;
  },
};
