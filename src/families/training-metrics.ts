/**
 * Family `training-metrics`: trainer metrics files (fr_regressor v1/v2 `--metrics-out`,
 * vmaf_tiny `--out-stats`, saliency student `--metrics-out`). Facts:
 * the emitter facts summarised in schema/README.md; see schema/README.md ("Facts behind each family").
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { DigestClaim, FamilySpec, FileFacts, RuleViolation } from "./types.js";
import { at, entrypointBase, hasKeys, sameNumber, showValue as fmt } from "./util.js";
import { fileDescriptor, scalerLengthRule } from "./model-sidecar.js";

/**
 * train_fr_regressor.py / train_fr_regressor_v2.py also write the model sidecar of the same run
 * (one shared block); detection breaks that tie with the families' key sets (matchContent).
 */
const SHARED_WITH_SIDECAR: Record<string, string[]> = {
  "fr-regressor-v1-metrics": ["train_fr_regressor.py"],
  "fr-regressor-v2-metrics": ["train_fr_regressor_v2.py"],
};

const ENTRYPOINTS: Record<string, string[]> = {
  "vmaf-tiny-stats": ["train_vmaf_tiny_v2.py", "train_vmaf_tiny_v3.py", "train_vmaf_tiny_v4.py", "train_vmaf_tiny_v5.py"],
  "saliency-student-metrics": ["train_saliency_student.py", "train_saliency_student_v2.py"],
};


function variantOf(doc: JsonObject): string | undefined {
  if (hasKeys(doc, "loso", "shipped")) return "fr-regressor-v1-metrics";
  if (own(doc, "feature_subset") === "canonical6+codec" || hasKeys(doc, "canonical6")) return "fr-regressor-v2-metrics";
  if (hasKeys(doc, "train_metrics") || hasKeys(doc, "input_mean", "n_train_rows")) return "vmaf-tiny-stats";
  if (hasKeys(doc, "best_val_iou") || hasKeys(doc, "onnx_sha256", "history")) return "saliency-student-metrics";
  const ep = entrypointBase(doc);
  if (ep !== undefined) for (const [v, eps] of Object.entries({ ...ENTRYPOINTS, ...SHARED_WITH_SIDECAR })) if (eps.includes(ep)) return v;
  return undefined;
}

function matchFileName(file: FileFacts): number {
  const b = file.baseName;
  if (/^fr_regressor_v[12](_smoke)?_metrics\.json$/.test(b)) return 30;
  if (/^vmaf_tiny_v[0-9]+_stats\.json$/.test(b)) return 20;
  if (/^saliency_student(_v[0-9]+)?_(metrics|train)\.json$/.test(b)) return 20;
  return 0;
}

function matchContent(doc: JsonObject): number {
  if (hasKeys(doc, "onnx") && hasKeys(doc, "kind")) return 0; // a sidecar
  if (hasKeys(doc, "loso", "shipped")) return 30;
  if (own(doc, "feature_subset") === "canonical6+codec" && hasKeys(doc, "in_sample")) return 30;
  if (hasKeys(doc, "train_metrics", "input_mean", "input_std")) return 30;
  if (hasKeys(doc, "best_val_iou", "history", "onnx_sha256")) return 30;
  return 0;
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

export const trainingMetrics: FamilySpec = {
  name: "training-metrics",
  description: "Trainer metrics: fr_regressor v1/v2 --metrics-out, vmaf_tiny --out-stats, saliency student --metrics-out.",
  schemaFile: "training-metrics.schema.json",
  carriesProvenance: true,
  filePatterns: ["runs/fr_regressor_v1_metrics.json", "fr_regressor_v2_metrics.json", "fr_regressor_v2_smoke_metrics.json", "vmaf_tiny_v<N>_stats.json (--out-stats)", "saliency --metrics-out"],
  variants: [
    { name: "fr-regressor-v1-metrics", def: "frRegressorV1Metrics", description: "train_fr_regressor.py metrics (normal or refuse-to-ship); the script also writes the sidecar.", entrypoints: SHARED_WITH_SIDECAR["fr-regressor-v1-metrics"] },
    { name: "fr-regressor-v2-metrics", def: "frRegressorV2Metrics", description: "train_fr_regressor_v2.py metrics; the script also writes the sidecar.", entrypoints: SHARED_WITH_SIDECAR["fr-regressor-v2-metrics"] },
    { name: "vmaf-tiny-stats", def: "vmafTinyStats", description: "train_vmaf_tiny_v{2,3,4,5}.py --out-stats.", entrypoints: ENTRYPOINTS["vmaf-tiny-stats"] },
    {
      name: "saliency-student-metrics",
      def: "saliencyStudentMetrics",
      description: "train_saliency_student{,_v2}.py --metrics-out.",
      entrypoints: ENTRYPOINTS["saliency-student-metrics"],
      outputs: { onnx: "before", metrics: "after" },
    },
  ],
  matchFileName,
  matchContent,
  variantOf: (doc) => variantOf(doc),
  integrityDigests: (doc, variant) => claims(doc, variant ?? variantOf(doc)),
  consistency: (doc, variant) => rules(doc, variant ?? variantOf(doc)),
};
