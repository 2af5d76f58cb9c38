/**
 * Family `training-metrics`: trainer metrics files (fr_regressor v1/v2 `--metrics-out`,
 * vmaf_tiny `--out-stats`, saliency student `--metrics-out`). Facts:
 * the emitter facts summarised in schema/README.md; see schema/README.md ("Facts behind each family").
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { DigestClaim } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { at, hasKeys, showValue as fmt } from "./util.js";
import { argsOf, copiedFromArgs, equalLengths, sameDigest, when, type Rule } from "./rules/index.js";

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
const fromCli = (...keys: string[]): Rule[] => keys.map((k) => copiedFromArgs(`/${k}`, { say: "is", why: "the document copies it from the CLI" }));

const v1Folds: Rule = (doc) => {
  const perFold = at(doc, "loso", "per_fold");
  const n = at(doc, "loso", "summary", "n_folds");
  if (isObject(perFold) && typeof n === "number" && n !== Object.keys(perFold).length) {
    return [{ pointer: "/loso/summary/n_folds", message: `loso.summary.n_folds is ${n} but loso.per_fold has ${Object.keys(perFold).length} folds` }];
  }
  return [];
};

const v1Canonical6: Rule = (doc) => {
  const cols = own(doc, "feature_cols");
  if (own(doc, "feature_subset") === "canonical6" && Array.isArray(cols) && cols.length !== 6) {
    return [{ pointer: "/feature_cols", message: `feature_cols lists ${cols.length} columns but feature_subset "canonical6" has 6` }];
  }
  return [];
};

/** `shipped` is the negation of --no-export. */
const v1Shipped: Rule = (doc) => {
  const ne = own(argsOf(doc) ?? {}, "no_export");
  if (typeof ne === "boolean" && own(doc, "shipped") !== !ne) {
    return [{ pointer: "/shipped", message: `shipped is ${fmt(own(doc, "shipped"))} but run_provenance.args.no_export is ${ne} (shipped is its negation)` }];
  }
  return [];
};

const v2SmokeEpochs: Rule = (doc) =>
  own(doc, "smoke") === true && typeof own(doc, "epochs") === "number" && own(doc, "epochs") !== 1
    ? [{ pointer: "/epochs", message: `epochs is ${fmt(own(doc, "epochs"))} but smoke runs train 1 epoch (the document records the effective value)` }]
    : [];

const hasArgs = (doc: JsonObject): boolean => argsOf(doc) !== undefined;

const saliencyHistory: Rule = (doc) => {
  const h = own(doc, "history");
  const e = own(doc, "epochs");
  return Array.isArray(h) && typeof e === "number" && h.length > e
    ? [{ pointer: "/history", message: `history has ${h.length} epochs but epochs is ${e}` }]
    : [];
};

function claims(doc: JsonObject, variant: string | undefined): DigestClaim[] {
  if (variant !== "saliency-student-metrics") return [];
  const v = own(doc, "onnx_sha256");
  const p = at(doc, "run_provenance", "outputs", "onnx", "path");
  if (typeof v !== "string" || typeof p !== "string") return [];
  return [
    { pointer: "/onnx_sha256", path: p, relativeTo: "root", label: "onnx_sha256 of run_provenance.outputs.onnx.path", stakes: "integrity", onnxGraph: true },
  ];
}

export const trainingMetrics = defineFamily({
  name: "training-metrics",
  filePatterns: [
    "runs/fr_regressor_v1_metrics.json",
    "fr_regressor_v2_metrics.json",
    "fr_regressor_v2_smoke_metrics.json",
    "vmaf_tiny_v<N>_stats.json (--out-stats)",
    "saliency --metrics-out",
  ],
  variants: {
    "fr-regressor-v1-metrics": {
      rules: [
        v1Folds,
        v1Canonical6,
        // The refuse-to-ship form (no feature_subset) records no copies.
        when(
          (doc) => hasArgs(doc) && hasKeys(doc, "feature_subset"),
          v1Shipped,
          copiedFromArgs("/feature_subset", { arg: "features", type: "string", say: "is" }),
          ...fromCli("ship_threshold", "epochs", "batch_size", "seed", "lr", "weight_decay"),
        ),
      ],
    },
    "fr-regressor-v2-metrics": {
      rules: [
        v2SmokeEpochs,
        copiedFromArgs("/smoke", { type: "boolean", say: "is" }),
        // A smoke run records the effective epochs (1), not the flag.
        when((doc) => own(doc, "smoke") === false, ...fromCli("epochs")),
        ...fromCli("batch_size", "seed", "lr", "weight_decay"),
      ],
    },
    "vmaf-tiny-stats": {
      rules: [
        equalLengths("/features", ["/input_mean", "/input_std"]),
        (doc) =>
          hasKeys(doc, "arch") && hasKeys(doc, "parquet_base")
            ? [{ pointer: "/parquet_base", message: "parquet_base (v5 only) appears together with arch (v3/v4 only)" }]
            : [],
        ...fromCli("epochs", "batch_size", "seed", "lr", "parquet_base", "parquet_extra"),
      ],
    },
    "saliency-student-metrics": {
      outputs: { onnx: "integrity", metrics: "stale" },
      rules: [
        sameDigest("/onnx_sha256", "outputs", "onnx", "both digest the exported ONNX before the metrics are written"),
        saliencyHistory,
        ...fromCli("epochs", "batch_size", "crop_size", "seed", "opset", "lr"),
      ],
    },
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
});
