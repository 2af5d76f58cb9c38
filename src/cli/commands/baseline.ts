/**
 * `runprov baseline [PATH ...] [--output FILE] [--prune]`: record the errors of legacy
 * artifacts so that a rule can be switched on with them in place (docs/contract.md, "Adoption").
 * Use the flags the check itself uses (e.g. `--require-provenance`), so that the baseline
 * accepts exactly what that check finds.
 */
import path from "node:path";
import type { Argv, CommandModule } from "yargs";
import { updateBaseline } from "../../baseline/update.js";
import { resolveRoot } from "../../pipeline.js";
import { emit, warn } from "../io.js";
import { checkOptions, validateOptionsFromArgv, type CheckArgs } from "./validate.js";

interface BaselineArgs extends CheckArgs {
  output?: string;
  prune: boolean;
}

export const baselineCommand: CommandModule<object, BaselineArgs> = {
  command: "baseline [paths..]",
  describe: "Write .runprov-baseline.json: the errors legacy artifacts have today, accepted until each file changes",
  builder: (y: Argv) =>
    checkOptions(y)
      .option("output", { type: "string", describe: "file to write (default: <root>/.runprov-baseline.json)" })
      .option("prune", { type: "boolean", default: false, describe: "only drop entries whose artifact changed or vanished" }) as unknown as Argv<BaselineArgs>,
  handler: async (argv) => {
    const u = await updateBaseline(argv.paths, { ...validateOptionsFromArgv(argv), onWarning: warn, output: argv.output, prune: argv.prune });
    const { root } = await resolveRoot({ root: argv.root });
    const rel = path.relative(root, u.file);
    const shown = rel && !rel.startsWith("..") ? rel.split(path.sep).join("/") : u.file;
    const refused = u.refused ? `; ${u.refused} error(s) not accepted (a digest of another file, an unreadable file, ...: a baseline never hides them)` : "";
    await emit(`runprov: ${shown}: ${u.entries} artifact(s) with accepted errors (${u.added} added, ${u.updated} updated, ${u.removed} removed)${refused}\n`);
  },
};
