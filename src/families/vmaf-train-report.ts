/**
 * Family `vmaf-train-report`: `vmaf-train <subcommand> --json PATH` reports written by
 * `_write_cli_report_json` in ai/src/vmaf_train/cli.py. There is no schema key and no
 * subcommand field: the subcommand is `run_provenance.argv[0]` (the CLI records
 * sys.argv[1:]), and the entrypoint is ai/src/vmaf_train/cli.py. Without a usable argv the
 * key set tells the subcommands apart. `outputs.json_report` (and quantize-int8's
 * `outputs.int8_model`) are plain strings, never hashed.
 *
 * The entrypoint basename `cli.py` is too generic to claim every cli.py, so detection uses key
 * evidence (path suffix vmaf_train/cli.py plus a known subcommand, or the key set) instead of
 * the catalog's emitters.
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { copiedFromArgs, copyOf, type CopiedFromArgsOptions } from "./rules/index.js";
import { argv0, at, hasKeys, sameNumber } from "./util.js";

const VN = "validate-norm";
const PROFILE = "profile";
const ALF = "audit-learned-filter";
const Q8 = "quantize-int8";
const XB = "cross-backend";
const BISECT = "bisect-model-quality";
const SUBCOMMANDS = [VN, PROFILE, ALF, Q8, XB, BISECT];

/** quantize-int8 records the paths it was given, in the report and in the block. */
const AS_GIVEN: CopiedFromArgsOptions = { type: "string", quote: false, why: "both are the path as given" };

const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");

function isVmafTrainEntrypoint(doc: JsonObject): boolean {
  const path = at(doc, "run_provenance", "entrypoint", "path");
  return typeof path === "string" && /(^|[\\/])vmaf_train[\\/]cli\.py$/.test(path);
}

function byKeys(doc: JsonObject): string | undefined {
  if (hasKeys(doc, "sidecar", "drifts", "warnings", "ok")) return VN;
  if (hasKeys(doc, "frames", "n_frames", "peak", "avg_ssim")) return ALF;
  if (hasKeys(doc, "fp32_path", "int8_path", "compression_ratio", "n_held_out")) return Q8;
  if (hasKeys(doc, "comparisons", "reference_provider", "atol")) return XB;
  if (hasKeys(doc, "threshold_kind", "steps", "verdict", "n_models")) return BISECT;
  if (hasKeys(doc, "model", "results") && Object.keys(doc).length <= 3 && Array.isArray(doc.results)) return PROFILE;
  return undefined;
}

/** Python's max() over finite numbers; undefined when any value is not a finite number (NaN order-dependence). */
function finiteMax(values: (JsonValue | undefined)[]): number | undefined {
  if (!values.length) return 0;
  let best = -Infinity;
  for (const v of values) {
    if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
    if (v > best) best = v;
  }
  return best;
}

function okMatchesWarnings(doc: JsonObject, out: RuleViolation[]): void {
  if (typeof doc.ok === "boolean" && Array.isArray(doc.warnings) && doc.ok !== (doc.warnings.length === 0)) {
    out.push({
      pointer: "/ok",
      message: `ok is ${doc.ok} but warnings has ${doc.warnings.length} entr${doc.warnings.length === 1 ? "y" : "ies"} (ok = no warnings)`,
    });
  }
}

function alfRules(doc: JsonObject, out: RuleViolation[]): void {
  okMatchesWarnings(doc, out);
  const frames = Array.isArray(doc.frames) ? doc.frames : undefined;
  if (frames && typeof doc.n_frames === "number" && doc.n_frames !== frames.length) {
    out.push({ pointer: "/n_frames", message: `n_frames ${doc.n_frames} differs from the ${frames.length} entries of frames` });
  }
  if (frames && frames.length && frames.every(isObject)) {
    const fr = frames as JsonObject[];
    const checks: [string, (f: JsonObject) => JsonValue | undefined][] = [
      ["max_std_ratio", (f) => own(f, "std_ratio")],
      ["max_clip_fraction", (f) => own(f, "clip_fraction")],
      [
        "max_mean_shift",
        (f) => {
          const v = own(f, "mean_shift");
          return typeof v === "number" ? Math.abs(v) : v;
        },
      ],
    ];
    for (const [key, pick] of checks) {
      const expected = finiteMax(fr.map(pick));
      const got = own(doc, key);
      if (expected !== undefined && typeof got === "number" && !sameNumber(expected, got)) {
        out.push({ pointer: `/${key}`, message: `${key} ${got} is not the maximum over frames (${expected})` });
      }
    }
  }
}

