/** Options several commands take, described once. */
import { FORMATS, type FormatCommand } from "../report/formats.js";

export const ROOT_OPTION = {
  type: "string",
  describe: "repository root that descriptor paths are relative to (default: git top level, else the current directory)",
} as const;

export const JOBS_OPTION = { type: "number", describe: "parallel hashing workers (default: number of CPUs)" } as const;

/** A format `command` supports (src/report/formats.ts). */
export type FormatArg<C extends FormatCommand> = (typeof FORMATS)[C]["formats"][number];

/** `--format` of `command`: its formats from the registry, the first by default. */
export function formatOption<C extends FormatCommand>(command: C) {
  const table = FORMATS[command];
  return { choices: table.formats as readonly FormatArg<C>[], default: table.formats[0] as FormatArg<C>, describe: table.describe };
}
