/**
 * Every input shape in time linear in its size (docs/contract.md, "Selection and
 * confinement"): many duplicate keys, many NaN tokens, long arrays, long ignore patterns, a
 * large blob in the history of an entrypoint. These are hang detectors with generous bounds,
 * not benchmarks (bench/hostile.mjs measures the growth): before the fix each of them took
 * minutes.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadBuffer } from "../../src/load/index.js";
import { validate } from "../../src/pipeline.js";
import { renderReport } from "../../src/report/index.js";
import { commitAll, gitInit, manifest, scratch, sha256, write } from "./lib.js";

const SCRIPT = { path: "ai/scripts/run.py", content: "print(1)\n" };

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

describe("dialect notes at scale", () => {
  it("100,000 NaN tokens on one line: loaded fast, 100 listed and the rest counted in one diagnostic", () => {
    const text = `{"a": [${Array(100_000).fill("NaN").join(",")}]}`;
    const { value: doc, ms } = timed(() => loadBuffer(Buffer.from(text)));
    expect(ms).toBeLessThan(5_000);
    if (!doc.ok) throw new Error("expected a document");
    const nan = doc.diagnostics.filter((d) => d.code === "non-standard-number");
    expect(nan).toHaveLength(101);
    expect(nan[100].message).toMatch(/^99900 more NaN\/Infinity tokens/);
    expect(nan[100]).toMatchObject({ pointer: "/a/100", line: 1, column: 8 + 100 * 4 });
  });

  it("100,000 duplicate keys in one object", () => {
    const text = `{${Array.from({ length: 100_000 }, (_, i) => `"k": ${i}`).join(", ")}}`;
    const { value: doc, ms } = timed(() => loadBuffer(Buffer.from(text)));
    expect(ms).toBeLessThan(5_000);
    if (!doc.ok) throw new Error("expected a document");
    expect(doc.value).toEqual({ k: 99_999 });
    expect(doc.diagnostics.filter((d) => d.code === "duplicate-key")).toHaveLength(101);
    // The position of the value that wins is the last one's.
    expect(doc.locate("/k").column).toBe(text.lastIndexOf("99999") + 1);
  });

  it("a 6 MB array of numbers is loaded, validated and reported without blowing up; a 20 MB file is refused unread", async () => {
    const root = realpathSync(scratch());
    write(root, SCRIPT.path, SCRIPT.content);
    const items = Array.from({ length: 1_800_000 }, (_, i) => (i % 2 ? 1.5 : -7));
    const doc = JSON.parse(manifest(SCRIPT));
    doc.run_provenance.argv = items; // argv must be strings: every item is wrong
    write(root, "runs/big.json", JSON.stringify(doc));
    const t = performance.now();
    const report = await validate(["runs/big.json"], { root, cwd: root, noHash: true });
    const text = renderReport(report, "text", { root });
    expect(performance.now() - t).toBeLessThan(30_000);
    expect(report.summary.invalid).toBe(1);
    const d = report.results[0].diagnostics.find((x) => x.code === "schema")!;
    expect(d.pointer).toMatch(/^\/run_provenance\/argv\/\d+$/);
    expect(d.line).toBe(1);
    expect(text).toMatch(/error schema/);
    write(root, "runs/huge.json", " ".repeat(20 * 1024 * 1024) + "{}");
    const huge = await validate(["runs/huge.json"], { root, cwd: root, noHash: true });
    expect(huge.results[0].diagnostics[0]).toMatchObject({ code: "parse-error", severity: "error" });
    expect(huge.results[0].diagnostics[0].message).toMatch(/artifacts larger than 8388608 bytes are not read/);
  });

  it("many schema errors in a document just under the all-errors limit are reported with positions", async () => {
    const root = realpathSync(scratch());
    write(root, SCRIPT.path, SCRIPT.content);
    const doc = JSON.parse(manifest(SCRIPT));
    doc.run_provenance.argv = Array.from({ length: 40_000 }, () => 1);
    write(root, "runs/many.json", JSON.stringify(doc)); // one line
    const t = performance.now();
    const report = await validate(["runs/many.json"], { root, cwd: root, noHash: true });
    const text = renderReport(report, "text", { root });
    expect(performance.now() - t).toBeLessThan(30_000);
    const schema = report.results[0].diagnostics.filter((x) => x.code === "schema");
    expect(schema.length).toBe(40_000);
    expect(schema.every((x) => x.line === 1 && (x.column ?? 0) > 1)).toBe(true);
    expect(text.split("\n").length).toBeGreaterThan(40_000);
  });
});

describe("ignore patterns", () => {
  it("a 60,000-character .gitignore line is skipped with a warning, not fatal", async () => {
    const root = scratch();
    write(root, "runs/report.json", manifest(SCRIPT));
    write(root, SCRIPT.path, SCRIPT.content);
    write(root, ".gitignore", `${"a*".repeat(30_000)}\nnode_modules/\n${"[".repeat(5)}\n`);
    const warnings: string[] = [];
    const { ms } = await (async () => {
      const t = performance.now();
      const r = await validate([], { root, cwd: root, onWarning: (m) => warnings.push(m) });
      return { r, ms: performance.now() - t };
    })();
    expect(ms).toBeLessThan(10_000);
    expect(warnings.some((w) => /\.gitignore:1: ignore pattern too long/.test(w))).toBe(true);
  });

  it("a glob with thousands of wildcards is a usage error, not a slow match", async () => {
    const root = scratch();
    write(root, "runs/report.json", manifest(SCRIPT));
    await expect(validate([`runs/${"*a".repeat(5000)}.json`], { root, cwd: root })).rejects.toThrow(/too many wildcards/);
  });
});

describe("git history", () => {
  it("a 48 MB blob in the history of an entrypoint is streamed, not held (historical-match found)", async () => {
    const root = scratch();
    gitInit(root);
    const big = Buffer.alloc(48 * 1024 * 1024, 0x61);
    write(root, SCRIPT.path, big);
    commitAll(root, "big script");
    write(root, SCRIPT.path, "changed\n");
    commitAll(root, "script changed");
    const doc = JSON.parse(manifest(SCRIPT));
    doc.run_provenance.entrypoint.sha256 = sha256(big);
    write(root, "runs/r.json", JSON.stringify(doc, null, 2));
    const t = performance.now();
    const report = await validate(["runs/r.json"], { root, cwd: root });
    expect(performance.now() - t).toBeLessThan(30_000);
    expect(report.results[0].diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain("info historical-match");
    expect(report.results[0].valid).toBe(true);
    expect(path.isAbsolute(root)).toBe(true);
  });
});
