/**
 * Property-based fuzzing (fast-check, fixed seed, bounded) of the parser and the whole
 * pipeline with mutants of real artifacts: the valid documents of the golden cases, with bytes
 * flipped, tokens inserted (NaN, duplicate keys, deep nesting, invalid UTF-8, NUL), ranges
 * deleted, truncated, or duplicated. Whatever the input:
 * - no exception escapes (the library raises only UsageError, the CLI's exit 2);
 * - every diagnostic is positioned (line and column), but a parse error whose position is unknown;
 * - the validity of the result agrees with its errors;
 * - no mutant takes long (a hang detector, not a benchmark).
 */
import { readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadBuffer } from "../../src/load/index.js";
import { validate } from "../../src/pipeline.js";
import { UsageError, type Report } from "../../src/types.js";
import { PROJECT } from "../helpers.js";
import { scratch, write } from "./lib.js";

const SEED = 20261201;

/** JSON documents of the golden cases' workspaces (a bounded, varied sample). */
function seeds(limit: number): { rel: string; bytes: Buffer }[] {
  const out: { rel: string; bytes: Buffer }[] = [];
  const root = path.join(PROJECT, "corpus-fixtures");
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== "conformance" && e.name !== "snapshots") walk(p);
      else if (e.isFile() && e.name.endsWith(".json") && e.name !== "case.json" && p.includes(`${path.sep}repo${path.sep}`) && statSync(p).size < 64 * 1024) {
        out.push({ rel: path.relative(root, p).split(path.sep).slice(3).join("/"), bytes: readFileSync(p) });
      }
    }
  };
  walk(root);
  // Every k-th document: all families are represented, the sample stays small.
  const step = Math.max(1, Math.floor(out.length / limit));
  return out.filter((_, i) => i % step === 0).slice(0, limit);
}

const TOKENS = [
  "NaN",
  "-Infinity",
  "Infinity",
  '"k": 1, "k": 2, ',
  "[[[[[[[[",
  "]]]]",
  '"__proto__": {"x": 1}, ',
  ",",
  "}",
  "{",
  "1e999",
  "\u0000",
  '"\\ud800"',
  "\ufeff",
  '"',
  "\\",
  "null",
  "[".repeat(600),
];

type Mutation =
  | { kind: "flip"; at: number; bits: number }
  | { kind: "insert"; at: number; token: string }
  | { kind: "invalid-utf8"; at: number; byte: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate"; at: number; length: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant("invalid-utf8" as const), at: fc.nat(), byte: fc.constantFrom(0x80, 0xc0, 0xf5, 0xff, 0xed) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }),
);

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let b = Buffer.from(bytes);
  for (const m of mutations) {
    const at = b.length ? m.at % (b.length + 1) : 0;
    switch (m.kind) {
      case "flip":
        if (b.length) b[at % b.length] ^= m.bits;
        break;
      case "insert":
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.token), b.subarray(at)]);
        break;
      case "invalid-utf8":
        b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
        break;
      case "delete":
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case "truncate":
        b = b.subarray(0, at);
        break;
      case "duplicate":
        b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

function positioned(d: { code: string; line?: number; column?: number }): boolean {
  if (d.line === undefined && d.column === undefined) return d.code === "parse-error";
  return Number.isInteger(d.line) && d.line! >= 1 && Number.isInteger(d.column) && d.column! >= 1;
}

describe("fuzzing mutants of real artifacts", () => {
  const docs = seeds(40);

  it("has a varied sample", () => {
    expect(docs.length).toBeGreaterThanOrEqual(30);
  });

  it("the loader never throws and positions every diagnostic (4,000 mutants)", () => {
    fc.assert(
      fc.property(fc.nat({ max: docs.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (i, muts) => {
        const input = mutate(docs[i].bytes, muts);
        const t = performance.now();
        const r = loadBuffer(input, { strictJson: muts.length % 2 === 0 });
        expect(performance.now() - t).toBeLessThan(2_000);
        for (const d of r.diagnostics) expect(positioned(d), JSON.stringify(d)).toBe(true);
        if (!r.ok) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { seed: SEED, numRuns: 4_000 },
    );
  });

  it("the pipeline never throws but UsageError, and every result is positioned and consistent (500 mutants)", async () => {
    const root = realpathSync(scratch("runprov-fuzz-"));
    write(root, "ai/scripts/run.py", "print(1)\n");
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: docs.length - 1 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        async (i, muts, noHash, strict) => {
          const rel = docs[i].rel;
          const abs = write(root, rel, mutate(docs[i].bytes, muts));
          let report: Report | undefined;
          try {
            report = await validate([rel], { root, cwd: root, noHash, strictJson: strict, strictMissing: strict, requireProvenance: strict, jobs: 1 });
          } catch (e) {
            if (!(e instanceof UsageError)) throw e;
          } finally {
            writeFileSync(abs, ""); // the next mutant may be of another document at another path
          }
          if (!report) return;
          expect(report.results.length).toBeGreaterThanOrEqual(1);
          for (const r of report.results) {
            for (const d of r.diagnostics) expect(positioned(d), JSON.stringify(d)).toBe(true);
            expect(r.valid).toBe(!r.diagnostics.some((d) => d.severity === "error"));
            expect(
              r.diagnostics.some((d) => d.code === "internal"),
              JSON.stringify(r.diagnostics),
            ).toBe(false);
          }
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});
