/**
 * Every command, by the word typed after `runprov`, with the module that defines it. A run loads
 * only the module of the command it names (start-up is most of what a pre-commit hook waits
 * for); `--help`, an unknown command or none at all load them all, for the command list and
 * the "did you mean" suggestion.
 */
import type { CommandModule } from "yargs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own argument type
type AnyCommand = CommandModule<any, any>;

export const COMMANDS: Record<string, () => Promise<AnyCommand>> = {
  validate: async () => (await import("./validate.js")).validateCommand,
  gate: async () => (await import("./gate.js")).gateCommand,
  families: async () => (await import("./families.js")).familiesCommand,
  schema: async () => (await import("./schema.js")).schemaCommand,
  attest: async () => (await import("./attest.js")).attestCommand,
  baseline: async () => (await import("./baseline.js")).baselineCommand,
  trace: async () => (await import("./trace.js")).traceCommand,
  diff: async () => (await import("./diff.js")).diffCommand,
  replay: async () => (await import("./replay.js")).replayCommand,
  merge: async () => (await import("./merge.js")).mergeCommand,
};

/** The modules a command line needs: the named command's alone when it is the first word, else every one. */
export async function commandsFor(args: readonly string[]): Promise<AnyCommand[]> {
  const first = args[0];
  const names = first !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  return Promise.all(names.map((n) => COMMANDS[n]!()));
}
