/**
 * Family `eval-report`: LOSO, multi-seed and legacy evaluation reports (ai/scripts/eval_*.py).
 *
 * None of these has a top-level `schema`; only `saliency-per-mb-iou` has `schema_version: 1`.
 * Variants are told apart by key set (and entrypoint basename). Outputs: tiny LOSO v3/v4/v5 and
 * multiseed record a plain-string `report_target`; mlp_small/3arch `json_report` +
 * `markdown_report`, probabilistic `metrics_out` and saliency `json_report` are descriptors of
 * the report itself or its Markdown twin, written after the block (stale by design).
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation, KeyEvidence } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { variantByKeys } from "./evidence.js";
import { collect, copiedFromArgs, keysAreSeeds, type Rule } from "./rules/index.js";
import { at, entrypointBase, sameNumber, showValue as fmt, closeTo as close } from "./util.js";

/** Key sets per variant, most specific first (variantOf takes the first that holds). */
const KEYS: KeyEvidence[] = [
  { variant: "vmaf-tiny-v5-corpus-expansion", has: ["v2_baseline", "v5_extended", "decision"] },
  { variant: "multiseed-v3-v4", has: ["per_seed_per_fold", "overall", "sources"] },
  { variant: "vmaf-tiny-loso-v3-v4", has: ["per_fold", "aggregate", "model", "arch"] },
  { variant: "loso-mlp-small", has: ["loso_per_fold", "baselines", "generated"] },
  { variant: "loso-3arch", has: ["archs", "generated", "corpus"] },
  { variant: "probabilistic-proxy", has: ["coverage", "ensemble_size", "mean_sigma"] },
  { variant: "saliency-per-mb-iou", has: ["schema_version", "rows", "macro_iou", "micro_iou"] },
];

function variantOf(doc: JsonObject): string | undefined {
  return variantByKeys(KEYS, doc) ?? variantByEntrypoint("eval-report", doc);
}

function argsOf(doc: JsonObject): JsonObject | undefined {
  const a = at(doc, "run_provenance", "args");
  return isObject(a) ? a : undefined;
}

/** Top-level copies of CLI values: `doc[key] == args[argKey]` (numbers NaN-aware, others by JSON). */
const fromArgs = (...keys: (string | [string, string])[]): Rule[] =>
  keys.map((k) => (typeof k === "string" ? copiedFromArgs(`/${k}`) : copiedFromArgs(`/${k[0]}`, { arg: k[1] })));

/** The plain-string report target is the --out-json flag as given. */
const REPORT_TARGET = copiedFromArgs("/run_provenance/outputs/report_target", { arg: "out_json", type: "string", label: "outputs.report_target" });

/** Mean of `plcc` over a per-fold map; NaN spreads (plain mean, not nanmean). */
function meanPlcc(perFold: JsonObject): number | undefined {
  const vals = Object.values(perFold).map((r) => (isObject(r) ? own(r, "plcc") : undefined));
  if (vals.length === 0 || !vals.every((x): x is number => typeof x === "number")) return undefined;
  return vals.reduce((a, b) => a + b, 0) / vals.length;
}

/**
 * `aggMean` must be the mean of the fold PLCCs. `plainMeanKnown`: the facts say the emitter uses a
 * plain mean, so a NaN fold makes the aggregate NaN (tiny LOSO v3/v4/v5). Elsewhere (mlp_small,
 * 3arch) how a NaN fold is aggregated is not pinned (mean or nanmean), so only all-finite folds
 * are checked.
 */
function checkAggregateMean(perFold: JsonValue | undefined, aggMean: JsonValue | undefined, ptr: string, out: RuleViolation[], plainMeanKnown = true): void {
  if (!isObject(perFold) || typeof aggMean !== "number") return;
  if (!plainMeanKnown && Object.values(perFold).some((r) => isObject(r) && typeof own(r, "plcc") === "number" && Number.isNaN(own(r, "plcc")))) return;
  const m = meanPlcc(perFold);
  if (m !== undefined && !close(aggMean, m)) {
    out.push({ pointer: ptr, message: `${ptr.slice(1).replace(/\//g, ".")} ${fmt(aggMean)} is not the mean of the fold PLCCs (${fmt(m)})` });
  }
}

function sameKeySet(a: string[], b: Set<string>): boolean {
  return a.length === b.size && a.every((k) => b.has(k));
}

