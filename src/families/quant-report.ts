/**
 * Family `quant-report`: quantisation producer reports and accuracy gates.
 *
 * - `ptq-dynamic-report-v1`, `ptq-static-report-v1`, `qat-train-report-v1`: the
 *   `write_run_manifest` envelope of ai/scripts/ptq_dynamic.py, ptq_static.py and
 *   qat_train.py, told apart by the top-level `schema` string. The int8 (and QAT fp32)
 *   models are written before the block: their output descriptors are integrity digests.
 * - `quant-drop-gate`: ai/scripts/measure_quant_drop.py --out-json (the ai-quant-accuracy
 *   CI gate), `{gate_pass, models, run_provenance}`.
 * - `quant-drop-per-ep`: ai/scripts/measure_quant_drop_per_ep.py `<out>/results.json`.
 *
 * No path+digest pair exists outside the block in these reports, so there is no
 * `integrityDigests`. Facts: schema/README.md ("Facts behind each family"), family quant-report.
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { copiedFromArgs, when, type Rule } from "./rules/index.js";
import { at, hasKeys, sameNumber } from "./util.js";

const PTQ_DYNAMIC = "ptq-dynamic-report-v1";
const PTQ_STATIC = "ptq-static-report-v1";
const QAT = "qat-train-report-v1";
const GATE = "quant-drop-gate";
const PER_EP = "quant-drop-per-ep";

const BY_SCHEMA: Record<string, string> = { [PTQ_DYNAMIC]: PTQ_DYNAMIC, [PTQ_STATIC]: PTQ_STATIC, [QAT]: QAT };
const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");

/** Python's `a <= b` on floats: false whenever either side is NaN. */
const le = (a: number, b: number): boolean => a <= b;

/** PTQ reports copy --per-channel. */
const PER_CHANNEL: Rule = copiedFromArgs("/per_channel", { type: "boolean" });

/**
 * `drop` is computed as `1.0 - plcc` (NaN equals NaN). Compared with a 1e-9 tolerance, not
 * bit for bit: the documented example reports (QCA quant gate and per-EP) carry drops that
 * differ from `1 - plcc` in the last bits (e.g. plcc 0.9998731 with drop 0.00012690000000003),
 * and such a document must not be `inconsistent`; a real tampering is orders larger.
 */
function dropMatches(plcc: JsonValue | undefined, drop: JsonValue | undefined): boolean {
  if (typeof plcc !== "number" || typeof drop !== "number") return true; // schema reports types
  return sameNumber(1 - plcc, drop) || Math.abs(1 - plcc - drop) <= 1e-9;
}

function isGate(doc: JsonObject): boolean {
  return (
    hasKeys(doc, "gate_pass", "models") &&
    typeof doc.gate_pass === "boolean" &&
    Array.isArray(doc.models) &&
    !hasKeys(doc, "thresholds") &&
    !hasKeys(doc, "features_path")
  );
}

function isPerEp(doc: JsonObject): boolean {
  return hasKeys(doc, "eps", "models", "n_samples", "hw") && Array.isArray(doc.eps);
}

function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** pathlib `with_name(stem + ".int8.onnx")` of a fp32 path. */
function int8Sibling(fp32: string): string {
  const name = basename(fp32);
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const dir = fp32.slice(0, fp32.length - name.length);
  return `${dir}${stem}.int8.onnx`;
}

