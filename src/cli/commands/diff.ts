/**
 * `runprov diff A B [--format text|json|markdown]`: two versions of an artifact (files, or git
 * revisions of one: `REV:path`), the block first. Exit 0 when they are equal, 1 when they
 * differ, 2 on usage errors (an operand that cannot be read or is not JSON).
 */
import type { Argv, CommandModule } from "yargs";
import { diff } from "../../lineage/diff.js";
import { FORMATS } from "../../report/formats.js";
import { colorEnabled, emit, warn } from "../io.js";
import { formatOption, ROOT_OPTION, type FormatArg } from "../options.js";

interface DiffArgs {
  a: string;
  b: string;
  root?: string;
  format: FormatArg<"diff">;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: "diff <a> <b>",
  describe: "Compare two versions of an artifact (files or REV:path), the run_provenance block first",
  builder: (y: Argv) =>
    y
      .positional("a", { type: "string", demandOption: true, describe: "a file, or REV:path (e.g. HEAD:model/tiny/vmaf_tiny_v3.json)" })
      .positional("b", { type: "string", demandOption: true, describe: "a file, or REV:path" })
      .option("root", ROOT_OPTION)
      .option("format", formatOption("diff")) as unknown as Argv<DiffArgs>,
  handler: async (argv) => {
    const result = await diff(String(argv.a), String(argv.b), { root: argv.root, onWarning: warn });
    await emit(FORMATS.diff.render(result, argv.format, { color: argv.format === "text" && colorEnabled() }));
    process.exitCode = result.equal ? 0 : 1;
  },
};
