/** Family `eval-report`: detection, variants and cross-field rules, checked on the golden documents and a few edge cases. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { evalReport } from "../../src/families/eval-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixtureCases, nameTier } from "./fixtures.js";

// --- golden fixtures as module-level checks (no CLI): variantOf + consistency per case ---
describe("eval-report golden documents, checked by the module", () => {
  const cases = fixtureCases("eval-report");
  it("has cases", () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(`${c.name}: variant and inconsistent pointers`, () => {
      expect(detect(c.doc, facts(c.file))?.family.name).toBe("eval-report");
      if (c.variant) expect(evalReport.variantOf(c.doc, facts(c.file))).toBe(c.variant);
      const got = (evalReport.consistency?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).map((v) => v.pointer).sort();
      expect(got).toEqual(c.inconsistent);
      expect(evalReport.integrityDigests?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).toEqual([]);
    });
  }
});

describe("eval-report detection", () => {
  it("tells the variants apart by key set, then by entrypoint", () => {
    expect(evalReport.variantOf({ v2_baseline: {}, v5_extended: {}, decision: "defer" }, facts("a.json"))).toBe("vmaf-tiny-v5-corpus-expansion");
    expect(evalReport.variantOf({ archs: {}, generated: "", corpus: "" }, facts("a.json"))).toBe("loso-3arch");
    expect(evalReport.variantOf({ run_provenance: { entrypoint: { path: "ai/scripts/eval_multiseed_v3_v4.py" } } }, facts("a.json"))).toBe("multiseed-v3-v4");
    expect(evalReport.variantOf({}, facts("a.json"))).toBeUndefined();
    expect(nameTier(evalReport, facts("runs/loso_eval/loso_3arch_eval.json"))).toBeDefined();
  });
  it("v5 decision: NaN delta is defer", () => {
    const d: JsonObject = {
      v2_baseline: { aggregate: { std_plcc: NaN, mean_plcc: NaN }, per_fold: {} },
      v5_extended: { aggregate: { mean_plcc: 0.9 }, per_fold: {} },
      delta_plcc: NaN,
      v2_sigma_plcc: NaN,
      decision: "defer",
    };
    expect(evalReport.consistency!(d, "vmaf-tiny-v5-corpus-expansion", facts("a.json"))).toEqual([]);
    expect(evalReport.consistency!({ ...d, decision: "ship_v5" }, "vmaf-tiny-v5-corpus-expansion", facts("a.json")).map((v) => v.pointer)).toEqual([
      "/decision",
    ]);
  });
});
