/**
 * Family `feature-table-manifest`: `konvid-full-features-manifest-v1`, written by
 * ai/scripts/konvid_to_full_features.py after the parquets (--manifest-out, default
 * runs/full_features_konvid.manifest.json, gitignored). The parquet outputs are written
 * before the block (integrity digests); `manifest` is the file itself.
 *
 * Version facts: the newer emitter (0321dafd) writes `teacher_model` and records
 * `inputs.model` as a plain string (the teacher name); the older one (58c694e0) has no
 * `teacher_model` and records `inputs.model` as a descriptor of --model.
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { copiedFromArgs, when } from "./rules/index.js";
import { at, hasKeys } from "./util.js";

const SCHEMA = "konvid-full-features-manifest-v1";

export const featureTableManifest = defineFamily({
  name: "feature-table-manifest",
  filePatterns: ["runs/full_features_konvid.manifest.json (--manifest-out default: --out with suffix .manifest.json)"],
  variants: {
    [SCHEMA]: { outputs: { parquet: "integrity", folded_parquet: "integrity", manifest: "stale" } },
  },
  // Its `schema` string names it first (the catalog's schema strings).
  detection: { fileNames: [{ tier: "convention", name: /^full_features_[^/]*\.manifest\.json$/ }] },
  variantOf: () => SCHEMA,
  rules: [
    // A flag left unset (null) is resolved by the emitter: only a given flag is copied.
    ...["crf", "codec", "codec_from_source"].map((k) => copiedFromArgs(`/${k}`, { nullIsUnset: true })),
    when((doc) => isObject(doc.folds) && typeof doc.folds.enabled === "boolean", copiedFromArgs("/folds/fold_count", { type: "number" })),
    copiedFromArgs("/cache/directory", { arg: "cache_dir", type: "string", quote: false }),
  ],
  particular(doc: JsonObject): RuleViolation[] {
    const out: RuleViolation[] = [];
    const args = at(doc, "run_provenance", "args");
    const outputs = at(doc, "run_provenance", "outputs");
    const inputs = at(doc, "run_provenance", "inputs");
    const folds = doc.folds;
    const cache = doc.cache;
    if (isObject(folds) && typeof folds.enabled === "boolean") {
      if (isObject(args) && typeof args.no_folds_out === "boolean" && folds.enabled === args.no_folds_out) {
        out.push({ pointer: "/folds/enabled", message: `folds.enabled is ${folds.enabled} but --no-folds-out was ${args.no_folds_out ? "" : "not "}given` });
      }
      if (isObject(outputs) && hasKeys(outputs, "folded_parquet") && (own(outputs, "folded_parquet") === null) === folds.enabled) {
        out.push({
          pointer: "/run_provenance/outputs/folded_parquet",
          message: `outputs.folded_parquet is null exactly when folds are disabled (folds.enabled is ${folds.enabled})`,
        });
      }
    }
    if (isObject(cache) && typeof cache.enabled === "boolean") {
      if ((cache.directory === null) === cache.enabled) {
        out.push({ pointer: "/cache/directory", message: `cache.directory is null exactly when the cache is disabled (cache.enabled is ${cache.enabled})` });
      }
      if (isObject(args) && typeof args.no_cache === "boolean" && cache.enabled === args.no_cache) {
        out.push({ pointer: "/cache/enabled", message: `cache.enabled is ${cache.enabled} but --no-cache was ${args.no_cache ? "" : "not "}given` });
      }
      if (isObject(inputs) && hasKeys(inputs, "cache_dir") && (own(inputs, "cache_dir") === null) === cache.enabled) {
        out.push({
          pointer: "/run_provenance/inputs/cache_dir",
          message: `inputs.cache_dir is null exactly when the cache is disabled (cache.enabled is ${cache.enabled})`,
        });
      }
    }
    const stats = doc.stats;
    if (isObject(stats) && typeof stats.frames === "number" && typeof stats.columns === "number" && (stats.frames === 0) !== (stats.columns === 0)) {
      out.push({
        pointer: "/stats/columns",
        message: `stats.columns is 0 exactly when no frame rows were written (frames ${stats.frames}, columns ${stats.columns})`,
      });
    }
    if (
      isObject(stats) &&
      typeof stats.clips_processed === "number" &&
      typeof stats.clips_selected === "number" &&
      stats.clips_processed > stats.clips_selected
    ) {
      out.push({ pointer: "/stats/clips_processed", message: `stats.clips_processed ${stats.clips_processed} exceeds clips_selected ${stats.clips_selected}` });
    }
    if (isObject(inputs) && hasKeys(inputs, "model")) {
      const model = own(inputs, "model");
      const newer = hasKeys(doc, "teacher_model");
      if (newer && isObject(model)) {
        out.push({
          pointer: "/run_provenance/inputs/model",
          message: "teacher_model is present (newer emitter), which records inputs.model as the teacher name string, but inputs.model is a descriptor",
        });
      } else if (newer && typeof model === "string" && model !== doc.teacher_model) {
        out.push({
          pointer: "/run_provenance/inputs/model",
          message: `inputs.model ${JSON.stringify(model)} differs from teacher_model ${JSON.stringify(doc.teacher_model)}`,
        });
      } else if (!newer && typeof model === "string") {
        out.push({
          pointer: "/run_provenance/inputs/model",
          message: "inputs.model is a plain string (newer emitter) but teacher_model, which the newer emitter always writes, is absent",
        });
      }
    }
    return out;
  },
});
