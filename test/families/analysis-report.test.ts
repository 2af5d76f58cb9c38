/** Family `analysis-report`: detection, NaN tolerance, cross-field rules. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { analysisReport } from "../../src/families/analysis-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixture, pointers, schemaValidator, keyed } from "./fixtures.js";

const FAM = "analysis-report";
const FC = "runs/feature_correlation.json";
const SW = "runs/phase3_subset_sweep.json";
const rules = (doc: JsonObject, rel: string) => pointers(analysisReport, doc, rel);

describe("analysis-report detection", () => {
  it.each([
    ["valid-feature-correlation", FC, "feature-correlation"],
    ["valid-feature-correlation-no-sklearn", FC, "feature-correlation"],
    ["valid-phase3-sweep", SW, "phase3-subset-sweep"],
  ])("%s", (c, rel, variant) => {
    const doc = fixture(FAM, c, rel);
    const d = detect(doc, facts("out/report.json"));
    expect([d?.family.name, d?.variant]).toEqual([FAM, variant]);
    expect(rules(doc, rel)).toEqual([]);
  });

  it("a sweep with only run_provenance and unknown keys is not a sweep", () => {
    expect(keyed(analysisReport, { D: { per_seed: {}, summary: {} }, run_provenance: {} })).toBe(false);
  });

  it("both variants name their report as json_report (after)", () => {
    for (const v of analysisReport.variants) expect(v.outputs).toEqual({ json_report: "stale" });
  });
});

describe("feature-correlation rules", () => {
  it("NaN Pearson entries compare equal for symmetry; a real asymmetry is caught", () => {
    const d = fixture(FAM, "valid-feature-correlation", FC);
    expect(rules(d, FC)).toEqual([]);
    ((d.pearson as JsonObject).motion3 as JsonObject).adm2 = 0.3;
    expect(rules(d, FC)).toEqual(["/pearson/adm2/motion3"]);
  });

  it("redundant pairs are above the threshold and sorted by |r|", () => {
    const d = fixture(FAM, "valid-feature-correlation", FC);
    d.redundant_pairs = [
      { a: "adm2", b: "ssimulacra2", r: 0.96 },
      { a: "adm2", b: "motion3", r: -0.99 },
    ];
    expect(rules(d, FC)).toEqual(["/redundant_pairs/1/r"]);
  });
});

describe("phase3 sweep rules", () => {
  it("n_folds counts (seed, fold) pairs; n_seeds counts --seeds (duplicates included)", () => {
    const d = fixture(FAM, "valid-phase3-sweep", SW);
    ((d.run_provenance as JsonObject).args as JsonObject).seeds = "0,1,1";
    const pts = rules(d, SW);
    expect(pts).toContain("/canonical6/summary/n_seeds");
    expect(pts).not.toContain("/canonical6/per_seed");
  });
});

describe("analysis-report schema", () => {
  it("accepts the valid fixtures and rejects an unknown subset key", () => {
    const v = schemaValidator(FAM, "phase3SubsetSweep");
    const d = fixture(FAM, "valid-phase3-sweep", SW);
    expect(v(d), JSON.stringify(v.errors)).toBe(true);
    expect(v({ ...d, X: d.C })).toBe(false);
    const f = schemaValidator(FAM, "featureCorrelation");
    expect(f(fixture(FAM, "valid-feature-correlation-no-sklearn", FC)), JSON.stringify(f.errors)).toBe(true);
  });
});
