/**
 * Family `loso-seed-report`: `loso_seed<N>.json`, one seed's leave-one-source-out run of the
 * fr_regressor_v2 ensemble, written by `ai/scripts/train_fr_regressor_v2_ensemble_loso.py`
 * (read by `validate_ensemble_seeds.py`, which needs only `mean_plcc`).
 *
 * Facts: the summary dict is flat (aggregates at the top level), `note: "dry-run"` only with
 * `--dry-run`, `epochs` is the effective value (1 in a dry run) while `args.epochs` is the CLI
 * value; `outputs.report_target` is a plain string (never hashed); fold PLCC/SROCC can be NaN.
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { FileFacts, RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { copiedFromArgs } from "./rules/index.js";
import { showValue as fmt, closeTo as close } from "./util.js";

const SEED_NAME = /^loso_seed(-?[0-9]+)\.json$/;

function consistency(doc: JsonObject, _variant: string | undefined, file: FileFacts): RuleViolation[] {
  const out: RuleViolation[] = [];
  const seed = own(doc, "seed");
  const m = SEED_NAME.exec(file.baseName);
  if (m && typeof seed === "number" && String(seed) !== m[1]) {
    out.push({ pointer: "/seed", message: `seed ${fmt(seed)} differs from the ${m[1]} in the file name ${file.baseName}` });
  }

  const folds = own(doc, "folds");
  const nFolds = own(doc, "n_folds");
  if (Array.isArray(folds)) {
    if (typeof nFolds === "number" && nFolds !== folds.length) {
      out.push({ pointer: "/n_folds", message: `n_folds is ${nFolds} but folds has ${folds.length} items` });
    }
    let total: number | undefined;
    let prev: string | undefined;
    folds.forEach((f, i) => {
      if (!isObject(f)) return;
      const h = own(f, "held_out");
      if (typeof h === "string") {
        if (prev !== undefined && !(prev < h)) {
          out.push({
            pointer: `/folds/${i}/held_out`,
            message: `held_out ${JSON.stringify(h)} is not after ${JSON.stringify(prev)} (folds are in sorted, distinct source order)`,
          });
        }
        prev = h;
      }
      const nt = own(f, "n_train");
      const nv = own(f, "n_val");
      if (typeof nt === "number" && typeof nv === "number") {
        if (total === undefined) total = nt + nv;
        else if (nt + nv !== total) {
          out.push({
            pointer: `/folds/${i}/n_train`,
            message: `n_train + n_val is ${nt + nv} here but ${total} in fold 0 (every fold splits the same corpus)`,
          });
        }
      }
    });
    // Aggregates recomputed when no fold PLCC is NaN.
    const plccs = folds.map((f) => (isObject(f) ? own(f, "plcc") : undefined));
    if (plccs.length > 0 && plccs.every((p): p is number => typeof p === "number" && !Number.isNaN(p))) {
      const mean = plccs.reduce((a, b) => a + b, 0) / plccs.length;
      const checks: [string, number][] = [
        ["mean_plcc", mean],
        ["min_plcc", Math.min(...plccs)],
        ["max_plcc", Math.max(...plccs)],
      ];
      for (const [key, want] of checks) {
        const got = own(doc, key);
        if (typeof got === "number" && !close(got, want)) {
          out.push({ pointer: `/${key}`, message: `${key} ${fmt(got)} does not match the fold PLCCs (${fmt(want)})` });
        }
      }
    }
  }

  const rp = own(doc, "run_provenance");
  const args = isObject(rp) ? own(rp, "args") : undefined;
  if (isObject(args)) {
    const seeds = own(args, "seeds");
    if (typeof seed === "number" && Array.isArray(seeds) && !seeds.includes(seed)) {
      out.push({ pointer: "/seed", message: `seed ${seed} is not one of run_provenance.args.seeds ${fmt(seeds)}` });
    }
    const dry = own(args, "dry_run");
    const epochs = own(doc, "epochs");
    const argEpochs = own(args, "epochs");
    if (typeof dry === "boolean" && typeof epochs === "number") {
      const want = dry ? 1 : argEpochs;
      if (typeof want === "number" && epochs !== want) {
        out.push({
          pointer: "/epochs",
          message: `epochs is ${epochs} but should be ${want} (${dry ? "--dry-run trains 1 epoch" : "run_provenance.args.epochs"})`,
        });
      }
    }
    if (typeof dry === "boolean") {
      const hasNote = Object.prototype.hasOwnProperty.call(doc, "note");
      if (hasNote && !dry)
        out.push({ pointer: "/note", message: "note is present but run_provenance.args.dry_run is false (note is written only with --dry-run)" });
      if (!hasNote && dry)
        out.push({ pointer: "/run_provenance/args/dry_run", message: 'run_provenance.args.dry_run is true but the report has no note "dry-run"' });
    }
  }
  if (isObject(rp) && typeof seed === "number") {
    const target = isObject(own(rp, "outputs")) ? own(own(rp, "outputs") as JsonObject, "report_target") : undefined;
    if (typeof target === "string") {
      const want = `loso_seed${seed}.json`;
      const base = target.split(/[\\/]/).pop();
      if (base !== want) {
        out.push({ pointer: "/run_provenance/outputs/report_target", message: `outputs.report_target ${JSON.stringify(target)} does not name ${want}` });
      }
    }
  }
  return out;
}

export const losoSeedReport = defineFamily({
  name: "loso-seed-report",
  filePatterns: ["loso_seed<N>.json"],
  variants: {
    "fr-regressor-v2-ensemble-loso": { outputs: { report_target: "stale" } },
  },
  detection: {
    fileNames: [{ tier: "fixed", name: SEED_NAME }],
    keys: [{ has: ["seed", "folds", "mean_plcc", "n_folds", "encoder_vocab_version"] }],
  },
  variantOf: () => "fr-regressor-v2-ensemble-loso",
  integrityDigests: () => [],
  rules: [
    copiedFromArgs("/corpus", { type: "string" }),
    ...["batch_size", "lr", "weight_decay", "num_codecs"].map((k) => copiedFromArgs(`/${k}`, { type: "number" })),
  ],
  particular: consistency,
});
