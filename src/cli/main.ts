#!/usr/bin/env node
/**
 * `runprov`: a thin command-line layer over the library. Exit codes (docs/contract.md): 0 every
 * artifact valid; 1 at least one invalid; 2 usage error or a named path that cannot be read.
 * Never a stack trace: unexpected failures print one line (RUNPROV_DEBUG=1 shows the stack).
 */
import { PACKAGE_VERSION } from "../paths.js";
import { UsageError } from "../types.js";

// A closed pipe (`runprov ... | head`) is not an error worth a trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

/** Options that legitimately take several values; any other option given twice is a usage error. */
const MULTI_VALUED = new Set(["_", "$0", "paths", "verdict", "reports"]);

/** yargs turns a repeated option into an array; one that takes one value must not be given twice. */
function refuseRepeatedOptions(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    // yargs also stores camelCase twins of dashed options; the dashed name is the one users type.
    if (!Array.isArray(value) || MULTI_VALUED.has(key) || /[A-Z]/.test(key)) continue;
    const flag = key.length === 1 ? `-${key}` : `--${key}`;
    throw new UsageError(`${flag} was given ${value.length} times; it takes one value`);
  }
}

function fail(message: string, code = 2): never {
  process.stderr.write(`runprov: ${message}\n`);
  process.exit(code);
}

async function main(args: string[]): Promise<void> {
  // `runprov --version` alone (tools probe it on every run) answers before yargs or any command loads.
  if (args.length === 1 && args[0] === "--version") {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return;
  }
  const [{ default: yargs }, { COMMANDS, commandsFor }] = await Promise.all([import("yargs"), import("./commands/index.js")]);
  const cli = yargs(args).scriptName("runprov").version(PACKAGE_VERSION);
  for (const command of await commandsFor(args)) cli.command(command);
  cli
    .middleware(refuseRepeatedOptions, true)
    .demandCommand(1, `name a command: ${Object.keys(COMMANDS).join(", ")}`)
    .strict()
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err && !(err instanceof UsageError)) throw err;
      fail(`${err?.message ?? msg}\n(runprov --help lists commands and flags)`);
    });
  await cli.parseAsync();
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) fail(e.message);
  const err = e as Error;
  if (process.env.RUNPROV_DEBUG) process.stderr.write(`${err?.stack ?? String(e)}\n`);
  fail(`internal error: ${err?.message ?? String(e)}`);
});
