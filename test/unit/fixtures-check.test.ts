/** scripts/fixtures.mjs: how the drift check compares regenerated golden cases with the committed ones. */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { differences } from "../../scripts/fixtures.mjs";

describe("the fixture drift check", () => {
  it("names every file that differs, is missing or was never committed", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "runprov-fxcheck-"));
    const f = (name: string, text: string): string => {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const committed = new Map([
      ["a/case/case.json", f("c1", "{}\n")],
      ["a/case/repo/x.json", f("c2", "1\n")],
      ["a/case/repo/gone.json", f("c3", "2\n")],
    ]);
    const regenerated = new Map([
      ["a/case/case.json", f("r1", "{}\n")],
      ["a/case/repo/x.json", f("r2", "3\n")],
      ["a/case/repo/new.json", f("r3", "4\n")],
    ]);
    expect(differences(committed, regenerated)).toEqual([
      ["a/case/repo/gone.json", "missing from the regenerated cases"],
      ["a/case/repo/new.json", "written by a generator but not committed"],
      ["a/case/repo/x.json", "differs from what its generator writes"],
    ]);
    expect(differences(committed, committed)).toEqual([]);
  });
});