function q8Rules(doc: JsonObject, out: RuleViolation[]): void {
  const fb = doc.fp32_bytes;
  const ib = doc.int8_bytes;
  const ratio = doc.compression_ratio;
  if (typeof fb === "number" && typeof ib === "number" && typeof ratio === "number") {
    const expected = fb / Math.max(ib, 1); // the emitter guards a zero-byte int8 file with max(int8_bytes, 1)
    if (!(Math.abs(expected - ratio) <= 1e-9 * Math.max(1, Math.abs(expected)))) {
      out.push({
        pointer: "/compression_ratio",
        message: `compression_ratio ${ratio} is not fp32_bytes / max(int8_bytes, 1) (${fb} / ${Math.max(ib, 1)} = ${expected})`,
      });
    }
  }
}

function xbRules(doc: JsonObject, out: RuleViolation[]): void {
  const comps = Array.isArray(doc.comparisons) ? doc.comparisons.filter(isObject) : [];
  if (typeof doc.ok === "boolean" && typeof doc.atol === "number") {
    const atol = doc.atol;
    const bad = comps.findIndex((c) => {
      const e = own(c, "max_abs_error");
      return typeof e === "number" && !(e <= atol);
    });
    const expected = bad < 0;
    if (doc.ok !== expected) {
      out.push({
        pointer: "/ok",
        message: doc.ok
          ? `ok is true but comparisons[${bad}].max_abs_error ${String(own(comps[bad], "max_abs_error"))} exceeds (or is NaN against) atol ${atol}`
          : `ok is false but every comparison is within atol ${atol} (ok = every max_abs_error <= atol; true when there are no comparisons)`,
      });
    }
  }
  const missing = Array.isArray(doc.missing) ? doc.missing.filter((m): m is string => typeof m === "string") : [];
  comps.forEach((c, i) => {
    const prov = own(c, "provider");
    if (typeof prov === "string" && missing.includes(prov)) {
      out.push({ pointer: p("comparisons", i, "provider"), message: `provider ${prov} is both compared and listed in missing` });
    }
  });
  const requested = at(doc, "run_provenance", "args", "provider");
  if (Array.isArray(requested) && requested.length) {
    const req = new Set(requested.filter((r): r is string => typeof r === "string"));
    const seen = new Set([...missing, ...comps.map((c) => own(c, "provider")).filter((x): x is string => typeof x === "string")]);
    const notCovered = [...req].filter((r) => !seen.has(r));
    const unexpected = [...seen].filter((s) => !req.has(s));
    if (notCovered.length || unexpected.length) {
      out.push({
        pointer: "/comparisons",
        message:
          `comparisons plus missing must cover exactly the requested providers (${[...req].join(", ")})` +
          (notCovered.length ? `; not reported: ${notCovered.join(", ")}` : "") +
          (unexpected.length ? `; not requested: ${unexpected.join(", ")}` : ""),
      });
    }
  }
  const features = at(doc, "run_provenance", "args", "features");
  const inputs = at(doc, "run_provenance", "inputs");
  if (isObject(inputs) && features !== undefined && (features !== null) !== hasKeys(inputs, "features")) {
    out.push({
      pointer: "/run_provenance/inputs",
      message: `inputs.features is recorded exactly when --features was given (args.features is ${JSON.stringify(features)})`,
    });
  }
}

function passes(kind: string, value: number, report: JsonObject): boolean | undefined {
  const key = kind === "min_plcc" ? "plcc" : kind === "min_srocc" ? "srocc" : kind === "max_rmse" ? "rmse" : undefined;
  if (!key) return undefined;
  const v = own(report, key);
  if (typeof v !== "number") return undefined;
  return kind === "max_rmse" ? v <= value : v >= value;
}

