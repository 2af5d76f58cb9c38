/**
 * `runprov validate` and `runprov gate registry-flip` run in-process, from `src/`: the command
 * line is parsed by the CLI's own command definitions (yargs), turned into library options by
 * the CLI's own mapping, and the report is rendered as the CLI renders it. The result has the
 * shape of a spawned run (`code`, `stdout`, `stderr`), so a test reads the same either way; the
 * built CLI itself is covered by the end-to-end tests in `test/e2e/`.
 *
 * Exit codes as the CLI gives them: 0/1 from the report, 2 for a usage error (stderr
 * `runprov: <message>`, nothing on stdout). Any other exception is rethrown: the CLI would call
 * it an internal error, and a test must fail on it.
 */
import path from "node:path";
import yargs, { type CommandModule } from "yargs";
import { registryFlipCommand, registryFlipOptionsFromArgv, type RegistryFlipArgs } from "../src/cli/commands/gate.js";
import { validateCommand, validateOptionsFromArgv, type ValidateArgs } from "../src/cli/commands/validate.js";
import { registryFlip } from "../src/gate/registry-flip.js";
import { renderGate } from "../src/report/formats.js";
import { resolveRoot, validate } from "../src/pipeline.js";
import { renderReport } from "../src/report/index.js";
import { UsageError } from "../src/types.js";
import type { CliRun } from "./helpers.js";

/** Parse `args` with one command definition; yargs' own complaints become UsageErrors. */
export async function parseCommand<A>(command: CommandModule<object, A>, args: string[]): Promise<A> {
  let parsed: A | undefined;
  await yargs(args)
    .command({ ...command, handler: (argv: A) => void (parsed = argv) } as CommandModule<object, A>)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err instanceof UsageError || !err ? new UsageError(err?.message ?? msg) : err;
    })
    .parseAsync();
  if (parsed === undefined) throw new UsageError(`not a ${String(command.command)} command line: ${args.join(" ")}`);
  return parsed;
}

export const parseValidate = (args: string[]): Promise<ValidateArgs> => parseCommand(validateCommand, args);
export const parseRegistryFlip = (args: string[]): Promise<RegistryFlipArgs> => parseCommand(registryFlipCommand, args);

async function usage(fn: () => Promise<CliRun>): Promise<CliRun> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, stdout: "", stderr: `runprov: ${e.message}\n` };
    throw e;
  }
}

/** `runprov validate ...` in-process; `args` start with `validate`. */
export function validateInProcess(args: string[], cwd: string): Promise<CliRun> {
  return usage(async () => {
    const argv = await parseValidate(args);
    const report = await validate(argv.paths, { ...validateOptionsFromArgv(argv), cwd });
    const { root } = await resolveRoot({ root: argv.root, cwd });
    const stdout = renderReport(report, argv.format, { quiet: argv.quiet, color: false, root });
    return { code: report.summary.invalid > 0 ? 1 : 0, stdout, stderr: "" };
  });
}

/** `runprov gate registry-flip ...` in-process; `args` start with `gate`, `registry-flip`. */
export function gateInProcess(args: string[], cwd: string): Promise<CliRun> {
  return usage(async () => {
    if (args[0] !== "gate" || args[1] !== "registry-flip") throw new Error(`not a gate registry-flip command line: ${args.join(" ")}`);
    const argv = await parseRegistryFlip(args.slice(1));
    const result = await registryFlip({ ...registryFlipOptionsFromArgv(argv), cwd: path.resolve(cwd) });
    const stdout = renderGate(result, argv.format, { color: false, quiet: argv.quiet });
    return { code: result.pass ? 0 : 1, stdout, stderr: "" };
  });
}

/** Either command, in-process, by its first word. */
export function runInProcess(args: string[], cwd: string): Promise<CliRun> {
  if (args[0] === "validate") return validateInProcess(args, cwd);
  if (args[0] === "gate") return gateInProcess(args, cwd);
  throw new Error(`runInProcess: unsupported command ${args[0]}`);
}
