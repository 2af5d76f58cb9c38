/**
 * Family `verdict`: ensemble production-flip verdicts (ADR-0309), `PROMOTE.json` or `HOLD.json`,
 * written by `ai/scripts/validate_ensemble_seeds.py` from the `loso_seed<N>.json` reports and
 * the ADR-0303 gate of `scripts/ci/ensemble_prod_gate.py`.
 *
 * Facts (the emitter facts summarised in schema/README.md and the emitter itself):
 * - one key set for both verdicts; the variant is the top-level `verdict` value;
 * - `gate` is `evaluate_gate`'s dict unchanged; a NaN seed forces HOLD and is missing from
 *   `failing_seeds` (`NaN < x` is false), so NaN gate values occur in HOLD files only;
 * - `corpus.sha256` digests a listing of `*.yuv` paths and sizes, never a file: no digest claim;
 * - `outputs.verdict` describes the file itself (built before the write): stale by design;
 * - the committed `fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json` predates ADR-0661: same
 *   shape, no `run_provenance` (the pipeline reports `legacy-no-provenance`).
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { FileFacts, RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { copiedFromArgs, keysAreSeeds } from "./rules/index.js";
import { at, sameNumber, showValue as fmt, closeTo as close } from "./util.js";

/** `PROMOTE.json`, `HOLD.json`, `*_PROMOTE.json`, `*_HOLD.json` (case-sensitive, as written). */
const VERDICT_NAME = /^(?:.*_)?(PROMOTE|HOLD)\.json$/;

export const PROMOTE_RECOMMENDATION =
  "flip seeds smoke->false in model/tiny/registry.json (ADR-0309: registry-flip is a separate follow-up PR; DO NOT flip during a rebase or in the same PR as this verdict file)";
export const HOLD_RECOMMENDATION_PREFIX = "keep smoke=true; investigate diversity / hyperparameters. Failing aspects: ";

/** Verdict named by a file name, or undefined. */
export function verdictOfFileName(baseName: string): "PROMOTE" | "HOLD" | undefined {
  const m = VERDICT_NAME.exec(baseName);
  return m ? (m[1] as "PROMOTE" | "HOLD") : undefined;
}

/**
 * For the registry-flip gate: the verdict, whether its gate passed, and the seeds it covers
 * (top-level `seeds`, distinct, in file order). Undefined when the document is not a verdict
 * of this shape (no PROMOTE/HOLD `verdict`, no boolean `gate.passed`, or `seeds` not a
 * non-empty integer array). Pure: no file access.
 */
export function verdictSeeds(doc: JsonValue | undefined): { verdict: "PROMOTE" | "HOLD"; passed: boolean; seeds: number[] } | undefined {
  if (!isObject(doc)) return undefined;
  const verdict = own(doc, "verdict");
  if (verdict !== "PROMOTE" && verdict !== "HOLD") return undefined;
  const passed = at(doc, "gate", "passed");
  if (typeof passed !== "boolean") return undefined;
  const seeds = own(doc, "seeds");
  if (!Array.isArray(seeds) || seeds.length === 0) return undefined;
  const out: number[] = [];
  for (const s of seeds) {
    if (typeof s !== "number" || !Number.isInteger(s)) return undefined;
    if (!out.includes(s)) out.push(s);
  }
  return { verdict, passed, seeds: out };
}

