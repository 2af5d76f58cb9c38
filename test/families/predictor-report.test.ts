/** Family `predictor-report`: detection, variants and cross-field rules, checked on the golden documents and a few edge cases. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { predictorReport } from "../../src/families/predictor-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixtureCases, nameTier, keyed } from "./fixtures.js";

// --- golden fixtures as module-level checks (no CLI): variantOf + consistency per case ---
describe("predictor-report golden documents, checked by the module", () => {
  const cases = fixtureCases("predictor-report");
  it("has cases", () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(`${c.name}: variant and inconsistent pointers`, () => {
      expect(detect(c.doc, facts(c.file))?.family.name).toBe("predictor-report");
      if (c.variant) expect(predictorReport.variantOf(c.doc, facts(c.file))).toBe(c.variant);
      const got = (predictorReport.consistency?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).map((v) => v.pointer).sort();
      expect(got).toEqual(c.inconsistent);
      expect(predictorReport.integrityDigests?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).toEqual([]);
    });
  }
});

describe("predictor-report detection", () => {
  it("matches the default path and the key set", () => {
    expect(nameTier(predictorReport, facts("runs/predictor_v2_realcorpus/report.json"))).toBeDefined();
    expect(nameTier(predictorReport, facts("runs/other/report.json"))).toBeUndefined();
    expect(keyed(predictorReport, { schema_version: 1, codecs: [], summary: {}, gate: {}, corpus: {} })).toBe(true);
  });
  it("missing-rows codecs carry NaN mean_rmse without complaint", () => {
    const c = {
      codec: "libx264",
      corpus_provenance: [],
      failure_reasons: ["no rows in corpus for this codec"],
      folds: [],
      mean_plcc: 0,
      mean_rmse: NaN,
      mean_srocc: 0,
      n_distinct_sources: 0,
      n_rows_total: 0,
      plcc_spread: 0,
      status: "missing-rows",
    };
    const d: JsonObject = { codecs: [c], summary: { n_pass: 0, n_fail: 0, n_insufficient: 0, n_missing_rows: 1 } };
    expect(predictorReport.consistency!(d, undefined, facts("r.json"))).toEqual([]);
  });
});
