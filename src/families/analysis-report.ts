/**
 * Family `analysis-report`: feature analyses over a feature parquet.
 *
 * - `feature-correlation` (ai/scripts/feature_correlation.py --out): Pearson matrix, redundant
 *   pairs, per-method importances and top-k lists. NaN is routine (constant columns; every
 *   importance without sklearn), so no rule treats NaN as an error.
 * - `phase3-subset-sweep` (ai/scripts/phase3_subset_sweep.py --out): one key per requested
 *   subset (canonical6, A, B, C) plus run_provenance; per-seed LOSO folds and a summary.
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { at, hasKeys, sameNumber } from "./util.js";

const FC = "feature-correlation";
const SWEEP = "phase3-subset-sweep";
const SUBSETS: Record<string, number> = { canonical6: 6, A: 7, B: 7, C: 21 };
const METHODS = ["mi", "lasso", "rf"];

const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");

function isFc(doc: JsonObject): boolean {
  return hasKeys(doc, "pearson", "feature_cols", "importances") && isObject(doc.pearson);
}

function isSweep(doc: JsonObject): boolean {
  const keys = Object.keys(doc).filter((k) => k !== "run_provenance");
  return (
    keys.length > 0 &&
    keys.every((k) => k in SUBSETS) &&
    keys.some((k) => {
      const v = own(doc, k);
      return isObject(v) && hasKeys(v, "per_seed", "summary");
    })
  );
}

function setDiff(actual: string[], expected: Set<string>): { missing: string[]; extra: string[] } {
  return { missing: [...expected].filter((e) => !actual.includes(e)), extra: actual.filter((a) => !expected.has(a)) };
}

function describeDiff(d: { missing: string[]; extra: string[] }): string {
  return (d.missing.length ? `; missing ${d.missing.join(", ")}` : "") + (d.extra.length ? `; unexpected ${d.extra.join(", ")}` : "");
}

function fcRules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const cols = Array.isArray(doc.feature_cols) ? doc.feature_cols.filter((c): c is string => typeof c === "string") : [];
  const colSet = new Set(cols);
  const pearson = doc.pearson;
  if (isObject(pearson)) {
    const d = setDiff(Object.keys(pearson), colSet);
    if (d.missing.length || d.extra.length) {
      out.push({ pointer: "/pearson", message: `pearson rows must be exactly feature_cols${describeDiff(d)}` });
    } else {
      for (const a of cols) {
        const row = own(pearson, a);
        if (!isObject(row)) continue;
        const dr = setDiff(Object.keys(row), colSet);
        if (dr.missing.length || dr.extra.length) {
          out.push({ pointer: p("pearson", a), message: `pearson.${a} must have one entry per feature column${describeDiff(dr)}` });
          continue;
        }
        for (const b of cols) {
          if (b <= a) continue;
          const ab = own(row, b);
          const ba = at(pearson, b, a);
          // np.corrcoef divides by the two deviations in a fixed order, so r[a][b] and r[b][a] may
          // differ in the last bits: compare with a tolerance (NaN equals NaN).
          if (typeof ab === "number" && typeof ba === "number" && !sameNumber(ab, ba) && !(Math.abs(ab - ba) <= 1e-9)) {
            out.push({ pointer: p("pearson", a, b), message: `pearson is not symmetric: pearson.${a}.${b} = ${ab} but pearson.${b}.${a} = ${ba}` });
          }
        }
      }
    }
  }
  const importances = doc.importances;
  if (isObject(importances)) {
    for (const m of METHODS) {
      const scores = own(importances, m);
      if (!isObject(scores)) continue;
      const d = setDiff(Object.keys(scores), colSet);
      if (d.missing.length || d.extra.length) {
        out.push({ pointer: p("importances", m), message: `importances.${m} must score exactly the feature columns${describeDiff(d)}` });
      }
    }
  }
  const topK = doc.top_k;
  const perMethod = doc.per_method_topk;
  if (isObject(perMethod)) {
    for (const m of METHODS) {
      const list = own(perMethod, m);
      if (!Array.isArray(list)) continue;
      if (typeof topK === "number" && list.length > topK) {
        out.push({ pointer: p("per_method_topk", m), message: `per_method_topk.${m} lists ${list.length} features, more than top_k ${topK}` });
      }
      list.forEach((pair, i) => {
        const name = Array.isArray(pair) ? pair[0] : undefined;
        if (typeof name === "string" && !colSet.has(name)) {
          out.push({ pointer: p("per_method_topk", m, i, 0), message: `per_method_topk.${m}[${i}] names ${name}, which is not a feature column` });
        }
      });
    }
  }
  const consensus = doc.consensus_topk;
  if (Array.isArray(consensus)) {
    const names = consensus.filter((c): c is string => typeof c === "string");
    if ([...names].sort().some((n, i) => n !== names[i])) {
      out.push({ pointer: "/consensus_topk", message: "consensus_topk must be sorted" });
    }
    names.forEach((n, i) => {
      if (!colSet.has(n)) out.push({ pointer: p("consensus_topk", i), message: `consensus_topk names ${n}, which is not a feature column` });
    });
  }
  const threshold = doc.redundancy_threshold;
  if (Array.isArray(doc.redundant_pairs)) {
    let prev = Infinity;
    doc.redundant_pairs.forEach((pair, i) => {
      if (!isObject(pair)) return;
      const r = own(pair, "r");
      for (const side of ["a", "b"]) {
        const name = own(pair, side);
        if (typeof name === "string" && !colSet.has(name)) {
          out.push({ pointer: p("redundant_pairs", i, side), message: `redundant_pairs[${i}].${side} names ${name}, which is not a feature column` });
        }
      }
      if (typeof r !== "number") return;
      if (typeof threshold === "number" && !(Math.abs(r) >= threshold)) {
        out.push({ pointer: p("redundant_pairs", i, "r"), message: `redundant_pairs[${i}] has |r| ${Math.abs(r)} below redundancy_threshold ${threshold}` });
      }
      if (Math.abs(r) > prev) {
        out.push({ pointer: p("redundant_pairs", i, "r"), message: `redundant_pairs must be sorted by |r| descending; |r| ${Math.abs(r)} follows ${prev}` });
      }
      prev = Math.abs(r);
    });
  }
  return out;
}

function sweepRules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const names = Object.keys(doc).filter((k) => k !== "run_provenance");
  const args = at(doc, "run_provenance", "args");
  if (isObject(args) && typeof args.subsets === "string") {
    const requested = new Set(args.subsets.split(",").map((s) => s.trim()));
    const d = setDiff(names, requested);
    if (d.missing.length || d.extra.length) {
      out.push({
        pointer: "/run_provenance/args/subsets",
        message: `the subset keys must be exactly those of run_provenance.args.subsets "${args.subsets}"${describeDiff(d)}`,
      });
    }
  }
  let seeds: string[] | undefined;
  if (isObject(args)) {
    if (typeof args.seeds === "string" && args.seeds.trim() !== "") seeds = args.seeds.split(",").map((s) => String(parseInt(s.trim(), 10)));
    else if (typeof args.seed === "number") seeds = [String(args.seed)];
  }
  for (const name of names) {
    const sub = own(doc, name);
    if (!isObject(sub)) continue;
    const features = own(sub, "features");
    if (Array.isArray(features) && name in SUBSETS && features.length !== SUBSETS[name]) {
      out.push({ pointer: p(name, "features"), message: `subset ${name} has ${SUBSETS[name]} features, found ${features.length}` });
    }
    const perSeed = own(sub, "per_seed");
    const summary = own(sub, "summary");
    if (!isObject(perSeed) || !isObject(summary)) continue;
    let folds = 0;
    for (const k of Object.keys(perSeed)) {
      const f = own(perSeed, k);
      if (isObject(f)) folds += Object.keys(f).length;
    }
    const nFolds = own(summary, "n_folds");
    if (typeof nFolds === "number" && nFolds !== folds) {
      out.push({
        pointer: p(name, "summary", "n_folds"),
        message: `${name}.summary.n_folds ${nFolds} is not the number of (seed, fold) pairs in per_seed (${folds})`,
      });
    }
    if (seeds) {
      const d = setDiff(Object.keys(perSeed), new Set(seeds));
      if (d.missing.length || d.extra.length) {
        out.push({
          pointer: p(name, "per_seed"),
          message: `${name}.per_seed keys must be the seeds run (${[...new Set(seeds)].join(", ")})${describeDiff(d)}`,
        });
      }
      const nSeeds = own(summary, "n_seeds");
      if (typeof nSeeds === "number" && nSeeds !== seeds.length) {
        out.push({ pointer: p(name, "summary", "n_seeds"), message: `${name}.summary.n_seeds ${nSeeds} is not the number of seeds run (${seeds.length})` });
      }
    }
    if (folds <= 1) {
      for (const k of ["std_plcc", "std_srocc", "std_rmse"]) {
        const v = own(summary, k) as JsonValue | undefined;
        if (typeof v === "number" && v !== 0) {
          out.push({ pointer: p(name, "summary", k), message: `${name}.summary.${k} must be 0.0 with ${folds} fold(s), found ${v}` });
        }
      }
    }
    if (Object.keys(perSeed).length <= 1) {
      const v = own(summary, "seed_mean_plcc_std");
      if (typeof v === "number" && v !== 0) {
        out.push({ pointer: p(name, "summary", "seed_mean_plcc_std"), message: `${name}.summary.seed_mean_plcc_std must be 0.0 with one seed, found ${v}` });
      }
    }
  }
  return out;
}

export const analysisReport = defineFamily({
  name: "analysis-report",
  filePatterns: ["--out PATH (feature_correlation.py, phase3_subset_sweep.py; required)", "runs/phase3_subset_sweep.json (docstring)"],
  variants: {
    [FC]: { outputs: { json_report: "stale" } },
    [SWEEP]: { outputs: { json_report: "stale" } },
  },
  detection: {
    fileNames: [{ tier: "convention", name: /^phase3_subset_sweep\.json$/ }],
    keys: [
      { variant: FC, where: isFc },
      { variant: SWEEP, where: isSweep },
    ],
  },
  variantOf(doc: JsonObject): string | undefined {
    if (isFc(doc)) return FC;
    if (isSweep(doc)) return SWEEP;
    return variantByEntrypoint("analysis-report", doc);
  },
  particular(doc: JsonObject, variant: string | undefined): RuleViolation[] {
    if (variant === FC) return fcRules(doc);
    if (variant === SWEEP) return sweepRules(doc);
    return [];
  },
});
