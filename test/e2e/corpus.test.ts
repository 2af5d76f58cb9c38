/**
 * The built CLI on the real committed artifacts of lusoris/vmaf (RUNPROV_REAL_CORPUS, see
 * test/real-corpus.ts; skipped when absent), as a user
 * runs it: every file recognised, legacy files passing, every recorded digest verified against
 * the real ONNX files, and one-byte tampering caught with file, pointer, line and column.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ArtifactResult, Report } from "../../src/types.js";
import { copyTree, removeTree, runCli, sha256, treeDigest } from "../helpers.js";
import { describeReal, realCorpus } from "../real-corpus.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function jsonFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jsonFiles(p, base));
    else if (e.name.endsWith(".json")) out.push(path.relative(base, p));
  }
  return out.sort();
}

function validateCorpus(root: string, ...flags: string[]): { code: number; report: Report; stderr: string } {
  const run = runCli(["validate", root, "--root", root, "--format", "json", ...flags], root);
  return { code: run.code, report: JSON.parse(run.stdout), stderr: run.stderr };
}

/** A writable copy of the corpus, so that tampering never touches the shared files. */
function corpusCopy(): string {
  const dir = copyTree(realCorpus(), "runprov-corpus-");
  temps.push(dir);
  return dir;
}

function flipByte(file: string, offset = 100): void {
  const buf = readFileSync(file);
  buf[Math.min(offset, buf.length - 1)] ^= 0x01;
  writeFileSync(file, buf);
}

const byFile = (r: Report) => new Map(r.results.map((x) => [x.file, x]));
const errors = (r: ArtifactResult | undefined) => (r?.diagnostics ?? []).filter((d) => d.severity === "error");

