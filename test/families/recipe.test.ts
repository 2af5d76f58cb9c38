/** Family `recipe`: detection (path, metadata.schema_version), rules, and the real committed legacy file. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { recipe } from "../../src/families/recipe.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { runInProcess } from "../inprocess.js";
import { describeReal, realCorpus } from "../real-corpus.js";
import { facts, fixture, pointers, schemaValidator, nameTier } from "./fixtures.js";

const FAM = "recipe";
const REL = "ai/data/phase_f_recipes_calibrated.json";
const rules = (doc: JsonObject) => pointers(recipe, doc, REL);
const committed = (): JsonObject => JSON.parse(readFileSync(path.join(realCorpus(), REL), "utf8"));

describe("recipe detection", () => {
  it("the canonical path is the most specific name; content (metadata.schema_version 1) also tells it", () => {
    expect(nameTier(recipe, facts(REL))).toBe("fixed");
    expect(nameTier(recipe, facts("x/phase_f_recipes_calibrated.json"))).toBe("fixed");
    expect(nameTier(recipe, facts("x/other.json"))).toBeUndefined();
    const d = detect(fixture(FAM, "valid-calibrated", REL), facts("elsewhere/recipes.json"));
    expect(d?.family.name).toBe(FAM);
    expect(d?.variant).toBe("phase-f-recipes-calibrated");
  });

  it("output timing: recipe_json names the file itself (after)", () => {
    expect(recipe.variants[0].outputs).toEqual({ recipe_json: "stale" });
  });
});

describeReal("the real committed legacy file (commit 5fc256e4)", () => {
  it("matches the schema and every rule", () => {
    const doc = committed();
    expect(schemaValidator(FAM, "phaseFRecipesCalibrated")(doc)).toBe(true);
    expect(rules(doc)).toEqual([]);
  });

  it("is recognised and passes with only the legacy warning", async () => {
    const run = await runInProcess(["validate", REL, "--root", realCorpus(), "--format", "json"], realCorpus());
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout).results[0];
    expect([r.family, r.variant, r.valid]).toEqual([FAM, "phase-f-recipes-calibrated", true]);
    expect(r.diagnostics.map((d: { code: string; severity: string }) => `${d.severity} ${d.code}`)).toEqual(["warning legacy-no-provenance"]);
  });

  it("fails only under --require-provenance", async () => {
    const run = await runInProcess(["validate", REL, "--root", realCorpus(), "--format", "json", "--require-provenance"], realCorpus());
    expect(run.code).toBe(1);
  });
});

describeReal("recipe rules (on the real committed file)", () => {
  it("rows_in_jsonl == rows_used_for_calibration == ugc corpus_rows_used", () => {
    const d = committed();
    ((d.metadata as JsonObject).corpus as JsonObject).rows_in_jsonl = 1;
    (((d.recipes as JsonObject).ugc as JsonObject)._provenance as JsonObject).corpus_rows_used = 2;
    expect(rules(d).sort()).toEqual(["/metadata/corpus/rows_in_jsonl", "/recipes/ugc/_provenance/corpus_rows_used"]);
  });

  it("proxy widths, offsets, single-rung and intensities follow the adjustments", () => {
    const d = committed();
    const r = d.recipes as JsonObject;
    (r.animation as JsonObject).tight_interval_max_width = 3.5;
    (r.screen_content as JsonObject).target_vmaf_offset = 0;
    (r.screen_content as JsonObject).saliency_intensity = "aggressive";
    expect(rules(d).sort()).toEqual([
      "/recipes/animation/tight_interval_max_width",
      "/recipes/screen_content/saliency_intensity",
      "/recipes/screen_content/target_vmaf_offset",
    ]);
  });

  it("a UGC fraction within rounding of a cut point accepts either intensity", () => {
    const d = committed();
    const ugc = (d.recipes as JsonObject).ugc as JsonObject;
    (ugc._provenance as JsonObject).ugc_saliency_benefit_fraction = 0.3;
    ugc.saliency_intensity = "default";
    expect(rules(d)).toEqual([]);
    ugc.saliency_intensity = "aggressive";
    expect(rules(d)).toEqual([]);
    ugc.saliency_intensity = "very_aggressive";
    expect(rules(d)).toEqual(["/recipes/ugc/saliency_intensity"]);
  });

  it("NaN baseline MOS raises no rule", () => {
    expect(rules(fixture(FAM, "valid-nan-baseline-mos", REL))).toEqual([]);
  });
});
