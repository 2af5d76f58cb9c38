/** Options several commands take, described once (the lineage commands use them). */

export const ROOT_OPTION = {
  type: "string",
  describe: "repository root that descriptor paths are relative to (default: git top level, else the current directory)",
} as const;

export const JOBS_OPTION = { type: "number", describe: "parallel hashing workers (default: number of CPUs)" } as const;
