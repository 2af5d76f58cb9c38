#!/usr/bin/env node
/**
 * `runprov`: a thin command-line layer over the library. Exit codes (docs/contract.md): 0 every
 * artifact valid; 1 at least one invalid; 2 usage error or a named path that cannot be read.
 * Never a stack trace: unexpected failures print one line (RUNPROV_DEBUG=1 shows the stack).
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { TOOL_VERSION } from "../pipeline.js";
import { UsageError } from "../types.js";
import { validateCommand } from "./commands/validate.js";

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

async function main(): Promise<void> {
  const cli = yargs(hideBin(process.argv))
    .scriptName("runprov")
    .version(TOOL_VERSION)
    .command(validateCommand)
    .command((await import("./commands/gate.js")).gateCommand)
    .command((await import("./commands/families.js")).familiesCommand)
    .command((await import("./commands/schema.js")).schemaCommand)
    .command((await import("./commands/attest.js")).attestCommand)
    .command((await import("./commands/baseline.js")).baselineCommand)
    .command((await import("./commands/trace.js")).traceCommand)
    .command((await import("./commands/diff.js")).diffCommand)
    .command((await import("./commands/replay.js")).replayCommand)
    .command((await import("./commands/merge.js")).mergeCommand)
    .middleware(refuseRepeatedOptions, true)
    .demandCommand(1, "name a command: validate, baseline, families, schema, gate, attest, trace, diff, replay, merge")
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

main().catch((e: unknown) => {
  if (e instanceof UsageError) fail(e.message);
  const err = e as Error;
  if (process.env.RUNPROV_DEBUG) process.stderr.write(`${err?.stack ?? String(e)}\n`);
  fail(`internal error: ${err?.message ?? String(e)}`);
});