function bisectRules(doc: JsonObject, out: RuleViolation[]): void {
  const n = doc.n_models;
  const kind = doc.threshold_kind;
  const value = doc.threshold_value;
  const args = at(doc, "run_provenance", "args");
  if (isObject(args)) {
    const models = own(args, "models");
    if (Array.isArray(models) && typeof n === "number" && models.length !== n) {
      out.push({ pointer: "/n_models", message: `n_models ${n} differs from the ${models.length} models in run_provenance.args.models` });
    }
    if (typeof kind === "string" && typeof value === "number") {
      const set = ["min_plcc", "min_srocc", "max_rmse"].filter((k) => own(args, k) !== null && own(args, k) !== undefined);
      if (set.length === 1 && set[0] !== kind) {
        out.push({ pointer: "/threshold_kind", message: `threshold_kind ${kind} but the gate given was --${set[0].replace("_", "-")}` });
      } else if (set.length === 1 && !sameNumber(own(args, kind), value)) {
        out.push({ pointer: "/threshold_value", message: `threshold_value ${value} differs from run_provenance.args.${kind} ${String(own(args, kind))}` });
      }
    }
  }
  const steps = Array.isArray(doc.steps) ? doc.steps : [];
  const byIndex = new Map<number, JsonObject>();
  let prev = -1;
  steps.forEach((s, i) => {
    if (!isObject(s)) return;
    const idx = own(s, "index");
    if (typeof idx !== "number") return;
    if (idx <= prev) out.push({ pointer: p("steps", i, "index"), message: `steps must be sorted by index without repeats; index ${idx} follows ${prev}` });
    prev = Math.max(prev, idx);
    if (typeof n === "number" && idx >= n) out.push({ pointer: p("steps", i, "index"), message: `steps[${i}].index ${idx} is outside the ${n} models` });
    byIndex.set(idx, s);
    const report = own(s, "report");
    const passed = own(s, "passed");
    if (typeof kind === "string" && typeof value === "number" && isObject(report) && typeof passed === "boolean") {
      const expected = passes(kind, value, report);
      if (expected !== undefined && expected !== passed) {
        out.push({
          pointer: p("steps", i, "passed"),
          message: `steps[${i}] (index ${idx}): passed is ${passed} but the report ${expected ? "meets" : "misses (or is NaN against)"} ${kind} ${value}`,
        });
      }
    }
  });
  if (typeof n !== "number") return;
  for (const must of [0, n - 1]) {
    if (!byIndex.has(must)) out.push({ pointer: "/steps", message: `steps must include index ${must} (both ends are always evaluated)` });
  }
  const fb = doc.first_bad_index;
  const lg = doc.last_good_index;
  const first = byIndex.get(0);
  const last = byIndex.get(n - 1);
  const verdict = typeof doc.verdict === "string" ? doc.verdict : "";
  let form: "first-fails" | "last-passes" | "bisected" | undefined;
  if (first && own(first, "passed") === false) form = "first-fails";
  else if (last && own(last, "passed") === true) form = "last-passes";
  else if (first && last) form = "bisected";
  if (form === "first-fails") {
    if (fb !== 0 || lg !== null)
      out.push({
        pointer: fb !== 0 ? "/first_bad_index" : "/last_good_index",
        message: "the first model fails the gate: first_bad_index must be 0 and last_good_index null",
      });
    if (!verdict.startsWith("first model (index 0) already fails gate"))
      out.push({ pointer: "/verdict", message: "the first model fails the gate but the verdict says otherwise" });
  } else if (form === "last-passes") {
    if (lg !== n - 1 || fb !== null)
      out.push({
        pointer: lg !== n - 1 ? "/last_good_index" : "/first_bad_index",
        message: `the last model passes the gate: last_good_index must be ${n - 1} and first_bad_index null`,
      });
    if (!verdict.startsWith("last model still passes gate"))
      out.push({ pointer: "/verdict", message: "the last model passes the gate but the verdict says otherwise" });
  } else if (form === "bisected") {
    if (typeof fb !== "number" || typeof lg !== "number" || fb !== lg + 1) {
      out.push({ pointer: "/first_bad_index", message: `a bisection ends with first_bad_index = last_good_index + 1 (found ${String(fb)} and ${String(lg)})` });
    } else {
      if (own(byIndex.get(fb) ?? {}, "passed") !== false)
        out.push({ pointer: "/first_bad_index", message: `first_bad_index ${fb} is not a visited failing step` });
      if (own(byIndex.get(lg) ?? {}, "passed") !== true)
        out.push({ pointer: "/last_good_index", message: `last_good_index ${lg} is not a visited passing step` });
      if (!verdict.startsWith(`first bad: index ${fb} (`) || !verdict.includes(`last good: index ${lg} (`)) {
        out.push({ pointer: "/verdict", message: `verdict must read "first bad: index ${fb} (...) \u2014 last good: index ${lg} (...)"` });
      }
    }
  }
  for (const [idxKey, modelKey] of [
    ["first_bad_index", "first_bad_model"],
    ["last_good_index", "last_good_model"],
  ] as const) {
    const idx = own(doc, idxKey);
    const model = own(doc, modelKey);
    if ((idx === null) !== (model === null)) {
      out.push({ pointer: `/${modelKey}`, message: `${modelKey} is null exactly when ${idxKey} is null` });
    } else if (typeof idx === "number" && typeof model === "string") {
      const step = byIndex.get(idx);
      const stepModel = step ? own(step, "model") : undefined;
      if (typeof stepModel === "string" && stepModel !== model) {
        out.push({ pointer: `/${modelKey}`, message: `${modelKey} ${model} is not the model of step index ${idx} (${stepModel})` });
      }
    }
  }
}