function consistency(doc: JsonObject, _variant: string | undefined, file: FileFacts): RuleViolation[] {
  const out: RuleViolation[] = [];
  const v = own(doc, "verdict");
  const gate = own(doc, "gate");
  const seeds = own(doc, "seeds");
  const rp = own(doc, "run_provenance");

  // File name <-> verdict (the emitter writes exactly <verdict>.json).
  const named = verdictOfFileName(file.baseName);
  if (named !== undefined && (v === "PROMOTE" || v === "HOLD") && named !== v) {
    out.push({ pointer: "/verdict", message: `verdict is ${fmt(v)} but the file is named ${file.baseName} (the emitter writes <verdict>.json)` });
  }

  if (isObject(gate)) {
    const passed = own(gate, "passed");
    const mp = own(gate, "mean_plcc_pass");
    const sp = own(gate, "plcc_spread_pass");
    const pp = own(gate, "per_seed_pass");
    const failing = own(gate, "failing_seeds");
    const plccs = own(gate, "per_seed_plccs");
    const mean = own(gate, "mean_plcc");
    const thr = own(gate, "mean_plcc_threshold");
    const spread = own(gate, "plcc_spread");
    const smax = own(gate, "plcc_spread_max");
    const psMin = own(gate, "per_seed_min");

    // verdict == PROMOTE <=> gate.passed
    if ((v === "PROMOTE" || v === "HOLD") && typeof passed === "boolean" && (v === "PROMOTE") !== passed) {
      out.push({ pointer: "/verdict", message: `verdict is ${v} but gate.passed is ${passed} (PROMOTE is written exactly when the gate passed)` });
    }
    // passed <=> all three *_pass
    if (typeof passed === "boolean" && typeof mp === "boolean" && typeof sp === "boolean" && typeof pp === "boolean") {
      if (passed !== (mp && sp && pp)) {
        out.push({ pointer: "/gate/passed", message: `gate.passed is ${passed} but mean_plcc_pass=${mp}, plcc_spread_pass=${sp}, per_seed_pass=${pp}` });
      }
    }
    // mean_plcc_pass <=> mean_plcc >= threshold; plcc_spread_pass <=> spread <= max (NaN: false)
    if (typeof mp === "boolean" && typeof mean === "number" && typeof thr === "number" && mp !== mean >= thr) {
      out.push({
        pointer: "/gate/mean_plcc_pass",
        message: `mean_plcc_pass is ${mp} but mean_plcc ${fmt(mean)} ${mean >= thr ? ">=" : "is not >="} mean_plcc_threshold ${fmt(thr)}`,
      });
    }
    if (typeof sp === "boolean" && typeof spread === "number" && typeof smax === "number" && sp !== spread <= smax) {
      out.push({
        pointer: "/gate/plcc_spread_pass",
        message: `plcc_spread_pass is ${sp} but plcc_spread ${fmt(spread)} ${spread <= smax ? "<=" : "is not <="} plcc_spread_max ${fmt(smax)}`,
      });
    }
    // per_seed_pass <=> failing_seeds == []
    if (typeof pp === "boolean" && Array.isArray(failing) && pp !== (failing.length === 0)) {
      out.push({ pointer: "/gate/per_seed_pass", message: `per_seed_pass is ${pp} but failing_seeds is ${fmt(failing)}` });
    }
    // per_seed_min == mean_plcc_threshold == args.mean_threshold; plcc_spread_max == args.plcc_spread_max
    if (typeof psMin === "number" && typeof thr === "number" && !sameNumber(psMin, thr)) {
      out.push({
        pointer: "/gate/per_seed_min",
        message: `per_seed_min ${fmt(psMin)} differs from mean_plcc_threshold ${fmt(thr)} (the script passes the mean threshold as the per-seed minimum)`,
      });
    }

    if (isObject(plccs)) {
      const keys = Object.keys(plccs);
      const values = keys.map((k) => plccs[k]).filter((x): x is number => typeof x === "number");
      // mean_plcc and plcc_spread recomputed from the per-seed values
      if (values.length === keys.length && values.length > 0) {
        const hasNaN = values.some((x) => Number.isNaN(x));
        const m = values.reduce((a, b) => a + b, 0) / values.length;
        if (typeof mean === "number" && !close(mean, m)) {
          out.push({ pointer: "/gate/mean_plcc", message: `mean_plcc ${fmt(mean)} is not the mean of per_seed_plccs (${fmt(m)})` });
        }
        if (!hasNaN && typeof spread === "number") {
          const s = Math.max(...values) - Math.min(...values);
          if (!close(spread, s)) {
            out.push({ pointer: "/gate/plcc_spread", message: `plcc_spread ${fmt(spread)} is not max - min of per_seed_plccs (${fmt(s)})` });
          }
        }
      }
      // failing_seeds: sorted, unique, subset of seeds, and exactly the seeds strictly below per_seed_min
      if (Array.isArray(failing)) {
        const seedNums = Array.isArray(seeds) ? seeds : [];
        failing.forEach((f, i) => {
          if (!seedNums.includes(f)) {
            out.push({ pointer: `/gate/failing_seeds/${i}`, message: `failing seed ${fmt(f)} is not one of seeds ${fmt(seeds)}` });
          } else if (typeof psMin === "number" && typeof f === "number") {
            const val = own(plccs, String(f));
            if (typeof val === "number" && !(val < psMin)) {
              out.push({
                pointer: `/gate/failing_seeds/${i}`,
                message: `seed ${f} is listed as failing but its PLCC ${fmt(val)} is not below per_seed_min ${fmt(psMin)}`,
              });
            }
          }
          if (i > 0 && typeof f === "number" && typeof failing[i - 1] === "number" && !((failing[i - 1] as number) < f)) {
            out.push({ pointer: `/gate/failing_seeds/${i}`, message: "failing_seeds is not sorted ascending without repeats" });
          }
        });
        if (typeof psMin === "number") {
          for (const k of keys) {
            const val = plccs[k];
            // NaN < x is false: a NaN seed is never failing (it forces HOLD through the mean instead).
            if (typeof val === "number" && val < psMin && !failing.some((f) => String(f) === k)) {
              out.push({
                pointer: childPointer("/gate/per_seed_plccs", k),
                message: `seed ${k} has PLCC ${fmt(val)} below per_seed_min ${fmt(psMin)} but is not in failing_seeds`,
              });
            }
          }
        }
      }
    }

    // recommendation text against the verdict and the failing aspects
    const rec = own(doc, "recommendation");
    if (typeof rec === "string") {
      if (v === "PROMOTE" && rec !== PROMOTE_RECOMMENDATION) {
        out.push({ pointer: "/recommendation", message: "a PROMOTE verdict carries a recommendation other than the fixed PROMOTE text" });
      } else if (v === "HOLD") {
        if (!rec.startsWith(HOLD_RECOMMENDATION_PREFIX)) {
          out.push({ pointer: "/recommendation", message: `a HOLD recommendation starts with ${JSON.stringify(HOLD_RECOMMENDATION_PREFIX)}` });
        } else {
          const aspects = rec.slice(HOLD_RECOMMENDATION_PREFIX.length);
          const checks: [string, JsonValue | undefined, string][] = [
            ["mean_plcc ", mp, "mean_plcc_pass"],
            ["plcc_spread ", sp, "plcc_spread_pass"],
            ["failing seeds [", pp, "per_seed_pass"],
          ];
          for (const [needle, flag, name] of checks) {
            if (typeof flag !== "boolean") continue;
            const listed = aspects.includes(needle);
            if (listed === flag) {
              out.push({
                pointer: "/recommendation",
                message: listed
                  ? `the recommendation lists "${needle.trim()}" as failing but ${name} is true`
                  : `${name} is false but the recommendation does not list "${needle.trim()}"`,
              });
            }
          }
        }
      }
    }
  }

  // corpus.present <=> inputs.corpus_root.exists; counts bounded by yuv_count
  const corpus = own(doc, "corpus");
  if (isObject(corpus)) {
    const present = own(corpus, "present");
    const cr = isObject(rp) ? at(rp, "inputs", "corpus_root") : undefined;
    if (typeof present === "boolean" && isObject(cr) && typeof cr.exists === "boolean" && cr.exists !== present) {
      out.push({ pointer: "/corpus/present", message: `corpus.present is ${present} but run_provenance.inputs.corpus_root.exists is ${cr.exists}` });
    }
    const yc = own(corpus, "yuv_count");
    if (typeof yc === "number") {
      for (const k of ["ref_count", "dis_count"]) {
        const c = own(corpus, k);
        if (typeof c === "number" && c > yc) {
          out.push({ pointer: `/corpus/${k}`, message: `corpus.${k} ${c} exceeds yuv_count ${yc}` });
        }
      }
    }
  }

  // outputs.verdict.path ends with <verdict>.json
  if (isObject(rp) && (v === "PROMOTE" || v === "HOLD")) {
    const ov = at(rp, "outputs", "verdict");
    if (isObject(ov) && typeof ov.path === "string") {
      const p = ov.path;
      const want = `${v}.json`;
      if (!(p === want || p.endsWith(`/${want}`) || p.endsWith(`\\${want}`))) {
        out.push({
          pointer: "/run_provenance/outputs/verdict/path",
          message: `outputs.verdict.path ${JSON.stringify(p)} does not end with /${want} (the verdict is written to <loso_dir>/<verdict>.json)`,
        });
      }
    }
  }
  return out;
}

