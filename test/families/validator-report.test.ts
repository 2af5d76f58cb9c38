/** Family `validator-report`: detection, variants and cross-field rules, checked on the golden documents and a few edge cases. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { validatorReport } from "../../src/families/validator-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { PROJECT } from "../helpers.js";
import { facts, fixtureCases } from "./fixtures.js";

// --- golden fixtures as module-level checks (no CLI): variantOf + consistency per case ---
describe("validator-report golden documents, checked by the module", () => {
  const cases = fixtureCases("validator-report");
  it("has cases", () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(`${c.name}: variant and inconsistent pointers`, () => {
      expect(detect(c.doc, facts(c.file))?.family.name).toBe("validator-report");
      if (c.variant) expect(validatorReport.variantOf(c.doc, facts(c.file))).toBe(c.variant);
      const got = (validatorReport.consistency?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).map((v) => v.pointer).sort();
      expect(got).toEqual(c.inconsistent);
      expect(validatorReport.integrityDigests?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).toEqual([]);
    });
  }
});

describe("validator-report detection", () => {
  it("tells the variants apart", () => {
    expect(validatorReport.variantOf({ schema: "chug-hdr-held-out-test-validator-v1" }, facts("a.json"))).toBe("chug-hdr-held-out-test-validator-v1");
    expect(validatorReport.variantOf({ gate_pass: true, models: [], thresholds: {}, features_path: "/x" }, facts("a.json"))).toBe("quant-parity");
    expect(validatorReport.variantOf({ ok: true, error_count: 0, errors: [], model_count: 0 }, facts("a.json"))).toBe("registry-validation");
    expect(validatorReport.variantOf({ ok: true, checks: {}, return_codes: {} }, facts("a.json"))).toBe("saliency-student-validation");
    expect(validatorReport.variantOf({ model: "vmaf_tiny_v3", gate_pass: true, min_plcc: 0.97, sample_truth: [] }, facts("a.json"))).toBe(
      "vmaf-tiny-validation",
    );
    expect(validatorReport.variants.find((v) => v.name === "quant-parity")?.outputs).toBeUndefined();
  });
  it("the quant-parity schema keeps its own block shape while the ai-run-provenance-v1 schema stays strict", () => {
    const s = JSON.parse(readFileSync(path.join(PROJECT, "schema/v1/validator-report.schema.json"), "utf8"));
    expect(s.$defs["quant-parity"].properties.run_provenance.$ref).toBe("#/$defs/quantParityProvenance");
    const block = JSON.parse(readFileSync(path.join(PROJECT, "schema/v1/run-provenance.schema.json"), "utf8"));
    expect(block.$defs.pathDescriptor.allOf[0].then.required).toContain("sha256");
  });
  it("CHUG gate: NaN fails", () => {
    const d: JsonObject = {
      schema: "chug-hdr-held-out-test-validator-v1",
      metrics: { plcc: NaN, srocc: 0.9, rmse: 0.1 },
      gate: { passed: false, plcc: NaN, srocc: 0.9, rmse: 0.1, thresholds: { plcc_min: 0.85, srocc_min: 0.82, rmse_max: 0.45 } },
    };
    expect(validatorReport.consistency!(d, undefined, facts("a.json"))).toEqual([]);
  });
});
