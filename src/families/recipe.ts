/**
 * Family `recipe`: Phase F calibrated content recipes
 * (ai/scripts/calibrate_phase_f_recipes.py --out; canonical file
 * ai/data/phase_f_recipes_calibrated.json). No top-level `schema`; the discriminator is
 * `metadata.schema_version: 1`. The committed file (commit 5fc256e4) predates the block,
 * so `run_provenance` is optional in the schema (the pipeline reports legacy-no-provenance).
 *
 * Rules kept by the emitter (calibrate()):
 * - rows_in_jsonl == rows_used_for_calibration == recipes.ugc._provenance.corpus_rows_used;
 * - proxy classes: target_vmaf_offset == adjustment.target_vmaf_offset_abs, widths are
 *   round(ugc width x adjustment.tight_interval_width_factor, 2), animation's
 *   force_single_rung == adjustment.force_single_rung;
 * - saliency_intensity follows the benefit fraction and metadata.saliency_cut_points (>=).
 */
import { childPointer, isObject, own, type JsonObject } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { at } from "./util.js";

const VARIANT = "phase-f-recipes-calibrated";
const CANONICAL = "ai/data/phase_f_recipes_calibrated.json";
const PROXIES = ["animation", "screen_content", "live_action_hdr"] as const;

const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");

function looksLikeRecipe(doc: JsonObject): boolean {
  return (
    isObject(doc.metadata) &&
    own(doc.metadata, "schema_version") === 1 &&
    isObject(doc.recipes) &&
    (isObject(own(doc.recipes, "ugc")) || own(doc.metadata, "phase") === "F.5")
  );
}

/** Python's round-half-even is irrelevant here: allow half a unit of the last place. */
function closeTo(actual: number, expected: number, places: number): boolean {
  return Math.abs(actual - expected) <= 0.5 * 10 ** -places + 1e-9;
}

/** Intensity for a benefit fraction; undefined when the fraction sits within `slack` of a cut (either side accepted). */
function intensities(fraction: number, aggressive: number, very: number, slack: number): string[] {
  const pick = (f: number) => (f >= very ? "very_aggressive" : f >= aggressive ? "aggressive" : "default");
  return [...new Set([pick(fraction - slack), pick(fraction), pick(fraction + slack)])];
}

export const recipe = defineFamily({
  name: "recipe",
  filePatterns: [CANONICAL, "--out PATH of calibrate_phase_f_recipes.py"],
  variants: {
    [VARIANT]: { outputs: { recipe_json: "stale" } },
  },
  // The canonical file and any --out of the same name.
  detection: { fileNames: [{ tier: "fixed", name: /^phase_f_recipes_calibrated\.json$/ }], keys: [{ where: looksLikeRecipe }] },
  variantOf: () => VARIANT,
  particular(doc: JsonObject): RuleViolation[] {
    const out: RuleViolation[] = [];
    const corpus = at(doc, "metadata", "corpus");
    const used = isObject(corpus) ? own(corpus, "rows_used_for_calibration") : undefined;
    if (isObject(corpus) && typeof used === "number") {
      const inJsonl = own(corpus, "rows_in_jsonl");
      if (typeof inJsonl === "number" && inJsonl !== used) {
        out.push({
          pointer: "/metadata/corpus/rows_in_jsonl",
          message: `rows_in_jsonl ${inJsonl} differs from rows_used_for_calibration ${used} (both are the number of rows loaded)`,
        });
      }
      const ugcRows = at(doc, "recipes", "ugc", "_provenance", "corpus_rows_used");
      if (typeof ugcRows === "number" && ugcRows !== used) {
        out.push({
          pointer: "/recipes/ugc/_provenance/corpus_rows_used",
          message: `corpus_rows_used ${ugcRows} differs from metadata.corpus.rows_used_for_calibration ${used} (the UGC recipe uses every loaded row)`,
        });
      }
    }
    const cuts = at(doc, "metadata", "saliency_cut_points");
    const aggressive = isObject(cuts) ? own(cuts, "aggressive") : undefined;
    const very = isObject(cuts) ? own(cuts, "very_aggressive") : undefined;
    const checkIntensity = (cls: string, fraction: unknown, slack: number, what: string) => {
      const got = at(doc, "recipes", cls, "saliency_intensity");
      if (typeof got !== "string" || typeof fraction !== "number" || !Number.isFinite(fraction) || typeof aggressive !== "number" || typeof very !== "number")
        return;
      const allowed = intensities(fraction, aggressive, very, slack);
      if (!allowed.includes(got)) {
        out.push({
          pointer: p("recipes", cls, "saliency_intensity"),
          message: `recipes.${cls}.saliency_intensity is "${got}" but ${what} ${fraction} maps to "${allowed.join('" or "')}" with cut points aggressive ${aggressive}, very_aggressive ${very}`,
        });
      }
    };
    // UGC: the fraction is recorded rounded to 3 places, so allow half a unit either side of a cut.
    checkIntensity("ugc", at(doc, "recipes", "ugc", "_provenance", "ugc_saliency_benefit_fraction"), 0.0005, "ugc_saliency_benefit_fraction");
    const ugcWidth = at(doc, "recipes", "ugc", "tight_interval_max_width");
    for (const cls of PROXIES) {
      const r = at(doc, "recipes", cls);
      const adj = at(doc, "recipes", cls, "_provenance", "adjustment");
      if (!isObject(r) || !isObject(adj)) continue;
      const offset = own(r, "target_vmaf_offset");
      const offsetAbs = own(adj, "target_vmaf_offset_abs");
      if (typeof offset === "number" && typeof offsetAbs === "number" && !closeTo(offset, offsetAbs, 1)) {
        out.push({
          pointer: p("recipes", cls, "target_vmaf_offset"),
          message: `recipes.${cls}.target_vmaf_offset ${offset} differs from its adjustment.target_vmaf_offset_abs ${offsetAbs}`,
        });
      }
      const width = own(r, "tight_interval_max_width");
      const factor = own(adj, "tight_interval_width_factor");
      if (typeof width === "number" && typeof factor === "number" && typeof ugcWidth === "number" && Number.isFinite(ugcWidth)) {
        const expected = ugcWidth * factor;
        if (!closeTo(width, expected, 2)) {
          out.push({
            pointer: p("recipes", cls, "tight_interval_max_width"),
            message: `recipes.${cls}.tight_interval_max_width ${width} is not the UGC width ${ugcWidth} x factor ${factor} (${Math.round(expected * 100) / 100})`,
          });
        }
      }
      const single = own(r, "force_single_rung");
      const adjSingle = own(adj, "force_single_rung");
      if (typeof single === "boolean" && typeof adjSingle === "boolean" && single !== adjSingle) {
        out.push({
          pointer: p("recipes", cls, "force_single_rung"),
          message: `recipes.${cls}.force_single_rung ${single} differs from its adjustment.force_single_rung ${adjSingle}`,
        });
      }
      checkIntensity(cls, own(adj, "saliency_benefit_fraction"), 0, `adjustment.saliency_benefit_fraction`);
    }
    return out;
  },
});