function tinyLoso(doc: JsonObject, out: RuleViolation[]): void {
  const perFold = own(doc, "per_fold");
  const n = own(doc, "n_folds");
  if (isObject(perFold) && typeof n === "number" && n !== Object.keys(perFold).length) {
    out.push({ pointer: "/n_folds", message: `n_folds is ${n} but per_fold has ${Object.keys(perFold).length} sources` });
  }
  const model = own(doc, "model");
  const arch = own(doc, "arch");
  const pairs: Record<string, string> = { vmaf_tiny_v3: "mlp_medium", vmaf_tiny_v4: "mlp_large" };
  if (typeof model === "string" && typeof arch === "string" && pairs[model] !== undefined && pairs[model] !== arch) {
    out.push({ pointer: "/arch", message: `arch ${fmt(arch)} does not go with model ${fmt(model)} (v3 is mlp_medium, v4 mlp_large)` });
  }
  const ep = entrypointBase(doc);
  if (typeof model === "string" && (ep === "eval_loso_vmaf_tiny_v3.py" || ep === "eval_loso_vmaf_tiny_v4.py")) {
    const want = ep === "eval_loso_vmaf_tiny_v3.py" ? "vmaf_tiny_v3" : "vmaf_tiny_v4";
    if (model !== want) out.push({ pointer: "/model", message: `model ${fmt(model)} but the entrypoint ${ep} writes ${want}` });
  }
  checkAggregateMean(perFold, at(doc, "aggregate", "mean_plcc"), "/aggregate/mean_plcc", out);
}

function tinyV5(doc: JsonObject, out: RuleViolation[]): void {
  const delta = own(doc, "delta_plcc");
  const sigma = own(doc, "v2_sigma_plcc");
  const decision = own(doc, "decision");
  if (typeof delta === "number" && typeof sigma === "number" && (decision === "ship_v5" || decision === "defer")) {
    const want = delta >= sigma ? "ship_v5" : "defer";
    if (decision !== want) {
      out.push({
        pointer: "/decision",
        message: `decision is ${decision} but delta_plcc ${fmt(delta)} ${delta >= sigma ? ">=" : "is not >="} v2_sigma_plcc ${fmt(sigma)}`,
      });
    }
  }
  const std = at(doc, "v2_baseline", "aggregate", "std_plcc");
  if (typeof sigma === "number" && typeof std === "number" && !sameNumber(sigma, std)) {
    out.push({ pointer: "/v2_sigma_plcc", message: `v2_sigma_plcc ${fmt(sigma)} differs from v2_baseline.aggregate.std_plcc ${fmt(std)}` });
  }
  const m5 = at(doc, "v5_extended", "aggregate", "mean_plcc");
  const m2 = at(doc, "v2_baseline", "aggregate", "mean_plcc");
  if (typeof delta === "number" && typeof m5 === "number" && typeof m2 === "number" && !close(delta, m5 - m2)) {
    out.push({
      pointer: "/delta_plcc",
      message: `delta_plcc ${fmt(delta)} is not v5_extended.aggregate.mean_plcc - v2_baseline.aggregate.mean_plcc (${fmt(m5 - m2)})`,
    });
  }
  const teacher = own(doc, "teacher_model");
  const args = argsOf(doc);
  const assume = args ? own(args, "assume_teacher") : undefined;
  if (typeof teacher === "string" && typeof assume === "string" && teacher !== assume) {
    out.push({
      pointer: "/teacher_model",
      message: `teacher_model ${fmt(teacher)} differs from --assume-teacher ${fmt(assume)} (the emitter exits on a conflict)`,
    });
  }
  for (const run of ["v2_baseline", "v5_extended"]) {
    checkAggregateMean(at(doc, run, "per_fold"), at(doc, run, "aggregate", "mean_plcc"), `/${run}/aggregate/mean_plcc`, out);
  }
}

function multiseed(doc: JsonObject, out: RuleViolation[]): void {
  const sources = own(doc, "sources");
  const n = own(doc, "n_folds");
  if (Array.isArray(sources) && typeof n === "number" && n !== sources.length) {
    out.push({ pointer: "/n_folds", message: `n_folds is ${n} but sources has ${sources.length} items` });
  }
  if (Array.isArray(sources)) {
    const srcSet = new Set(sources.map((s) => String(s)));
    const pfa = own(doc, "per_fold_aggregate");
    if (isObject(pfa) && !sameKeySet(Object.keys(pfa), srcSet)) {
      out.push({ pointer: "/per_fold_aggregate", message: `per_fold_aggregate keys ${fmt(Object.keys(pfa))} are not the sources ${fmt(sources)}` });
    }
    const pspf = own(doc, "per_seed_per_fold");
    if (isObject(pspf)) {
      for (const [seed, folds] of Object.entries(pspf)) {
        if (isObject(folds) && !sameKeySet(Object.keys(folds), srcSet)) {
          out.push({
            pointer: childPointer("/per_seed_per_fold", seed),
            message: `per_seed_per_fold["${seed}"] keys ${fmt(Object.keys(folds))} are not the sources ${fmt(sources)}`,
          });
        }
      }
    }
  }
}

