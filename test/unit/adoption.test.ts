/**
 * Adoption in a real repository (docs/contract.md, "Adoption"): `--unknown` for named files
 * that are not artifacts, and the baseline ratchet (write, apply, void on any change, stale
 * entries, prune, never in the gate).
 */
import { readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASELINE_FILE, baselineText, readBaseline } from "../../src/baseline/file.js";
import { updateBaseline } from "../../src/baseline/update.js";
import { validate } from "../../src/pipeline.js";
import { renderReport } from "../../src/report/index.js";
import { UsageError, type Report } from "../../src/types.js";
import { PROJECT } from "../helpers.js";
import { manifest, scratch, write } from "../hostile/lib.js";

const SCRIPT = { path: "ai/scripts/run.py", content: "print(1)\n" };
const LEGACY_RECIPE = path.join(PROJECT, "corpus-fixtures/recipe/valid-legacy-no-provenance/repo/ai/data/phase_f_recipes_calibrated.json");

/** A repository with two legacy artifacts (no block) and one modern run manifest. */
function legacyRepo(): string {
  const root = realpathSync(scratch("runprov-adopt-"));
  write(root, SCRIPT.path, SCRIPT.content);
  write(root, "runs/modern.json", manifest(SCRIPT));
  // Recipes carry provenance in 1.x; the committed one predates it.
  write(root, "ai/data/phase_f_recipes_calibrated.json", readFileSync(LEGACY_RECIPE));
  write(root, "ai/data/other/phase_f_recipes_calibrated.json", readFileSync(LEGACY_RECIPE));
  return root;
}

const byFile = (r: Report) => new Map(r.results.map((x) => [x.file, x]));

describe("--unknown", () => {
  it("a named non-artifact is an unknown-family error, a warning, or skipped", async () => {
    const root = realpathSync(scratch());
    write(root, "model/vmaf_v0.6.1.json", JSON.stringify({ model_dict: { model_type: "LIBSVMNUSVR" } }));
    write(root, "model/predictor_x264.onnx", "graph");
    const named = ["model/vmaf_v0.6.1.json", "model/predictor_x264.onnx"];
    const error = await validate(named, { root, cwd: root });
    expect(error.results.map((r) => [r.file, r.valid, r.diagnostics.map((d) => `${d.severity} ${d.code}`)])).toEqual([
      ["model/predictor_x264.onnx", false, ["error unknown-family"]],
      ["model/vmaf_v0.6.1.json", false, ["error unknown-family"]],
    ]);
    const warn = await validate(named, { root, cwd: root, unknown: "warn" });
    expect(warn.summary).toMatchObject({ artifacts: 2, valid: 2, invalid: 0 });
    expect(warn.results.flatMap((r) => r.diagnostics.map((d) => d.severity))).toEqual(["warning", "warning"]);
    // Skipped: nothing selected, which only --allow-empty accepts.
    await expect(validate(named, { root, cwd: root, unknown: "skip" })).rejects.toThrow(UsageError);
    const skip = await validate(named, { root, cwd: root, unknown: "skip", allowEmpty: true });
    expect(skip.summary).toMatchObject({ artifacts: 0, skipped: 2 });
  });

  it("skip never hides an artifact: a named sidecar whose ONNX changed still fails", async () => {
    const root = realpathSync(scratch());
    write(root, "runs/r.json", manifest(SCRIPT)); // entrypoint missing: file-missing info only
    write(root, "notes.json", "{}");
    const r = await validate(["runs/r.json", "notes.json"], { root, cwd: root, unknown: "skip", strictMissing: true });
    expect(r.summary).toMatchObject({ artifacts: 1, invalid: 1, skipped: 1 });
  });

  it("rejects an unknown policy", async () => {
    const root = scratch();
    await expect(validate([], { root, cwd: root, unknown: "maybe" as never })).rejects.toThrow(/--unknown must be one of error, warn, skip/);
  });
});

