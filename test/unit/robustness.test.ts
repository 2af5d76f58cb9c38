/**
 * Hostile and malformed input never crashes the pipeline: every valid golden document is
 * mutated many times (seeded, reproducible) and validated in-process; each run must resolve
 * with positioned diagnostics, and never write to the workspace.
 */
import { mkfifoSync } from "./mkfifo.js";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validate } from "../../src/index.js";
import { PROJECT, copyTree, removeTree, treeDigest } from "../helpers.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

/** mulberry32: a tiny seeded PRNG so that a failure names a reproducible seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK: unknown[] = [
  null,
  "",
  -1,
  1e308,
  true,
  {},
  [],
  "x".repeat(5000),
  { path: "../../../../etc/passwd", exists: true, kind: "file", sha256: "0".repeat(64) },
  { path: "/etc/shadow", exists: true, kind: "file", sha256: "1".repeat(64) },
  { path: "model/../../..", exists: true, kind: "directory" },
  { path: "nul\u0000byte", exists: true, kind: "file", sha256: "2".repeat(64) },
  { path: "dev/fifo", exists: true, kind: "file", sha256: "3".repeat(64) },
  [{ path: "", exists: false, kind: "missing" }, 3, null],
  { __proto__: { polluted: true } },
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
];

function mutate(doc: unknown, r: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(doc));
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (nodes.push({ parent: v, key: i }), visit(x)));
    else if (v && typeof v === "object")
      for (const k of Object.keys(v)) (nodes.push({ parent: v as Record<string, unknown>, key: k }), visit((v as Record<string, unknown>)[k]));
  };
  visit(copy);
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits && nodes.length; e++) {
    const { parent, key } = nodes[Math.floor(r() * nodes.length)];
    const action = r();
    if (action < 0.25 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
    else (parent as Record<string | number, unknown>)[key] = JUNK[Math.floor(r() * JUNK.length)];
  }
  return copy;
}

function validDocuments(): { repo: string; file: string }[] {
  const out: { repo: string; file: string }[] = [];
  const root = path.join(PROJECT, "corpus-fixtures");
  for (const famEntry of readdirSync(root, { withFileTypes: true })) {
    const fam = famEntry.name;
    const famDir = path.join(root, fam);
    if (fam.startsWith("_") || !famEntry.isDirectory()) continue;
    for (const c of readdirSync(famDir, { withFileTypes: true })) {
      const caseFile = path.join(famDir, c.name, "case.json");
      if (!c.isDirectory() || !existsSync(caseFile)) continue;
      const spec = JSON.parse(readFileSync(caseFile, "utf8"));
      if (spec.exit !== 0) continue;
      for (const e of spec.expect ?? []) out.push({ repo: path.join(famDir, c.name, "repo"), file: e.file });
    }
  }
  return out;
}

describe("robustness", () => {
  const docs = validDocuments();

  it("has valid documents to mutate", () => {
    expect(docs.length).toBeGreaterThan(3);
  });

  it("never throws, and every diagnostic is positioned, on mutated documents", async () => {
    // The mutations are drawn first, in a fixed order, so that the seed reproduces them; the
    // workspaces are then validated concurrently (each document in its own workspace, in order).
    const r = rng(20261127);
    const perDoc = Math.max(2, Math.ceil(400 / docs.length));
    const plans: { ws: string; file: string; texts: string[] }[] = [];
    const fifos: string[] = [];
    for (const d of docs) {
      const ws = copyTree(d.repo, "runprov-fuzz-");
      temps.push(ws);
      fifos.push(path.join(ws, "dev", "fifo"));
      const text = readFileSync(path.join(ws, d.file), "utf8")
        .replace(/\bNaN\b/g, "null")
        .replace(/-?\bInfinity\b/g, "null");
      let original: unknown;
      try {
        original = JSON.parse(text);
      } catch {
        continue;
      }
      const texts: string[] = [];
      for (let i = 0; i < perDoc; i++) texts.push(JSON.stringify(mutate(original, r), null, 2) + "\n");
      plans.push({ ws, file: d.file, texts });
    }
    mkfifoSync(...fifos);
    const runPlan = async ({ ws, file, texts }: (typeof plans)[number]) => {
      for (const [i, mutated] of texts.entries()) {
        const target = path.join(ws, file);
        writeFileSync(target, mutated);
        const before = treeDigest(ws);
        const report = await validate([file], { root: ws, cwd: ws });
        expect(treeDigest(ws)).toEqual(before);
        for (const res of report.results) {
          for (const diag of res.diagnostics) {
            expect(diag.line, `${file} #${i}: ${diag.code} ${diag.message}`).toBeGreaterThanOrEqual(1);
            expect(diag.pointer === "" || diag.pointer.startsWith("/")).toBe(true);
          }
        }
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < plans.length) await runPlan(plans[next++]);
      }),
    );
    expect(plans.length).toBeGreaterThan(3);
  });
});