function outputName(doc: JsonObject, key: string, want: string, out: RuleViolation[]): void {
  const d = at(doc, "run_provenance", "outputs", key);
  if (isObject(d) && typeof d.path === "string") {
    const base = d.path.split(/[\\/]/).pop();
    if (base !== want)
      out.push({
        pointer: `/run_provenance/outputs/${key}/path`,
        message: `outputs.${key}.path ${fmt(d.path)} does not name ${want} (the emitter's fixed file name)`,
      });
  }
}

function mlpSmall(doc: JsonObject, out: RuleViolation[]): void {
  outputName(doc, "json_report", "loso_mlp_small_eval.json", out);
  outputName(doc, "markdown_report", "loso_mlp_small_eval.md", out);
  checkAggregateMean(own(doc, "loso_per_fold"), at(doc, "loso_aggregate", "mean_plcc"), "/loso_aggregate/mean_plcc", out, false);
}

function threeArch(doc: JsonObject, out: RuleViolation[]): void {
  const archs = own(doc, "archs");
  if (isObject(archs)) {
    for (const [name, entry] of Object.entries(archs)) {
      if (!isObject(entry)) continue;
      const pf = own(entry, "per_fold");
      const agg = own(entry, "aggregate");
      if (!isObject(pf) || agg === undefined) continue;
      const empty = Object.keys(pf).length === 0;
      if (empty !== (agg === null)) {
        out.push({
          pointer: childPointer(childPointer("/archs", name), "aggregate"),
          message: empty
            ? `archs.${name}.aggregate is not null although per_fold is empty`
            : `archs.${name}.aggregate is null although per_fold has ${Object.keys(pf).length} folds`,
        });
      }
      if (isObject(agg)) checkAggregateMean(pf, own(agg, "mean_plcc"), `/archs/${name}/aggregate/mean_plcc`, out, false);
    }
  }
  outputName(doc, "json_report", "loso_3arch_eval.json", out);
  outputName(doc, "markdown_report", "loso_3arch_eval.md", out);
}

function probabilistic(doc: JsonObject, out: RuleViolation[]): void {
  const args = argsOf(doc);
  const sigma = own(doc, "mean_sigma");
  const gauss = at(doc, "coverage", "gaussian");
  if (isObject(gauss) && typeof sigma === "number") {
    for (const [k, band] of Object.entries(gauss)) {
      if (!isObject(band)) continue;
      const z = own(band, "z");
      const w = own(band, "mean_width");
      if (typeof z === "number" && typeof w === "number" && !close(w, 2 * z * sigma, 1e-4)) {
        out.push({ pointer: `/coverage/gaussian/${k}/mean_width`, message: `mean_width ${fmt(w)} is not 2 * z * mean_sigma (${fmt(2 * z * sigma)})` });
      }
    }
  }
  if (args) {
    const parquetArg = own(args, "parquet");
    const parquetIn = at(doc, "run_provenance", "inputs", "parquet");
    if (parquetArg !== undefined && parquetIn !== undefined && (parquetArg === null) !== (parquetIn === null)) {
      out.push({
        pointer: "/run_provenance/inputs/parquet",
        message: `inputs.parquet is ${parquetIn === null ? "null" : "a descriptor"} but run_provenance.args.parquet is ${fmt(parquetArg)}`,
      });
    }
    const smoke = own(args, "smoke");
    const n = own(doc, "n_rows");
    if ((smoke === true || parquetArg === null) && typeof n === "number" && n !== 100) {
      out.push({ pointer: "/n_rows", message: `n_rows is ${n} but the synthetic corpus (--smoke or no --parquet) has 100 rows` });
    }
  }
}