function gateRules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const models = Array.isArray(doc.models) ? doc.models : [];
  let allOk = true;
  let firstFailing: number | undefined;
  models.forEach((m, i) => {
    if (!isObject(m)) return;
    const ok = own(m, "ok");
    if (ok !== true) {
      allOk = false;
      if (firstFailing === undefined) firstFailing = i;
    }
    const status = own(m, "status");
    const label = typeof m.id === "string" ? ` (${m.id})` : "";
    if ((status === "pass" || status === "fail") && typeof ok === "boolean") {
      if ((status === "pass") !== ok) {
        out.push({ pointer: p("models", i, "status"), message: `models[${i}]${label}: status "${status}" but ok is ${ok} (status is "pass" exactly when ok)` });
      }
      const drop = own(m, "drop");
      const budget = own(m, "budget");
      if (typeof drop === "number" && typeof budget === "number" && le(drop, budget) !== ok) {
        out.push({
          pointer: p("models", i, "ok"),
          message: `models[${i}]${label}: ok is ${ok} but drop ${drop} ${le(drop, budget) ? "<=" : "exceeds (or is NaN against)"} budget ${budget} (ok = drop <= budget)`,
        });
      }
      if (!dropMatches(own(m, "plcc"), drop)) {
        out.push({ pointer: p("models", i, "drop"), message: `models[${i}]${label}: drop ${String(drop)} is not 1 - plcc (${String(own(m, "plcc"))})` });
      }
      const qm = own(m, "quant_mode");
      const fp32 = own(m, "fp32_path");
      const int8 = own(m, "int8_path");
      if (qm !== "override" && typeof fp32 === "string" && typeof int8 === "string" && int8 !== int8Sibling(fp32)) {
        out.push({
          pointer: p("models", i, "int8_path"),
          message: `models[${i}]${label}: in registry mode int8_path must be the <stem>.int8.onnx sibling of fp32_path (${int8Sibling(fp32)}), found ${int8}`,
        });
      }
    }
    if (status === "missing_model" && own(m, "fp32_exists") === true && own(m, "int8_exists") === true) {
      out.push({
        pointer: p("models", i, "status"),
        message: `models[${i}]${label}: status "missing_model" although fp32_exists and int8_exists are both true`,
      });
    }
  });
  if (typeof doc.gate_pass === "boolean" && doc.gate_pass !== allOk) {
    out.push({
      pointer: "/gate_pass",
      message: doc.gate_pass
        ? `gate_pass is true but models[${firstFailing}] has ok ${String(at(doc, "models", firstFailing ?? 0, "ok"))} (gate_pass = every model ok)`
        : "gate_pass is false but every model has ok true (gate_pass = every model ok)",
    });
  }
  // Mode: pair mode (--fp32/--int8) records inputs {fp32, int8} and exactly one "override" result;
  // "override" never appears in registry mode.
  const inputs = at(doc, "run_provenance", "inputs");
  const pairMode = isObject(inputs) && hasKeys(inputs, "fp32", "int8") && !hasKeys(inputs, "registry");
  const singleMode = isObject(inputs) && hasKeys(inputs, "registry", "model");
  if ((pairMode || singleMode) && models.length !== 1) {
    out.push({
      pointer: "/models",
      message: `${pairMode ? "pair mode (inputs fp32/int8)" : "single-model mode (inputs registry/model)"} writes exactly one model result, found ${models.length}`,
    });
  }
  if (isObject(inputs)) {
    models.forEach((m, i) => {
      if (!isObject(m)) return;
      const override = own(m, "quant_mode") === "override";
      if (pairMode && !override) {
        out.push({
          pointer: p("models", i, "quant_mode"),
          message: `models[${i}]: pair mode (inputs fp32/int8) always writes quant_mode "override", found ${JSON.stringify(own(m, "quant_mode"))}`,
        });
      } else if (!pairMode && override && hasKeys(inputs, "registry")) {
        out.push({
          pointer: p("models", i, "quant_mode"),
          message: `models[${i}]: quant_mode "override" appears only in pair mode, but the run read the registry`,
        });
      }
    });
  }
  return out;
}

