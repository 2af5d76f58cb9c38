/**
 * Golden cases: every `corpus-fixtures/<family>/<case>/case.json` (see corpus-fixtures/README.md).
 * Each case runs the built CLI in a fresh copy of its workspace, as a user would.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../src/types.js";
import { PROJECT, copyTree, removeTree, runCli, treeDigest } from "./helpers.js";

interface CaseFile {
  description: string;
  flags?: string[];
  targets?: string[];
  exit: number;
  skipped?: number;
  expect: {
    file: string;
    family: string | null;
    variant?: string | null;
    valid: boolean;
    diagnostics: { code: string; severity: string; pointer: string }[];
  }[];
}

const FIXTURES = path.join(PROJECT, "corpus-fixtures");

function findCases(): { name: string; dir: string }[] {
  const out: { name: string; dir: string }[] = [];
  for (const family of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!family.isDirectory() || family.name.startsWith("_")) continue;
    const famDir = path.join(FIXTURES, family.name);
    for (const c of readdirSync(famDir, { withFileTypes: true })) {
      const dir = path.join(famDir, c.name);
      if (c.isDirectory() && existsSync(path.join(dir, "case.json"))) out.push({ name: `${family.name}/${c.name}`, dir });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const key = (d: { code: string; severity: string; pointer: string }): string => `${d.severity} ${d.code} ${d.pointer}`;
const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

const cases = findCases();

describe("golden fixtures", () => {
  it("exist for the families", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)("$name", ({ dir }) => {
    const spec: CaseFile = JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"));
    const ws = copyTree(path.join(dir, "repo"), "runprov-golden-");
    temps.push(ws);
    const before = treeDigest(ws);
    const run = runCli(["validate", ...(spec.targets ?? ["."]), "--root", ws, "--format", "json", ...(spec.flags ?? [])], ws);
    expect(run.stderr, spec.description).not.toMatch(/\n\s+at /); // never a stack trace
    expect(treeDigest(ws), "a run never writes to the workspace").toEqual(before);
    expect(run.code, `${spec.description}\n${run.stdout}\n${run.stderr}`).toBe(spec.exit);
    if (spec.exit === 2) return;
    const report: Report = JSON.parse(run.stdout);
    if (spec.skipped !== undefined) expect(report.summary.skipped).toBe(spec.skipped);
    const got = new Map(report.results.map((r) => [r.file, r]));
    expect([...got.keys()].sort(), "every result is expected").toEqual(spec.expect.map((e) => e.file).sort());
    for (const e of spec.expect) {
      const r = got.get(e.file)!;
      const ctx = `${e.file}: ${JSON.stringify(r.diagnostics, null, 1)}`;
      expect(r.family, ctx).toBe(e.family);
      if (e.variant !== undefined) expect(r.variant, ctx).toBe(e.variant);
      expect(r.valid, ctx).toBe(e.valid);
      expect(r.diagnostics.map(key).sort(), ctx).toEqual(e.diagnostics.map(key).sort());
      for (const d of r.diagnostics) {
        if (d.code === "parse-error" && d.line === undefined) continue;
        expect(d.line, `${ctx} line`).toBeGreaterThanOrEqual(1);
        expect(d.column, `${ctx} column`).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