function saliency(doc: JsonObject, out: RuleViolation[]): void {
  const rows = own(doc, "rows");
  const n = own(doc, "n_pairs");
  const bs = own(doc, "block_size");
  if (Array.isArray(rows)) {
    if (typeof n === "number" && n !== rows.length) {
      out.push({ pointer: "/n_pairs", message: `n_pairs is ${n} but rows has ${rows.length} items` });
    }
    let ti = 0;
    let tu = 0;
    const ious: number[] = [];
    rows.forEach((r, i) => {
      if (!isObject(r)) return;
      const rb = own(r, "block_size");
      if (typeof bs === "number" && typeof rb === "number" && rb !== bs) {
        out.push({ pointer: `/rows/${i}/block_size`, message: `rows[${i}].block_size ${rb} differs from block_size ${bs}` });
      }
      const inter = own(r, "intersection_blocks");
      const uni = own(r, "union_blocks");
      const pb = own(r, "pred_blocks");
      const gb = own(r, "gt_blocks");
      const iou = own(r, "iou");
      if ([inter, uni, pb, gb].every((x) => typeof x === "number")) {
        const [I, U, P, G] = [inter, uni, pb, gb] as number[];
        if (U !== P + G - I) {
          out.push({ pointer: `/rows/${i}/union_blocks`, message: `union_blocks ${U} is not pred_blocks + gt_blocks - intersection_blocks (${P + G - I})` });
        }
        ti += I;
        tu += U;
        if (typeof iou === "number") {
          const want = U === 0 ? 1 : I / U;
          if (!close(iou, want)) out.push({ pointer: `/rows/${i}/iou`, message: `iou ${fmt(iou)} is not intersection_blocks / union_blocks (${fmt(want)})` });
        }
      }
      if (typeof iou === "number") ious.push(iou);
    });
    const macro = own(doc, "macro_iou");
    if (typeof macro === "number" && ious.length === rows.length && ious.length > 0) {
      const m = ious.reduce((a, b) => a + b, 0) / ious.length;
      if (!close(macro, m)) out.push({ pointer: "/macro_iou", message: `macro_iou ${fmt(macro)} is not the mean of the row IoUs (${fmt(m)})` });
    }
    const micro = own(doc, "micro_iou");
    if (typeof micro === "number" && rows.length > 0) {
      const m = tu === 0 ? 1 : ti / tu;
      if (!close(micro, m)) out.push({ pointer: "/micro_iou", message: `micro_iou ${fmt(micro)} is not total intersection / total union (${fmt(m)})` });
    }
  }
  const args = argsOf(doc);
  const jr = at(doc, "run_provenance", "outputs", "json_report");
  const oj = args ? own(args, "out_json") : undefined;
  if (jr !== undefined && oj !== undefined && (jr === null) !== (oj === null)) {
    out.push({
      pointer: "/run_provenance/outputs/json_report",
      message: `outputs.json_report is ${jr === null ? "null" : "a descriptor"} but run_provenance.args.out_json is ${fmt(oj)}`,
    });
  }
}

export const evalReport = defineFamily({
  name: "eval-report",
  filePatterns: [
    "--out-json of eval_loso_vmaf_tiny_v3/v4/v5.py and eval_multiseed_v3_v4.py (e.g. runs/vmaf_tiny_v3_loso_metrics.json)",
    "<out>/loso_mlp_small_eval.json",
    "<out>/loso_3arch_eval.json",
    "--metrics-out of eval_probabilistic_proxy.py",
    "--out-json of eval_saliency_per_mb.py",
  ],
  variants: {
    "vmaf-tiny-loso-v3-v4": {
      outputs: { report_target: "stale" },
      rules: [collect(tinyLoso), ...fromArgs("parquet", "epochs", "lr", "batch_size", "seed"), REPORT_TARGET],
    },
    "vmaf-tiny-v5-corpus-expansion": {
      outputs: { report_target: "stale" },
      rules: [collect(tinyV5), ...fromArgs("epochs", "lr", "batch_size", "seed"), REPORT_TARGET],
    },
    "multiseed-v3-v4": {
      outputs: { report_target: "stale" },
      rules: [
        collect(multiseed),
        keysAreSeeds("/per_seed_per_fold", "/seeds"),
        keysAreSeeds("/per_seed_aggregate", "/seeds"),
        ...fromArgs("arch", "label", "parquet", "seeds", "epochs", "lr", "batch_size"),
        REPORT_TARGET,
      ],
    },
    "loso-mlp-small": {
      outputs: { json_report: "stale", markdown_report: "stale" },
      rules: [
        collect(mlpSmall),
        ...fromArgs(["corpus", "data_root"]),
        copiedFromArgs("/baselines/mlp_small_v1/model_path", { arg: "mlp_small_baseline", type: "string", label: "model_path" }),
        copiedFromArgs("/baselines/mlp_medium_v1/model_path", { arg: "mlp_medium_baseline", type: "string", label: "model_path" }),
      ],
    },
    "loso-3arch": { outputs: { json_report: "stale", markdown_report: "stale" }, rules: [collect(threeArch), ...fromArgs(["corpus", "data_root"])] },
    "probabilistic-proxy": { outputs: { metrics_out: "stale" }, rules: [collect(probabilistic), ...fromArgs("manifest")] },
    "saliency-per-mb-iou": { outputs: { json_report: "stale" }, rules: [collect(saliency), ...fromArgs("block_size", "threshold")] },
  },
  detection: {
    fileNames: [{ tier: "fixed", name: /^loso_(mlp_small|3arch)_eval\.json$/ }],
    keys: KEYS,
  },
  variantOf: (doc) => variantOf(doc),
  integrityDigests: () => [],
});