function perEpRules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const eps = Array.isArray(doc.eps) ? doc.eps.filter((e): e is string => typeof e === "string") : [];
  const epSet = new Set(eps);
  const models = Array.isArray(doc.models) ? doc.models : [];
  let extras = 0;
  const extraBudget = at(doc, "run_provenance", "args", "extra_budget");
  models.forEach((m, i) => {
    if (!isObject(m)) return;
    const label = typeof m.model_id === "string" ? ` (${m.model_id})` : "";
    const perEp = own(m, "per_ep");
    if (own(m, "source") === "extra_fp32_dynamic_ptq") {
      extras++;
      const budget = own(m, "budget");
      if (typeof extraBudget === "number" && typeof budget === "number" && !sameNumber(extraBudget, budget)) {
        out.push({
          pointer: p("models", i, "budget"),
          message: `models[${i}]${label}: an extra fp32 baseline uses --extra-budget ${extraBudget} as its budget, found ${budget}`,
        });
      }
    }
    if (!isObject(perEp)) return;
    const keys = Object.keys(perEp);
    const missing = [...epSet].filter((e) => !keys.includes(e));
    const extra = keys.filter((k) => !epSet.has(k));
    if (missing.length || extra.length) {
      out.push({
        pointer: p("models", i, "per_ep"),
        message:
          `models[${i}]${label}: per_ep keys must be exactly the EPs in eps (${[...epSet].join(", ")})` +
          (missing.length ? `; missing ${missing.join(", ")}` : "") +
          (extra.length ? `; unexpected ${extra.join(", ")}` : ""),
      });
    }
    const budget = own(m, "budget");
    for (const ep of keys) {
      const r = own(perEp, ep);
      if (!isObject(r) || own(r, "status") !== "ok") continue;
      const drop = own(r, "drop");
      const pass = own(r, "pass");
      if (typeof drop === "number" && typeof budget === "number" && typeof pass === "boolean" && le(drop, budget) !== pass) {
        out.push({
          pointer: p("models", i, "per_ep", ep, "pass"),
          message: `models[${i}]${label} on ${ep}: pass is ${pass} but drop ${drop} ${le(drop, budget) ? "<=" : "exceeds (or is NaN against)"} budget ${budget} (pass = drop <= budget)`,
        });
      }
      if (!dropMatches(own(r, "plcc"), drop)) {
        out.push({
          pointer: p("models", i, "per_ep", ep, "drop"),
          message: `models[${i}]${label} on ${ep}: drop ${String(drop)} is not 1 - plcc (${String(own(r, "plcc"))})`,
        });
      }
    }
  });
  const extraInputs = at(doc, "run_provenance", "inputs", "extra_fp32");
  if (Array.isArray(extraInputs) && extras > extraInputs.length) {
    out.push({
      pointer: "/models",
      message: `${extras} models have source "extra_fp32_dynamic_ptq" but run_provenance.inputs.extra_fp32 lists only ${extraInputs.length}`,
    });
  }
  return out;
}

/** `<stem without .int8>.qat.fp32.onnx` beside the int8 output. */
function qatRules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const [key, output] of [
    ["fp32_onnx", "fp32_model"],
    ["int8_onnx", "int8_model"],
  ] as const) {
    const abs = own(doc, key);
    const desc = at(doc, "run_provenance", "outputs", output);
    if (typeof abs !== "string" || !isObject(desc) || typeof desc.path !== "string") continue;
    const rel = desc.path;
    const same = rel.startsWith("/") || /^[A-Za-z]:/.test(rel) ? abs === rel : abs === rel || abs.endsWith(`/${rel}`);
    if (!same) {
      out.push({ pointer: `/${key}`, message: `${key} ${abs} does not name the file of run_provenance.outputs.${output} (${rel})` });
    }
  }
  const fp32 = own(doc, "fp32_onnx");
  const int8 = own(doc, "int8_onnx");
  if (typeof fp32 === "string" && typeof int8 === "string" && int8.endsWith(".int8.onnx")) {
    const expected = `${int8.slice(0, -".int8.onnx".length)}.qat.fp32.onnx`;
    if (fp32 !== expected) {
      out.push({ pointer: "/fp32_onnx", message: `fp32_onnx must be the .qat.fp32.onnx sibling of int8_onnx (${expected}), found ${fp32}` });
    }
  } else if (typeof fp32 === "string" && typeof int8 === "string" && dirname(fp32) !== dirname(int8)) {
    out.push({ pointer: "/fp32_onnx", message: `fp32_onnx (${fp32}) must lie beside int8_onnx (${int8})` });
  }
  return out;
}