describeReal("the real lusoris/vmaf corpus", () => {
  let report: Report;
  let code: number;
  beforeAll(() => {
    const before = treeDigest(realCorpus());
    ({ report, code } = validateCorpus(realCorpus()));
    expect(treeDigest(realCorpus())).toEqual(before);
  });

  it("recognises every JSON file except the registry's JSON Schema, and passes", () => {
    expect(code).toBe(0);
    const expected = jsonFiles(realCorpus()).filter((f) => !f.endsWith("registry.schema.json"));
    expect(report.results.map((r) => r.file).sort()).toEqual(expected);
    for (const r of report.results) {
      expect(r.family, r.file).not.toBeNull();
      expect(r.valid, `${r.file}: ${JSON.stringify(errors(r))}`).toBe(true);
    }
    expect(report.summary.skipped).toBe(1);
  });

  it("verifies each sidecar's sha256 and int8_sha256 and the registry rows against the real ONNX files", () => {
    const results = byFile(report);
    let checked = 0;
    for (const file of jsonFiles(path.join(realCorpus(), "model"))) {
      const rel = `model/${file}`;
      const doc = JSON.parse(readFileSync(path.join(realCorpus(), rel), "utf8"));
      for (const field of ["sha256", "int8_sha256"]) {
        if (typeof doc[field] !== "string") continue;
        const onnx = field === "sha256" ? doc.onnx : String(doc.onnx).replace(/\.onnx$/, ".int8.onnx");
        if (typeof onnx !== "string") continue;
        if (!readdirSync(path.dirname(path.join(realCorpus(), rel))).includes(onnx)) continue;
        const ds = results.get(rel)!.diagnostics.filter((d) => d.pointer === `/${field}` && d.code !== "uncovered-file");
        expect(ds, `${rel} ${field}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
    expect(report.summary.hashes.mismatched).toBe(0);
    expect(report.summary.hashes.verified).toBeGreaterThanOrEqual(40);
  });

  it("fails every artifact of a family that carries the block under --require-provenance, but not the registry", () => {
    const { code: c, report: r } = validateCorpus(realCorpus(), "--require-provenance");
    expect(c).toBe(1);
    for (const res of r.results) {
      if (res.family === "model-registry") {
        expect(res.valid).toBe(true);
        continue;
      }
      expect(res.valid, res.file).toBe(false);
      expect(errors(res).map((d) => d.code)).toContain("legacy-no-provenance");
    }
  });

  it("catches a one-byte change to an ONNX with file, pointer, line and column", () => {
    const root = corpusCopy();
    flipByte(path.join(root, "model/tiny/fr_regressor_v2.onnx"));
    const { code: c, report: r } = validateCorpus(root);
    expect(c).toBe(1);
    const sidecar = byFile(r).get("model/tiny/fr_regressor_v2.json")!;
    const mismatch = errors(sidecar).find((d) => d.code === "hash-mismatch")!;
    expect(mismatch).toMatchObject({ pointer: "/sha256" });
    const text = readFileSync(path.join(root, "model/tiny/fr_regressor_v2.json"), "utf8").split("\n");
    expect(text[mismatch.line! - 1].slice(mismatch.column! - 1)).toMatch(/^"[0-9a-f]{64}"/);
    const textRun = runCli(["validate", "model/tiny/fr_regressor_v2.json", "--root", root], root);
    expect(textRun.code).toBe(1);
    expect(textRun.stdout).toContain(`model/tiny/fr_regressor_v2.json:${mismatch.line}:${mismatch.column}`);
    expect(textRun.stdout).toContain("hash-mismatch");
  });

  it("catches a one-byte change to an int8 model in the sidecar and in the registry row", () => {
    const root = corpusCopy();
    flipByte(path.join(root, "model/tiny/vmaf_tiny_v4.int8.onnx"));
    const r = validateCorpus(root).report;
    expect(errors(byFile(r).get("model/tiny/vmaf_tiny_v4.json")).map((d) => d.pointer)).toContain("/int8_sha256");
    expect(errors(byFile(r).get("model/tiny/registry.json")).some((d) => /^\/models\/\d+\/int8_sha256$/.test(d.pointer))).toBe(true);
  });

  it("reports a one-byte change to one seed member's ONNX in its sidecar and its registry row; the manifest only notes it", () => {
    const root = corpusCopy();
    flipByte(path.join(root, "model/tiny/fr_regressor_v2_ensemble_v1_seed2.onnx"));
    const { code: c, report: r } = validateCorpus(root);
    expect(c).toBe(1);
    const results = byFile(r);
    expect(errors(results.get("model/tiny/fr_regressor_v2_ensemble_v1_seed2.json")).map((d) => [d.code, d.pointer])).toContainEqual([
      "hash-mismatch",
      "/sha256",
    ]);
    const registry = JSON.parse(readFileSync(path.join(root, "model/tiny/registry.json"), "utf8"));
    const row = registry.models.findIndex((m: { onnx: string }) => m.onnx === "fr_regressor_v2_ensemble_v1_seed2.onnx");
    expect(errors(results.get("model/tiny/registry.json")).map((d) => [d.code, d.pointer])).toContainEqual(["hash-mismatch", `/models/${row}/sha256`]);
    expect(results.get("model/tiny/fr_regressor_v2_ensemble_v1.json")!.valid).toBe(true);
    for (const other of [0, 1, 3, 4]) expect(results.get(`model/tiny/fr_regressor_v2_ensemble_v1_seed${other}.json`)!.valid).toBe(true);
  });

  it("verifies a CI checkout without Git LFS (pointer files in place of the ONNX) through the pointers' oids", () => {
    const root = corpusCopy();
    const onnx = path.join(root, "model/tiny/fr_regressor_v2.onnx");
    const content = readFileSync(onnx);
    const pointer = (oid: string) => `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`;
    writeFileSync(onnx, pointer(sha256(content)));
    let r = validateCorpus(root);
    expect(r.code).toBe(0);
    const sidecar = byFile(r.report).get("model/tiny/fr_regressor_v2.json")!;
    expect(sidecar.diagnostics.map((d) => [d.severity, d.code, d.pointer])).toContainEqual(["info", "lfs-pointer", "/sha256"]);
    expect(errors(sidecar)).toEqual([]);
    writeFileSync(onnx, pointer("0".repeat(64)));
    r = validateCorpus(root);
    expect(r.code).toBe(1);
    expect(errors(byFile(r.report).get("model/tiny/fr_regressor_v2.json")).map((d) => [d.code, d.pointer])).toContainEqual(["hash-mismatch", "/sha256"]);
  });

  it("refuses a changed ONNX named alone (what pre-commit passes when only the model is staged)", () => {
    const root = corpusCopy();
    flipByte(path.join(root, "model/tiny/fr_regressor_v1.onnx"));
    const run = runCli(["validate", "model/tiny/fr_regressor_v1.onnx", "--root", root, "--format", "json"], root);
    expect(run.code).toBe(1);
    const r: Report = JSON.parse(run.stdout);
    expect(r.results.map((x) => x.file).sort()).toEqual(["model/tiny/fr_regressor_v1.json", "model/tiny/registry.json"]);
    expect(errors(byFile(r).get("model/tiny/fr_regressor_v1.json")).map((d) => d.pointer)).toContain("/sha256");
  });
});
