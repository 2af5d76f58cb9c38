/**
 * Golden cases: every `corpus-fixtures/<family>/<case>/case.json` (see corpus-fixtures/README.md).
 *
 * Each case runs in a fresh copy of its workspace, in-process: its command line
 * (`validate TARGETS --root WORKSPACE FLAGS`) is parsed by the CLI's own `validate` command
 * definition and turned into library options by the CLI's own mapping, then `validate()` runs
 * from `src/`. So the goldens check the code being edited, with the CLI's flag semantics; the
 * built CLI itself is exercised by the end-to-end tests in `test/e2e/`. A case whose exit is 2
 * must end in a usage error; any other exception fails the case (the CLI would print an
 * internal error).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateOptionsFromArgv, type ValidateArgs } from "../src/cli/commands/validate.js";
import { validate } from "../src/pipeline.js";
import { UsageError, type Report } from "../src/types.js";
import { PROJECT, copyTree, removeTree, treeDigest } from "./helpers.js";
import { parseValidate } from "./inprocess.js";

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

/**
 * Options parsed once per distinct flag list (yargs costs ~50 ms a parse). Targets (positional
 * strings) and the workspace (`--root`'s string value) are the only per-case parts of a command
 * line, so they are put into the parsed result rather than parsed again; a target that looks
 * like a flag is parsed with the rest.
 */
const parsedFlags = new Map<string, Promise<ValidateArgs>>();
function parseCase(targets: string[], ws: string, flags: string[]): Promise<ValidateArgs> {
  if (targets.some((t) => t.startsWith("-"))) return parseValidate(["validate", ...targets, "--root", ws, "--format", "json", ...flags]);
  const k = JSON.stringify(flags);
  let p = parsedFlags.get(k);
  if (!p) {
    p = parseValidate(["validate", "--root", "WORKSPACE", "--format", "json", ...flags]);
    parsedFlags.set(k, p);
  }
  return p.then((argv) => ({ ...argv, paths: targets, root: ws }));
}

/** What `runprov validate TARGETS --root WS --format json FLAGS` would print and exit with, computed in-process. */
async function runValidate(targets: string[], ws: string, flags: string[]): Promise<{ exit: number; report?: Report; usage?: string }> {
  try {
    const argv = await parseCase(targets, ws, flags);
    const report = await validate(argv.paths, { ...validateOptionsFromArgv(argv), cwd: ws });
    return { exit: report.summary.invalid > 0 ? 1 : 0, report };
  } catch (e) {
    if (e instanceof UsageError) return { exit: 2, usage: e.message };
    throw e; // an internal error: the CLI would exit 2 with "internal error"; the case fails
  }
}

const key = (d: { code: string; severity: string; pointer: string }): string => `${d.severity} ${d.code} ${d.pointer}`;
const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

const cases = findCases();

describe("golden fixtures", { concurrent: true }, () => {
  it("exist for the families", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.for(cases)("$name", async ({ dir }, { expect }) => {
    const spec: CaseFile = JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"));
    const ws = copyTree(path.join(dir, "repo"), "runprov-golden-");
    temps.push(ws);
    const before = treeDigest(ws);
    const run = await runValidate(spec.targets ?? ["."], ws, spec.flags ?? []);
    expect(treeDigest(ws), "a run never writes to the workspace").toEqual(before);
    expect(run.exit, `${spec.description}\n${run.usage ?? JSON.stringify(run.report?.results, null, 1)}`).toBe(spec.exit);
    if (spec.exit === 2) return;
    const report = run.report!;
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

describe("the golden runner", () => {
  it("parses command lines as the CLI does", async () => {
    const argv = await parseValidate(["validate", "a.json", "--root", "/r", "--no-hash", "--strict-json", "--jobs", "3", "--family", "recipe"]);
    expect(argv.paths).toEqual(["a.json"]);
    expect(validateOptionsFromArgv(argv)).toEqual({
      root: "/r",
      family: "recipe",
      requireProvenance: false,
      strictMissing: false,
      strictJson: true,
      strictDrift: false,
      noHash: true,
      jobs: 3,
      unknown: "error",
      allowEmpty: false,
      baseline: undefined,
    });
    await expect(parseValidate(["validate", "--no-such-flag"])).rejects.toBeInstanceOf(UsageError);
    await expect(parseValidate(["validate", "--format", "nope"])).rejects.toBeInstanceOf(UsageError);
    // Parsed once per flag list, with the targets and the workspace put in.
    const cached = await parseCase(["x.json"], "/ws", ["--strict-drift"]);
    const direct = await parseValidate(["validate", "x.json", "--root", "/ws", "--format", "json", "--strict-drift"]);
    expect(validateOptionsFromArgv(cached)).toEqual(validateOptionsFromArgv(direct));
    expect(cached.paths).toEqual(direct.paths);
  });
});