export const vmafTrainReport = defineFamily({
  name: "vmaf-train-report",
  filePatterns: ["--json PATH of `vmaf-train <subcommand>` (detected by run_provenance.entrypoint ai/src/vmaf_train/cli.py and argv[0])"],
  variants: {
    [VN]: { outputs: { json_report: "stale" } },
    [PROFILE]: { outputs: { json_report: "stale" } },
    [ALF]: { outputs: { json_report: "stale" }, rules: [copiedFromArgs("/peak", { type: "number" })] },
    [Q8]: {
      outputs: { json_report: "stale" },
      rules: [
        copiedFromArgs("/n_calibration", { type: "number", why: "the calibration slice has exactly that many rows" }),
        copiedFromArgs("/fp32_path", { arg: "fp32", ...AS_GIVEN }),
        copiedFromArgs("/int8_path", { arg: "output", ...AS_GIVEN }),
        copyOf("/int8_path", "/run_provenance/outputs/int8_model", AS_GIVEN),
      ],
    },
    [XB]: { outputs: { json_report: "stale" }, rules: [copiedFromArgs("/atol", { type: "number" })] },
    [BISECT]: { outputs: { json_report: "stale" } },
  },
  detection: {
    keys: [
      // Its emitter, vmaf_train/cli.py, is matched by path here: the basename cli.py is too generic for step 5's entrypoint match.
      { where: (doc) => isVmafTrainEntrypoint(doc) && SUBCOMMANDS.includes(argv0(doc) ?? "") },
      { where: (doc) => byKeys(doc) !== undefined && (isVmafTrainEntrypoint(doc) || isObject(doc.run_provenance)) },
    ],
  },
  variantOf(doc: JsonObject): string | undefined {
    const sub = argv0(doc);
    if (sub && SUBCOMMANDS.includes(sub)) return sub;
    return byKeys(doc);
  },
  particular(doc: JsonObject, variant: string | undefined): RuleViolation[] {
    const out: RuleViolation[] = [];
    switch (variant) {
      case VN:
        okMatchesWarnings(doc, out);
        break;
      case PROFILE: {
        const requested = at(doc, "run_provenance", "args", "provider");
        if (Array.isArray(requested) && requested.length && Array.isArray(doc.results)) {
          doc.results.forEach((r, i) => {
            const prov = isObject(r) ? own(r, "provider") : undefined;
            if (typeof prov === "string" && !requested.includes(prov)) {
              out.push({
                pointer: p("results", i, "provider"),
                message: `results[${i}] profiles ${prov}, which was not requested (--provider ${requested.join(", ")})`,
              });
            }
          });
        }
        break;
      }
      case ALF:
        alfRules(doc, out);
        break;
      case Q8:
        q8Rules(doc, out);
        break;
      case XB:
        xbRules(doc, out);
        break;
      case BISECT:
        bisectRules(doc, out);
        break;
    }
    return out;
  },
});
