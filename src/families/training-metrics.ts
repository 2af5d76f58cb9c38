/**
 * Family `training-metrics`: trainer metrics files (fr_regressor v1/v2 `--metrics-out`,
 * vmaf_tiny `--out-stats`, saliency student `--metrics-out`). Facts:
 * the emitter facts summarised in schema/README.md; see schema/README.md ("Facts behind each family").
 */
import { isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { DigestClaim, FamilySpec, FileFacts, RuleViolation } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { at, entrypointBase, hasKeys, sameNumber, showValue as fmt } from "./util.js";
import { fileDescriptor, scalerLengthRule } from "./model-sidecar.js";

/** A sidecar's keys: the trainers that write this family also write sidecars. */
const NOT_A_SIDECAR = ["onnx", "kind"];

function variantOf(doc: JsonObject): string | undefined {
  if (hasKeys(doc, "loso", "shipped")) return "fr-regressor-v1-metrics";
  if (own(doc, "feature_subset") === "canonical6+codec" || hasKeys(doc, "canonical6")) return "fr-regressor-v2-metrics";
  if (hasKeys(doc, "train_metrics") || hasKeys(doc, "input_mean", "n_train_rows")) return "vmaf-tiny-stats";
  if (hasKeys(doc, "best_val_iou") || hasKeys(doc, "onnx_sha256", "history")) return "saliency-student-metrics";
  return variantByEntrypoint("training-metrics", doc);
}


/** Keys the emitter copies from `args` into the document (same name on both sides). */
function copiedArgsRule(doc: JsonObject, keys: string[]): RuleViolation[] {
  const args = at(doc, "run_provenance", "args");
  if (!isObject(args)) return [];
  const out: RuleViolation[] = [];
  for (const k of keys) {
    const a = own(args, k);
    const v = own(doc, k);
    if (a === undefined || v === undefined) continue;
    if (!(a === v || sameNumber(a, v))) out.push({ pointer: `/${k}`, message: `${k} is ${fmt(v)} but run_provenance.args.${k} is ${fmt(a)} (the document copies it from the CLI)` });
  }
  return out;
}

function rules(doc: JsonObject, variant: string | undefined): RuleViolation[] {
  const out: RuleViolation[] = [];
  const args = at(doc, "run_provenance", "args");
  switch (variant) {
    case "fr-regressor-v1-metrics": {
      const perFold = at(doc, "loso", "per_fold");
      const n = at(doc, "loso", "summary", "n_folds");
      if (isObject(perFold) && typeof n === "number" && n !== Object.keys(perFold).length) {
        out.push({ pointer: "/loso/summary/n_folds", message: `loso.summary.n_folds is ${n} but loso.per_fold has ${Object.keys(perFold).length} folds` });
      }
      const subset = own(doc, "feature_subset");
      const cols = own(doc, "feature_cols");
      if (subset === "canonical6" && Array.isArray(cols) && cols.length !== 6) {
        out.push({ pointer: "/feature_cols", message: `feature_cols lists ${cols.length} columns but feature_subset "canonical6" has 6` });
      }
      if (isObject(args)) {
        if (hasKeys(doc, "feature_subset")) {
          const ne = own(args, "no_export");
          if (typeof ne === "boolean" && own(doc, "shipped") !== !ne) {
            out.push({ pointer: "/shipped", message: `shipped is ${fmt(own(doc, "shipped"))} but run_provenance.args.no_export is ${ne} (shipped is its negation)` });
          }
          const f = own(args, "features");
          if (typeof f === "string" && typeof subset === "string" && f !== subset) {
            out.push({ pointer: "/feature_subset", message: `feature_subset is "${subset}" but run_provenance.args.features is "${f}"` });
          }
          out.push(...copiedArgsRule(doc, ["ship_threshold", "epochs", "batch_size", "seed", "lr", "weight_decay"]));
        }
      }
      break;
    }
    case "fr-regressor-v2-metrics": {
      if (own(doc, "smoke") === true && typeof own(doc, "epochs") === "number" && own(doc, "epochs") !== 1) {
        out.push({ pointer: "/epochs", message: `epochs is ${fmt(own(doc, "epochs"))} but smoke runs train 1 epoch (the document records the effective value)` });
      }
      if (isObject(args)) {
        const smoke = own(args, "smoke");
        if (typeof smoke === "boolean" && typeof own(doc, "smoke") === "boolean" && smoke !== own(doc, "smoke")) {
          out.push({ pointer: "/smoke", message: `smoke is ${fmt(own(doc, "smoke"))} but run_provenance.args.smoke is ${smoke}` });
        }
        if (own(doc, "smoke") === false) out.push(...copiedArgsRule(doc, ["epochs"]));
        out.push(...copiedArgsRule(doc, ["batch_size", "seed", "lr", "weight_decay"]));
      }
      break;
    }
    case "vmaf-tiny-stats": {
      out.push(...scalerLengthRule(doc, "", "features", ["input_mean", "input_std"]));
      if (hasKeys(doc, "arch") && hasKeys(doc, "parquet_base")) {
        out.push({ pointer: "/parquet_base", message: "parquet_base (v5 only) appears together with arch (v3/v4 only)" });
      }
      out.push(...copiedArgsRule(doc, ["epochs", "batch_size", "seed", "lr", "parquet_base", "parquet_extra"]));
      break;
    }
    case "saliency-student-metrics": {
      const d = fileDescriptor(doc, "outputs", "onnx");
      const v = own(doc, "onnx_sha256");
      if (d && typeof v === "string" && v !== d.sha256) {
        out.push({ pointer: "/onnx_sha256", message: "onnx_sha256 differs from run_provenance.outputs.onnx.sha256 (both digest the exported ONNX before the metrics are written)" });
      }
      const h = own(doc, "history");
      const e = own(doc, "epochs");
      if (Array.isArray(h) && typeof e === "number" && h.length > e) {
        out.push({ pointer: "/history", message: `history has ${h.length} epochs but epochs is ${e}` });
      }
      out.push(...copiedArgsRule(doc, ["epochs", "batch_size", "crop_size", "seed", "opset", "lr"]));
      break;
    }
    default:
      break;
  }
  return out;
}

function claims(doc: JsonObject, variant: string | undefined): DigestClaim[] {
  if (variant !== "saliency-student-metrics") return [];
  const v = own(doc, "onnx_sha256");
  const p = at(doc, "run_provenance", "outputs", "onnx", "path");
  if (typeof v !== "string" || typeof p !== "string") return [];
  return [{ pointer: "/onnx_sha256", path: p, relativeTo: "root", label: "onnx_sha256 of run_provenance.outputs.onnx.path", stakes: "integrity", onnxGraph: true }];
}

export const trainingMetrics = defineFamily({
  name: "training-metrics",
  filePatterns: ["runs/fr_regressor_v1_metrics.json", "fr_regressor_v2_metrics.json", "fr_regressor_v2_smoke_metrics.json", "vmaf_tiny_v<N>_stats.json (--out-stats)", "saliency --metrics-out"],
  variants: {
    "saliency-student-metrics": { outputs: { onnx: "integrity", metrics: "stale" } },
  },
  detection: {
    fileNames: [
      // The fr_regressor trainers' default --metrics-out names: fixed, they win over an ONNX beside them.
      { tier: "fixed", name: /^fr_regressor_v[12](_smoke)?_metrics\.json$/ },
      { tier: "convention", name: /^vmaf_tiny_v[0-9]+_stats\.json$/ },
      { tier: "convention", name: /^saliency_student(_v[0-9]+)?_(metrics|train)\.json$/ },
    ],
    // Not a sidecar's key set (`onnx` and `kind`): the same trainers write both.
    keys: [
      { has: ["loso", "shipped"], lacks: NOT_A_SIDECAR },
      { has: ["in_sample"], equals: { feature_subset: "canonical6+codec" }, lacks: NOT_A_SIDECAR },
      { has: ["train_metrics", "input_mean", "input_std"], lacks: NOT_A_SIDECAR },
      { has: ["best_val_iou", "history", "onnx_sha256"], lacks: NOT_A_SIDECAR },
    ],
    // train_fr_regressor{,_v2}.py write the sidecar and this file with one block; the sidecar is the main artifact.
    secondaryWriter: true,
  },
  variantOf: (doc) => variantOf(doc),
  integrityDigests: (doc, variant) => claims(doc, variant ?? variantOf(doc)),
  consistency: (doc, variant) => rules(doc, variant ?? variantOf(doc)),
});
