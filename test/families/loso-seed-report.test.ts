/** Family `loso-seed-report`: detection, variants and cross-field rules, checked on the golden documents and a few edge cases. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { losoSeedReport } from "../../src/families/loso-seed-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixtureCases, nameTier, keyed } from "./fixtures.js";

// --- golden fixtures as module-level checks (no CLI): variantOf + consistency per case ---
describe("loso-seed-report golden documents, checked by the module", () => {
  const cases = fixtureCases("loso-seed-report");
  it("has cases", () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(`${c.name}: variant and inconsistent pointers`, () => {
      expect(detect(c.doc, facts(c.file))?.family.name).toBe("loso-seed-report");
      if (c.variant) expect(losoSeedReport.variantOf(c.doc, facts(c.file))).toBe(c.variant);
      const got = (losoSeedReport.consistency?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).map((v) => v.pointer).sort();
      expect(got).toEqual(c.inconsistent);
      expect(losoSeedReport.integrityDigests?.(c.doc, c.variant ?? undefined, facts(c.file)) ?? []).toEqual([]);
    });
  }
});

describe("loso-seed-report detection", () => {
  it("matches loso_seed<N>.json by name, content otherwise", () => {
    expect(nameTier(losoSeedReport, facts("runs/x/loso_seed0.json"))).toBeDefined();
    expect(nameTier(losoSeedReport, facts("runs/x/loso_seed12.json"))).toBeDefined();
    expect(nameTier(losoSeedReport, facts("runs/x/loso_seed.json"))).toBeUndefined();
    expect(nameTier(losoSeedReport, facts("runs/x/loso_seed0.json.bak"))).toBeUndefined();
    expect(keyed(losoSeedReport, { seed: 0, folds: [], mean_plcc: 1, n_folds: 0, encoder_vocab_version: 2 })).toBe(true);
  });
  it("skips the aggregate check when a fold PLCC is NaN and checks dry-run epochs", () => {
    const d: JsonObject = {
      seed: 0,
      n_folds: 2,
      folds: [
        { held_out: "a", n_train: 1, n_val: 1, plcc: NaN, srocc: NaN, rmse: 1 },
        { held_out: "b", n_train: 1, n_val: 1, plcc: 0.5, srocc: 0.5, rmse: 1 },
      ],
      mean_plcc: 0.5,
      min_plcc: NaN,
      max_plcc: NaN,
      epochs: 1,
      note: "dry-run",
      run_provenance: {
        schema: "ai-run-provenance-v1",
        entrypoint: { path: "x", exists: false, kind: "missing" },
        argv: [],
        args: { dry_run: true, epochs: 200, seeds: [0] },
      },
    };
    expect(losoSeedReport.consistency!(d, undefined, facts("loso_seed0.json"))).toEqual([]);
    expect(losoSeedReport.consistency!({ ...d, epochs: 200 }, undefined, facts("loso_seed0.json")).map((v) => v.pointer)).toEqual(["/epochs"]);
  });
});
