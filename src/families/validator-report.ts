/**
 * Family `validator-report`: validator `--out-json` reports.
 *
 * - `registry-validation` (validate_model_registry.py), `saliency-student-validation`
 *   (validate_saliency_student.py), `vmaf-tiny-validation` (validate_vmaf_tiny_v2/v3/v4.py):
 *   hand-built dicts, `outputs.report` describes the report itself (stale by design);
 * - `chug-hdr-held-out-test-validator-v1` (validate_chug_hdr_mos_head.py): the
 *   `write_run_manifest` envelope with a top-level `schema`; `outputs.json`/`md` stale by design;
 * - `quant-parity` (validate_quant_parity.py): a hand-rolled, NON-CONFORMING block (entrypoint
 *   without sha256, kind always "file", no inputs/outputs). Its schema references a
 *   variant-specific block shape (`#/$defs/quantParityProvenance`) instead of
 *   run-provenance.schema.json, so the ai-run-provenance-v1 schema itself stays strict.
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { collect, copiedFromArgs } from "./rules/index.js";
import { at, entrypointBase, hasKeys, sameNumber, showValue as fmt } from "./util.js";

export const CHUG_VALIDATOR_SCHEMA = "chug-hdr-held-out-test-validator-v1";
const TINY_MODELS = ["vmaf_tiny_v2", "vmaf_tiny_v3", "vmaf_tiny_v4"];

function keyVariant(doc: JsonObject): string | undefined {
  if (own(doc, "schema") === CHUG_VALIDATOR_SCHEMA) return CHUG_VALIDATOR_SCHEMA;
  if (hasKeys(doc, "gate_pass", "models", "thresholds", "features_path")) return "quant-parity";
  if (hasKeys(doc, "gate_pass", "min_plcc", "sample_truth") && TINY_MODELS.includes(String(own(doc, "model")))) return "vmaf-tiny-validation";
  if (hasKeys(doc, "ok", "error_count", "errors", "model_count")) return "registry-validation";
  if (hasKeys(doc, "ok", "checks", "return_codes")) return "saliency-student-validation";
  return undefined;
}

function variantOf(doc: JsonObject): string | undefined {
  const v = keyVariant(doc);
  if (v) return v;
  return variantByEntrypoint("validator-report", doc);
}

function registry(doc: JsonObject, out: RuleViolation[]): void {
  const ok = own(doc, "ok");
  const count = own(doc, "error_count");
  const errors = own(doc, "errors");
  const models = own(doc, "model_count");
  if (typeof count === "number" && Array.isArray(errors) && count !== errors.length) {
    out.push({ pointer: "/error_count", message: `error_count is ${count} but errors has ${errors.length} messages` });
  }
  if (typeof ok === "boolean" && Array.isArray(errors) && ok !== (errors.length === 0)) {
    out.push({ pointer: "/ok", message: `ok is ${ok} but errors has ${errors.length} messages (ok exactly when there are none)` });
  } else if (typeof ok === "boolean" && typeof count === "number" && ok !== (count === 0)) {
    out.push({ pointer: "/ok", message: `ok is ${ok} but error_count is ${count}` });
  }
  if (ok === false && typeof models === "number" && models !== 0) {
    out.push({ pointer: "/model_count", message: `model_count is ${models} but ok is false (the count is set only on success)` });
  }
  if (Array.isArray(errors)) {
    const notFound = (prefix: string): boolean => errors.some((e) => typeof e === "string" && e.startsWith(prefix));
    const pairs = [
      ["registry", "registry not found: "],
      ["schema", "schema not found: "],
    ] as const;
    for (const [key, prefix] of pairs) {
      const d = at(doc, "run_provenance", "inputs", key);
      // A missing input is reported; when both are missing the validator may stop at the first
      // "not found" (rc 2), so only require the message when no other input was reported missing.
      const other = pairs.find(([k]) => k !== key)![1];
      if (isObject(d) && d.exists === false && !notFound(prefix) && !notFound(other)) {
        out.push({
          pointer: `/run_provenance/inputs/${key}`,
          message: `inputs.${key} was missing when the validator ran but errors has no "${prefix.trim()}" message`,
        });
      }
      // The reverse: a "not found" message goes with an input recorded as missing.
      if (isObject(d) && typeof d.kind === "string" && d.kind !== "missing" && notFound(prefix)) {
        out.push({
          pointer: `/run_provenance/inputs/${key}/kind`,
          message: `errors reports "${prefix.trim()}" but inputs.${key} is recorded as kind ${JSON.stringify(d.kind)} (the pairing is with kind "missing")`,
        });
      }
    }
  }
}

function saliencyStudent(doc: JsonObject, out: RuleViolation[]): void {
  const ok = own(doc, "ok");
  const rc = own(doc, "return_codes");
  const checks = own(doc, "checks");
  if (!isObject(rc)) return;
  const overall = own(rc, "overall");
  if (typeof ok === "boolean" && typeof overall === "number" && ok !== (overall === 0)) {
    out.push({ pointer: "/ok", message: `ok is ${ok} but return_codes.overall is ${overall} (ok exactly when it is 0)` });
  }
  const parts = ["op_allowlist", "pt_ort_parity", "registry"].map((k) => own(rc, k));
  if (typeof overall === "number" && parts.every((p): p is number => typeof p === "number") && overall !== Math.max(...parts)) {
    out.push({ pointer: "/return_codes/overall", message: `return_codes.overall is ${overall} but the max of the three codes is ${Math.max(...parts)}` });
  }
  if (isObject(checks)) {
    for (const k of ["op_allowlist", "pt_ort_parity", "registry"]) {
      const c = own(checks, k);
      const r = own(rc, k);
      if (typeof c === "boolean" && typeof r === "number" && c !== (r === 0)) {
        out.push({ pointer: `/checks/${k}`, message: `checks.${k} is ${c} but return_codes.${k} is ${r}` });
      }
    }
  }
}

function tiny(doc: JsonObject, out: RuleViolation[]): void {
  const plcc = own(doc, "plcc");
  const min = own(doc, "min_plcc");
  const gate = own(doc, "gate_pass");
  if (typeof plcc === "number" && typeof min === "number" && typeof gate === "boolean" && gate !== plcc >= min) {
    out.push({ pointer: "/gate_pass", message: `gate_pass is ${gate} but plcc ${fmt(plcc)} ${plcc >= min ? ">=" : "is not >="} min_plcc ${fmt(min)}` });
  }
  const model = own(doc, "model");
  const ep = entrypointBase(doc);
  const m = ep ? /^validate_(vmaf_tiny_v[234])\.py$/.exec(ep) : null;
  if (m && typeof model === "string" && model !== m[1]) {
    out.push({ pointer: "/model", message: `model ${fmt(model)} but the entrypoint ${ep} validates ${m[1]}` });
  }
  const args = at(doc, "run_provenance", "args");
  if (isObject(args)) {
    const rows = own(doc, "rows");
    const ar = own(args, "rows");
    if (typeof rows === "number" && typeof ar === "number" && rows > ar) {
      out.push({ pointer: "/rows", message: `rows ${rows} exceeds run_provenance.args.rows ${ar} (rows = min(--rows, parquet rows))` });
    }
  }
  const sp = own(doc, "sample_predictions");
  const st = own(doc, "sample_truth");
  if (Array.isArray(sp) && Array.isArray(st) && sp.length !== st.length) {
    out.push({ pointer: "/sample_truth", message: `sample_truth has ${st.length} values but sample_predictions has ${sp.length}` });
  }
  // A comparison block is written exactly when its --vN-onnx was given and the file existed.
  const comparisons: [string, string, string][] =
    model === "vmaf_tiny_v2"
      ? [["v1_onnx", "/v1_diff", "v1_diff"]]
      : model === "vmaf_tiny_v3"
        ? [["v2_onnx", "/v2_diff", "v2_diff"]]
        : model === "vmaf_tiny_v4"
          ? [
              ["v2_onnx", "/diffs/v2", "diffs.v2"],
              ["v3_onnx", "/diffs/v3", "diffs.v3"],
            ]
          : [];
  const inputs = at(doc, "run_provenance", "inputs");
  if (isObject(inputs)) {
    for (const [inKey, ptr, label] of comparisons) {
      if (!Object.prototype.hasOwnProperty.call(inputs, inKey)) continue;
      const d = own(inputs, inKey);
      const present = at(doc, ...ptr.slice(1).split("/")) !== undefined;
      const ran = isObject(d) && d.kind === "file";
      const absent = d === null || (isObject(d) && d.exists === false);
      if (present && absent) {
        out.push({ pointer: ptr, message: `${label} is present but inputs.${inKey} is ${d === null ? "null (flag absent)" : "missing"}` });
      } else if (!present && ran) {
        out.push({ pointer: `/run_provenance/inputs/${inKey}`, message: `inputs.${inKey} is a file that existed but the report has no ${label}` });
      }
    }
  }
}

function chug(doc: JsonObject, out: RuleViolation[]): void {
  const metrics = own(doc, "metrics");
  const gate = own(doc, "gate");
  if (!isObject(gate)) return;
  if (isObject(metrics)) {
    for (const k of ["plcc", "srocc", "rmse"]) {
      const g = own(gate, k);
      const m = own(metrics, k);
      if (typeof g === "number" && typeof m === "number" && !sameNumber(g, m)) {
        out.push({ pointer: `/gate/${k}`, message: `gate.${k} ${fmt(g)} differs from metrics.${k} ${fmt(m)}` });
      }
    }
  }
  const th = own(gate, "thresholds");
  const passed = own(gate, "passed");
  if (isObject(th)) {
    const [p, s, r] = ["plcc", "srocc", "rmse"].map((k) => own(gate, k));
    const [pm, sm, rm] = ["plcc_min", "srocc_min", "rmse_max"].map((k) => own(th, k));
    if ([p, s, r, pm, sm, rm].every((x) => typeof x === "number") && typeof passed === "boolean") {
      const want = (p as number) >= (pm as number) && (s as number) >= (sm as number) && (r as number) <= (rm as number);
      if (want !== passed) {
        out.push({
          pointer: "/gate/passed",
          message: `gate.passed is ${passed} but plcc ${fmt(p)}, srocc ${fmt(s)}, rmse ${fmt(r)} against the thresholds give ${want}`,
        });
      }
    }
  }
  const sp = own(doc, "sample_predictions");
  const sm = own(doc, "sample_mos");
  if (Array.isArray(sp) && Array.isArray(sm) && sp.length !== sm.length) {
    out.push({ pointer: "/sample_mos", message: `sample_mos has ${sm.length} values but sample_predictions has ${sp.length}` });
  }
}

function quantParity(doc: JsonObject, out: RuleViolation[]): void {
  const models = own(doc, "models");
  const th = own(doc, "thresholds");
  const gate = own(doc, "gate_pass");
  const n = own(doc, "n_frames");
  if (Array.isArray(models)) {
    const oks = models.map((m) => (isObject(m) ? own(m, "ok") : undefined));
    if (typeof gate === "boolean" && oks.every((o): o is boolean => typeof o === "boolean") && gate !== oks.every((o) => o)) {
      out.push({ pointer: "/gate_pass", message: `gate_pass is ${gate} but ${oks.filter((o) => !o).length} of ${oks.length} models are not ok` });
    }
    models.forEach((m, i) => {
      if (!isObject(m)) return;
      const pm = own(m, "pass_mean");
      const px = own(m, "pass_max");
      const pp = own(m, "pass_plcc");
      const ok = own(m, "ok");
      if ([pm, px, pp, ok].every((x) => typeof x === "boolean") && ok !== (pm && px && pp)) {
        out.push({ pointer: `/models/${i}/ok`, message: `ok is ${ok} but pass_mean=${pm}, pass_max=${px}, pass_plcc=${pp}` });
      }
      if (isObject(th)) {
        const rules: [string, string, string, (a: number, b: number) => boolean, string][] = [
          ["pass_mean", "mean_abs_delta", "max_mean_delta", (a, b) => a <= b, "<="],
          ["pass_max", "max_abs_delta", "max_single_delta", (a, b) => a <= b, "<="],
          ["pass_plcc", "plcc", "min_plcc", (a, b) => a >= b, ">="],
        ];
        for (const [flag, val, thr, cmp, op] of rules) {
          const f = own(m, flag);
          const a = own(m, val);
          const b = own(th, thr);
          if (typeof f === "boolean" && typeof a === "number" && typeof b === "number" && f !== cmp(a, b)) {
            out.push({ pointer: `/models/${i}/${flag}`, message: `${flag} is ${f} but ${val} ${fmt(a)} ${op} thresholds.${thr} ${fmt(b)} is ${cmp(a, b)}` });
          }
        }
      }
      const mn = own(m, "n_frames");
      if (typeof n === "number" && typeof mn === "number" && mn !== n) {
        out.push({ pointer: `/models/${i}/n_frames`, message: `models[${i}].n_frames ${mn} differs from n_frames ${n} (every model sees the same features)` });
      }
      const g1 = own(m, "gt_plcc_fp32");
      const g2 = own(m, "gt_plcc_int8");
      if (g1 !== undefined && g2 !== undefined && (g1 === null) !== (g2 === null)) {
        out.push({
          pointer: `/models/${i}/${g1 === null ? "gt_plcc_int8" : "gt_plcc_fp32"}`,
          message: "gt_plcc_fp32 and gt_plcc_int8 are null together (both need ground truth in the features)",
        });
      }
    });
  }
}

export const validatorReport = defineFamily({
  name: "validator-report",
  filePatterns: [
    "--out-json of validate_model_registry.py, validate_saliency_student.py, validate_vmaf_tiny_v{2,3,4}.py, validate_quant_parity.py",
    ".workingdir2/training/validation/chug_held_out_test_*.json (validate_chug_hdr_mos_head.py --out-json)",
  ],
  variants: {
    "registry-validation": { outputs: { report: "stale" }, rules: [collect(registry)] },
    "saliency-student-validation": { outputs: { report: "stale" }, rules: [collect(saliencyStudent)] },
    "vmaf-tiny-validation": { outputs: { report: "stale" }, rules: [collect(tiny), copiedFromArgs("/min_plcc", { type: "number" })] },
    [CHUG_VALIDATOR_SCHEMA]: {
      outputs: { json: "stale", md: "stale" },
      rules: [
        collect(chug),
        copiedFromArgs("/gate/thresholds/plcc_min", { arg: "gate_plcc", type: "number" }),
        copiedFromArgs("/gate/thresholds/srocc_min", { arg: "gate_srocc", type: "number" }),
        copiedFromArgs("/gate/thresholds/rmse_max", { arg: "gate_rmse", type: "number" }),
      ],
    },
    "quant-parity": {
      rules: [collect(quantParity), ...["max_mean_delta", "max_single_delta", "min_plcc"].map((k) => copiedFromArgs(`/thresholds/${k}`, { type: "number" }))],
    },
  },
  detection: { keys: [{ where: (doc) => keyVariant(doc) !== undefined }] },
  variantOf: (doc) => variantOf(doc),
  integrityDigests: () => [],
});