describe("the baseline ratchet", () => {
  it("records, per artifact with errors, the file's digest and its error codes with counts, sorted", async () => {
    const root = legacyRepo();
    const u = await updateBaseline([], { root, cwd: root, requireProvenance: true });
    expect(u).toMatchObject({ entries: 2, added: 2, removed: 0, updated: 0, file: path.join(root, BASELINE_FILE) });
    const text = readFileSync(u.file, "utf8");
    const b = readBaseline(u.file, root)!;
    expect([...b.artifacts.keys()]).toEqual(["ai/data/other/phase_f_recipes_calibrated.json", "ai/data/phase_f_recipes_calibrated.json"]);
    expect(b.artifacts.get("ai/data/phase_f_recipes_calibrated.json")!.errors).toEqual({ "legacy-no-provenance": 1 });
    expect(text).toBe(baselineText(b.artifacts)); // stable: writing what was read changes nothing
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("validate applies it: listed errors become info with baselined: true, the count is in the summary and the text", async () => {
    const root = legacyRepo();
    await updateBaseline([], { root, cwd: root, requireProvenance: true });
    const report = await validate([], { root, cwd: root, requireProvenance: true });
    expect(report.summary).toMatchObject({ invalid: 0, baseline: { applied: 2, stale: 0, entries: 2 } });
    const d = byFile(report)
      .get("ai/data/phase_f_recipes_calibrated.json")!
      .diagnostics.find((x) => x.code === "legacy-no-provenance")!;
    expect(d).toMatchObject({ severity: "info", baselined: true });
    expect(renderReport(report, "text", { root })).toMatch(/^baseline: 2 legacy artifact\(s\) listed, 2 error\(s\) accepted in this run; 0 stale$/m);
    // --no-baseline, and the gate's `false`, ignore it.
    const raw = await validate([], { root, cwd: root, requireProvenance: true, baseline: false });
    expect(raw.summary.invalid).toBe(2);
    expect(raw.summary.baseline).toBeUndefined();
  });

  it("any change to a baselined artifact voids its entries; the entry is then stale, and --prune drops it", async () => {
    const root = legacyRepo();
    await updateBaseline([], { root, cwd: root, requireProvenance: true });
    const touched = path.join(root, "ai/data/phase_f_recipes_calibrated.json");
    writeFileSync(touched, readFileSync(touched, "utf8").replace(/\n$/, " \n"));
    rmSync(path.join(root, "ai/data/other/phase_f_recipes_calibrated.json"));
    const report = await validate(["ai/data/phase_f_recipes_calibrated.json"], { root, cwd: root, requireProvenance: true });
    expect(report.results[0].diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["error legacy-no-provenance"]);
    // Both entries are stale: one changed, one vanished (found although it was not in the selection).
    expect(report.summary.baseline).toEqual({ applied: 0, stale: 2, entries: 2 });
    const pruned = await updateBaseline([], { root, cwd: root, prune: true });
    expect(pruned).toMatchObject({ entries: 0, removed: 2, added: 0 });
  });

  it("counts: an artifact with more errors of a code than listed keeps the rest as errors", async () => {
    const root = legacyRepo();
    const file = path.join(root, BASELINE_FILE);
    const rel = "ai/data/phase_f_recipes_calibrated.json";
    const sha = (await import("node:crypto"))
      .createHash("sha256")
      .update(readFileSync(path.join(root, rel)))
      .digest("hex");
    writeFileSync(file, JSON.stringify({ version: 1, artifacts: { [rel]: { sha256: sha, errors: { schema: 3 } } } }));
    const report = await validate([rel], { root, cwd: root, requireProvenance: true });
    // The listed code is not the one found: nothing is accepted.
    expect(report.results[0].valid).toBe(false);
    expect(report.summary.baseline).toEqual({ applied: 0, stale: 0, entries: 1 });
  });

  it("re-recording a selection replaces its entries and keeps the others", async () => {
    const root = legacyRepo();
    await updateBaseline([], { root, cwd: root, requireProvenance: true });
    // Without --require-provenance the legacy files have no errors: their entries go.
    const u = await updateBaseline(["ai/data/other"], { root, cwd: root });
    expect(u).toMatchObject({ entries: 1, removed: 1 });
    expect([...readBaseline(u.file, root)!.artifacts.keys()]).toEqual(["ai/data/phase_f_recipes_calibrated.json"]);
  });

  it("a malformed baseline is a usage error naming it, never ignored", async () => {
    const root = legacyRepo();
    for (const bad of ["{", "[]", '{"version": 2, "artifacts": {}}', '{"version": 1, "artifacts": {"x": {"sha256": "nope", "errors": {}}}}']) {
      writeFileSync(path.join(root, BASELINE_FILE), bad);
      const err = await validate([], { root, cwd: root }).catch((e) => e);
      expect(err, bad).toBeInstanceOf(UsageError);
      expect(String(err.message)).toMatch(/^\.runprov-baseline\.json: /);
    }
  });

  it("never records or accepts a finding that depends on another file: a tampered ONNX behind a baselined sidecar fails", async () => {
    const root = realpathSync(scratch("runprov-adopt-"));
    const demo = path.join(PROJECT, "corpus-fixtures/demo");
    const { cpSync } = await import("node:fs");
    cpSync(demo, root, { recursive: true });
    const onnx = path.join(root, "model/tiny/vmaf_tiny_v4.onnx");
    writeFileSync(onnx, readFileSync(onnx, "utf8").replace(/.$/s, "!"));
    const u = await updateBaseline(["model"], { root, cwd: root });
    expect(u.refused).toBeGreaterThan(0); // the two hash-mismatch errors of the sidecar
    expect(u.entries).toBe(0);
    // A hand-written entry for them is ignored too.
    const sidecar = "model/tiny/vmaf_tiny_v4.json";
    const sha = (await import("node:crypto"))
      .createHash("sha256")
      .update(readFileSync(path.join(root, sidecar)))
      .digest("hex");
    writeFileSync(path.join(root, BASELINE_FILE), JSON.stringify({ version: 1, artifacts: { [sidecar]: { sha256: sha, errors: { "hash-mismatch": 2 } } } }));
    const report = await validate([sidecar], { root, cwd: root });
    expect(report.results[0].valid).toBe(false);
    expect(report.results[0].diagnostics.filter((d) => d.code === "hash-mismatch" && d.severity === "error")).toHaveLength(2);
  });
});
