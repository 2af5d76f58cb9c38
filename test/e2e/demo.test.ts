/** The README's quick start: `npx runprov validate corpus-fixtures/demo --root corpus-fixtures/demo`. */
import { describe, expect, it } from "vitest";
import { PROJECT, runCli } from "../helpers.js";

describe("quick-start demo", () => {
  it("passes, shows every kind of artifact, and prints a summary", () => {
    const run = runCli(["validate", "corpus-fixtures/demo", "--root", "corpus-fixtures/demo"], PROJECT);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/4 artifact\(s\): 4 valid, 0 invalid, 0 skipped; hashes: \d+ verified, 0 mismatched/);
    for (const family of ["model-sidecar/vmaf-tiny", "verdict/PROMOTE", "quant-report/ptq-dynamic-report-v1", "run-manifest/envelope"]) {
      expect(run.stdout).toContain(family);
    }
  });
});