export const verdict = defineFamily({
  name: "verdict",
  filePatterns: ["PROMOTE.json", "HOLD.json", "*_PROMOTE.json", "*_HOLD.json"],
  variants: {
    PROMOTE: { outputs: { verdict: "stale" } },
    HOLD: { outputs: { verdict: "stale" } },
  },
  outputs: { verdict: "stale" },
  detection: {
    // A fixed name: it wins over every convention, `_ensemble_v` names included.
    fileNames: [{ tier: "fixed", name: VERDICT_NAME }],
    keys: [
      { equals: { verdict: "PROMOTE" }, has: ["gate", "seeds", "corpus"], where: (doc) => isObject(doc.gate) },
      { equals: { verdict: "HOLD" }, has: ["gate", "seeds", "corpus"], where: (doc) => isObject(doc.gate) },
    ],
  },
  variantOf(doc, file) {
    const v = own(doc, "verdict");
    if (v === "PROMOTE" || v === "HOLD") return v;
    return verdictOfFileName(file.baseName);
  },
  // corpus.sha256 digests a listing of *.yuv paths and sizes, not a file: never claimed.
  integrityDigests: () => [],
  rules: [
    // per_seed_plccs is keyed by exactly the seeds (sets, not lengths).
    keysAreSeeds("/gate/per_seed_plccs", "/seeds"),
    // The script passes its flags through: the gate thresholds and the run's inputs.
    copiedFromArgs("/gate/mean_plcc_threshold", { arg: "mean_threshold", label: "mean_plcc_threshold" }),
    copiedFromArgs("/gate/plcc_spread_max", { label: "plcc_spread_max" }),
    copiedFromArgs("/seeds"),
    copiedFromArgs("/loso_dir"),
    copiedFromArgs("/corpus/corpus_root"),
  ],
  particular: consistency,
});
