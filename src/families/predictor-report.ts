/**
 * Family `predictor-report`: `runs/predictor_v2_realcorpus/report.json`, written by
 * `ai/scripts/train_predictor_v2_realcorpus.py` on every run past argument checking.
 *
 * Facts: `schema_version: 1`, `generated_at_utc` with a `Z` suffix, a constants-only `gate`,
 * per-codec status matrix (pass/fail: 5 folds; insufficient-sources/missing-rows: no folds,
 * zeros and `mean_rmse: NaN`), summary counts, `inputs` with three array-valued keys and a
 * plain-string `outputs.report_target`. The `--allow-empty` report always contains NaN.
 */
import { isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { at, showValue as fmt, closeTo as close } from "./util.js";

const SUMMARY: Record<string, string> = {
  pass: "n_pass",
  fail: "n_fail",
  "insufficient-sources": "n_insufficient",
  "missing-rows": "n_missing_rows",
};

function codecRules(c: JsonObject, i: number, out: RuleViolation[]): void {
  const p = `/codecs/${i}`;
  const status = own(c, "status");
  const folds = own(c, "folds");
  const reasons = own(c, "failure_reasons");
  const nRows = own(c, "n_rows_total");
  const nSrc = own(c, "n_distinct_sources");
  if (Array.isArray(reasons) && typeof status === "string" && (reasons.length === 0) !== (status === "pass")) {
    out.push({ pointer: `${p}/failure_reasons`, message: `failure_reasons has ${reasons.length} items but status is ${status} (empty exactly when pass)` });
  }
  if (!Array.isArray(folds)) return;
  const ran = status === "pass" || status === "fail";
  if (typeof status === "string" && folds.length !== (ran ? 5 : 0)) {
    out.push({ pointer: `${p}/folds`, message: `status ${status} goes with ${ran ? "5 folds" : "no folds"}, but folds has ${folds.length} items` });
    return;
  }
  if (folds.length === 0) {
    for (const k of ["mean_plcc", "plcc_spread", "mean_srocc"]) {
      const v = own(c, k);
      if (typeof v === "number" && v !== 0) out.push({ pointer: `${p}/${k}`, message: `${k} is ${fmt(v)} but no folds ran (the emitter writes 0.0)` });
    }
    const r = own(c, "mean_rmse");
    if (typeof r === "number" && !Number.isNaN(r))
      out.push({ pointer: `${p}/mean_rmse`, message: `mean_rmse is ${fmt(r)} but no folds ran (the emitter writes NaN)` });
    if (Array.isArray(reasons) && reasons.length !== 1) {
      out.push({ pointer: `${p}/failure_reasons`, message: `status ${fmt(status)} has exactly one failure reason, not ${reasons.length}` });
    }
    if (status === "insufficient-sources" && typeof nSrc === "number" && nSrc >= 5) {
      out.push({ pointer: `${p}/n_distinct_sources`, message: `status insufficient-sources but n_distinct_sources is ${nSrc} (>= 5)` });
    }
    if (status === "missing-rows" && Array.isArray(own(c, "corpus_provenance")) && (own(c, "corpus_provenance") as JsonValue[]).length !== 0) {
      out.push({ pointer: `${p}/corpus_provenance`, message: "status missing-rows records no corpus_provenance" });
    }
    return;
  }
  // 5 folds ran
  if (Array.isArray(reasons) && status === "fail" && (reasons.length < 1 || reasons.length > 3)) {
    out.push({ pointer: `${p}/failure_reasons`, message: `status fail has 1 to 3 failure reasons, not ${reasons.length}` });
  }
  if (typeof nSrc === "number" && nSrc < 5) {
    out.push({ pointer: `${p}/n_distinct_sources`, message: `folds ran with n_distinct_sources ${nSrc} (< 5)` });
  }
  const plccs: number[] = [];
  const seen = new Map<string, number>();
  folds.forEach((f, j) => {
    if (!isObject(f)) return;
    const fi = own(f, "fold_index");
    if (typeof fi === "number" && fi !== j) out.push({ pointer: `${p}/folds/${j}/fold_index`, message: `fold_index is ${fi} at position ${j}` });
    const nt = own(f, "n_train");
    const nv = own(f, "n_val");
    if (typeof nt === "number" && typeof nv === "number" && typeof nRows === "number" && nt + nv !== nRows) {
      out.push({ pointer: `${p}/folds/${j}/n_train`, message: `n_train + n_val is ${nt + nv} but n_rows_total is ${nRows}` });
    }
    const hs = own(f, "held_out_sources");
    if (Array.isArray(hs)) {
      hs.forEach((s, k) => {
        if (typeof s !== "string") return;
        const prev = seen.get(s);
        if (prev !== undefined)
          out.push({
            pointer: `${p}/folds/${j}/held_out_sources/${k}`,
            message: `source ${JSON.stringify(s)} is held out in folds ${prev} and ${j} (folds are source-disjoint)`,
          });
        else seen.set(s, j);
      });
    }
    const pl = own(f, "plcc");
    if (typeof pl === "number") plccs.push(pl);
  });
  if (typeof nSrc === "number" && seen.size > 0 && seen.size !== nSrc) {
    out.push({ pointer: `${p}/n_distinct_sources`, message: `n_distinct_sources is ${nSrc} but the folds hold out ${seen.size} sources` });
  }
  if (plccs.length === folds.length && plccs.length > 0) {
    const mean = plccs.reduce((a, b) => a + b, 0) / plccs.length;
    const spread = Math.max(...plccs) - Math.min(...plccs);
    const mp = own(c, "mean_plcc");
    const sp = own(c, "plcc_spread");
    if (typeof mp === "number" && !close(mp, mean))
      out.push({ pointer: `${p}/mean_plcc`, message: `mean_plcc ${fmt(mp)} is not the mean of the fold PLCCs (${fmt(mean)})` });
    if (typeof sp === "number" && !close(sp, spread))
      out.push({ pointer: `${p}/plcc_spread`, message: `plcc_spread ${fmt(sp)} is not max - min of the fold PLCCs (${fmt(spread)})` });
  }
}

function consistency(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const codecs = own(doc, "codecs");
  const summary = own(doc, "summary");
  if (Array.isArray(codecs)) {
    codecs.forEach((c, i) => {
      if (isObject(c)) codecRules(c, i, out);
    });
    if (isObject(summary)) {
      const counts: Record<string, number> = { n_pass: 0, n_fail: 0, n_insufficient: 0, n_missing_rows: 0 };
      for (const c of codecs) {
        const s = isObject(c) ? own(c, "status") : undefined;
        if (typeof s === "string" && SUMMARY[s]) counts[SUMMARY[s]]++;
      }
      for (const [k, want] of Object.entries(counts)) {
        const got = own(summary, k);
        if (typeof got === "number" && got !== want) {
          out.push({
            pointer: `/summary/${k}`,
            message: `summary.${k} is ${got} but ${want} codecs have that status (the counts sum to codecs.length ${codecs.length})`,
          });
        }
      }
    }
  }
  const roots = at(doc, "corpus", "roots");
  if (Array.isArray(roots)) {
    roots.forEach((r, i) => {
      if (i > 0 && typeof r === "string" && typeof roots[i - 1] === "string" && !((roots[i - 1] as string) < r)) {
        out.push({ pointer: `/corpus/roots/${i}`, message: "corpus.roots is not sorted without repeats" });
      }
    });
  }
  const args = at(doc, "run_provenance", "args");
  if (isObject(args)) {
    const target = at(doc, "run_provenance", "outputs", "report_target");
    const ro = own(args, "report_out");
    if (typeof target === "string" && typeof ro === "string" && target !== ro) {
      out.push({
        pointer: "/run_provenance/outputs/report_target",
        message: `outputs.report_target ${fmt(target)} differs from run_provenance.args.report_out ${fmt(ro)}`,
      });
    }
    const codecArg = own(args, "codec");
    if (Array.isArray(codecArg) && Array.isArray(codecs)) {
      const got = codecs.map((c) => (isObject(c) ? own(c, "codec") : undefined));
      if (JSON.stringify(got) !== JSON.stringify(codecArg)) {
        out.push({ pointer: "/codecs", message: `codecs ${JSON.stringify(got)} are not the requested --codec values ${fmt(codecArg)} in order` });
      }
    }
    if (own(args, "synthetic_smoke") === true) {
      const df = at(doc, "corpus", "discovered_files");
      if (Array.isArray(df) && df.length > 0) out.push({ pointer: "/corpus/discovered_files", message: "a --synthetic-smoke run discovers no corpus files" });
      const rf = at(doc, "run_provenance", "inputs", "resolved_corpus_files");
      if (Array.isArray(rf) && rf.length > 0)
        out.push({ pointer: "/run_provenance/inputs/resolved_corpus_files", message: "a --synthetic-smoke run resolves no corpus files" });
      if (Array.isArray(codecs)) {
        codecs.forEach((c, i) => {
          const cp = isObject(c) ? own(c, "corpus_provenance") : undefined;
          if (Array.isArray(cp) && !(cp.length === 0 || (cp.length === 1 && cp[0] === "<synthetic-smoke>"))) {
            out.push({
              pointer: `/codecs/${i}/corpus_provenance`,
              message: `a --synthetic-smoke run records ["<synthetic-smoke>"] or [] as corpus_provenance, not ${fmt(cp)}`,
            });
          }
        });
      }
    }
  }
  return out;
}

export const predictorReport = defineFamily({
  name: "predictor-report",
  filePatterns: ["runs/predictor_v2_realcorpus/report.json", "--report-out of train_predictor_v2_realcorpus.py"],
  variants: {
    "predictor-v2-realcorpus": { outputs: { report_target: "stale" } },
  },
  detection: {
    // `runs/predictor_v2_realcorpus/report.json`, the default, below any folder.
    fileNames: [{ tier: "fixed", path: /\/predictor_v2_realcorpus\/report\.json$/ }],
    keys: [{ has: ["schema_version", "codecs", "summary", "gate", "corpus"] }],
  },
  variantOf: () => "predictor-v2-realcorpus",
  integrityDigests: () => [],
  particular: (doc) => consistency(doc),
});