function ptqRules(doc: JsonObject, variant: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const ib = own(doc, "input_bytes");
  const ob = own(doc, "output_bytes");
  const ratio = own(doc, "size_ratio");
  if (typeof ib === "number" && typeof ob === "number" && typeof ratio === "number" && ib > 0) {
    const expected = ob / ib;
    if (!(Math.abs(expected - ratio) <= 1e-9 * Math.max(1, Math.abs(expected)))) {
      out.push({ pointer: "/size_ratio", message: `size_ratio ${ratio} is not output_bytes / input_bytes (${ob} / ${ib} = ${expected})` });
    }
  }
  if (variant === PTQ_STATIC) {
    const names = own(doc, "calibration_inputs");
    if (Array.isArray(names) && names.every((n) => typeof n === "string")) {
      const sorted = [...(names as string[])].sort();
      if (sorted.some((n, i) => n !== names[i])) {
        out.push({ pointer: "/calibration_inputs", message: "calibration_inputs must be sorted (the .npz key names, sorted)" });
      }
    }
  }
  // Without --output the int8 model is `<input stem>.int8.onnx` beside the source.
  const src = at(doc, "run_provenance", "inputs", "model", "path");
  const dst = at(doc, "run_provenance", "outputs", "model", "path");
  if (at(doc, "run_provenance", "args", "output") === null && typeof src === "string" && typeof dst === "string" && dst !== int8Sibling(src)) {
    out.push({
      pointer: "/run_provenance/outputs/model/path",
      message: `without --output the int8 model is written beside the source as ${int8Sibling(src)}, but outputs.model names ${dst}`,
    });
  }
  return out;
}

export const quantReport = defineFamily({
  name: "quant-report",
  filePatterns: [
    "--report-out PATH (ptq_dynamic.py, ptq_static.py, qat_train.py; no default)",
    "--out-json PATH (measure_quant_drop.py; no default)",
    "<out>/results.json, out default $VMAFX_RUNS_DIR/quant-eps-<YYYY-MM-DD> (measure_quant_drop_per_ep.py)",
  ],
  variants: {
    [PTQ_DYNAMIC]: { outputs: { model: "integrity", report: "stale" }, rules: [(doc) => ptqRules(doc, PTQ_DYNAMIC), PER_CHANNEL] },
    [PTQ_STATIC]: { outputs: { model: "integrity", report: "stale" }, rules: [(doc) => ptqRules(doc, PTQ_STATIC), PER_CHANNEL] },
    [QAT]: { outputs: { fp32_model: "integrity", int8_model: "integrity", report: "stale" }, rules: [qatRules] },
    [GATE]: { outputs: { report: "stale" }, rules: [gateRules] },
    [PER_EP]: {
      outputs: { json_report: "stale", markdown_report: "stale" },
      rules: [when((doc) => Array.isArray(at(doc, "run_provenance", "args", "eps")), copiedFromArgs("/eps", { why: "the report copies --eps" })), perEpRules],
    },
  },
  detection: {
    // <out>/results.json where out is quant-eps-<date> (the emitter's default directory name).
    fileNames: [{ tier: "convention", path: /(^|\/)quant-eps-[^/]*\/results\.json$/ }],
    // The producer reports are named by their `schema` strings first (the catalog's).
    keys: [{ where: isPerEp }, { where: (doc) => isGate(doc) && (doc.models as JsonValue[]).every((m) => isObject(m) && hasKeys(m, "id", "status", "ok")) }],
  },
  variantOf(doc: JsonObject): string | undefined {
    if (typeof doc.schema === "string" && BY_SCHEMA[doc.schema]) return BY_SCHEMA[doc.schema];
    if (isPerEp(doc)) return PER_EP;
    if (isGate(doc)) return GATE;
    const script = variantByEntrypoint("quant-report", doc);
    if (script) return script;
    if (doc.mode === "dynamic") return PTQ_DYNAMIC;
    if (doc.mode === "static") return PTQ_STATIC;
    if (doc.mode === "qat") return QAT;
    return undefined;
  },
});
