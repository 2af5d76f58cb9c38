/**
 * Family `ensemble-manifest`: the deep-ensemble manifest `<out-dir>/<ensemble-id>.json`
 * (ai/scripts/train_fr_regressor_v2_ensemble.py). Facts: the emitter facts summarised in schema/README.md,
 * variant `fr-regressor-v2-ensemble`; see schema/README.md ("Facts behind each family").
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { DigestClaim, RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { at, sameNumber, showValue as fmt } from "./util.js";
import { codecLayout } from "./model.js";
import { copiedFromArgs, equalLengths, when } from "./rules/index.js";

const VARIANT = "fr-regressor-v2-ensemble";

/** `*_ensemble_v*.json`, except a member's `*_seed<N>.json` (model-sidecar.ts keeps the same exception). */
export const ENSEMBLE_NAME = /^(?!.*_seed[0-9]+\.json$).*_ensemble_v.*\.json$/;

function manifestRules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const id = typeof own(doc, "id") === "string" ? (own(doc, "id") as string) : undefined;
  const members = own(doc, "members");
  const size = own(doc, "ensemble_size");
  if (Array.isArray(members)) {
    if (typeof size === "number" && size !== members.length) {
      out.push({ pointer: "/ensemble_size", message: `ensemble_size is ${size} but members lists ${members.length} members` });
    }
    let base: number | undefined;
    members.forEach((m, k) => {
      if (!isObject(m)) return;
      if (id !== undefined && typeof m.id === "string" && m.id !== `${id}_seed${k}`) {
        out.push({ pointer: `/members/${k}/id`, message: `members[${k}].id is "${m.id}" but the trainer names member k=${k} "${id}_seed${k}"` });
      }
      if (typeof m.id === "string" && typeof m.onnx === "string" && m.onnx !== `${m.id}.onnx`) {
        out.push({
          pointer: `/members/${k}/onnx`,
          message: `members[${k}].onnx is "${m.onnx}" but the member graph is named <member id>.onnx ("${m.id}.onnx")`,
        });
      }
      if (typeof m.seed === "number") {
        if (base === undefined) base = m.seed - k;
        else if (m.seed !== base + k) {
          out.push({ pointer: `/members/${k}/seed`, message: `members[${k}].seed is ${m.seed} but member seeds are base_seed + k (${base + k})` });
        }
      }
    });
    const memberOnnx = at(doc, "run_provenance", "outputs", "member_onnx");
    if (Array.isArray(memberOnnx)) {
      if (memberOnnx.length !== members.length) {
        out.push({
          pointer: "/run_provenance/outputs/member_onnx",
          message: `run_provenance.outputs.member_onnx has ${memberOnnx.length} descriptors but members lists ${members.length} members`,
        });
      } else {
        memberOnnx.forEach((d, k) => {
          const m = members[k];
          if (!isObject(d) || !isObject(m)) return;
          if (typeof d.path === "string" && typeof m.onnx === "string" && d.path.split("/").pop() !== m.onnx) {
            out.push({
              pointer: `/run_provenance/outputs/member_onnx/${k}/path`,
              message: `member_onnx[${k}] names ${d.path} but members[${k}].onnx is "${m.onnx}"`,
            });
          } else if (d.kind === "file" && typeof d.sha256 === "string" && typeof m.sha256 === "string" && d.sha256 !== m.sha256) {
            out.push({
              pointer: `/members/${k}/sha256`,
              message: `members[${k}].sha256 differs from run_provenance.outputs.member_onnx[${k}].sha256 (the trainer hashes each member once for both)`,
            });
          }
        });
      }
    }
  }
  const conf = own(doc, "confidence");
  if (isObject(conf)) {
    const q = own(conf, "conformal_q_residual");
    const method = own(conf, "method");
    if (typeof method === "string" && (method === "ensemble+conformal") !== (typeof q === "number")) {
      out.push({
        pointer: "/confidence/method",
        message: `confidence.method is "${method}" but conformal_q_residual is ${fmt(q)} (the method is ensemble+conformal exactly when a conformal quantile exists)`,
      });
    }
    const cal = at(doc, "eval", "calibration");
    if (isObject(cal)) {
      const cq = own(cal, "conformal_q_residual");
      if (!(cq === q || sameNumber(cq, q))) {
        out.push({
          pointer: "/eval/calibration/conformal_q_residual",
          message: `eval.calibration.conformal_q_residual ${fmt(cq)} differs from confidence.conformal_q_residual ${fmt(q)}`,
        });
      }
      const nc = own(cal, "nominal_coverage");
      if (nc !== undefined && !sameNumber(nc, own(conf, "nominal_coverage"))) {
        out.push({
          pointer: "/eval/calibration/nominal_coverage",
          message: `eval.calibration.nominal_coverage ${fmt(nc)} differs from confidence.nominal_coverage ${fmt(own(conf, "nominal_coverage"))}`,
        });
      }
    } else if (typeof q === "number") {
      out.push({
        pointer: "/confidence/conformal_q_residual",
        message: "confidence.conformal_q_residual is set but eval.calibration is missing (both come from the conformal split)",
      });
    }
  }
  const dim = own(doc, "codec_block_dim");
  const vocab = own(doc, "codec_vocab");
  if (typeof dim === "number" && Array.isArray(vocab) && dim !== vocab.length) {
    out.push({ pointer: "/codec_block_dim", message: `codec_block_dim is ${dim} but codec_vocab has ${vocab.length} entries` });
  }
  return out;
}

function claims(doc: JsonObject): DigestClaim[] {
  const members = own(doc, "members");
  if (!Array.isArray(members)) return [];
  const out: DigestClaim[] = [];
  members.forEach((m, k) => {
    if (isObject(m) && typeof m.onnx === "string" && typeof m.sha256 === "string") {
      out.push({
        pointer: `/members/${k}/sha256`,
        path: m.onnx,
        relativeTo: "artifact",
        label: `members[${k}].sha256 of ${m.onnx}`,
        stakes: "reexport",
        onnxGraph: true,
      });
    }
  });
  return out;
}

export const ensembleManifest = defineFamily({
  name: "ensemble-manifest",
  filePatterns: ["*_ensemble_v*.json (not *_seed<N>.json, *_PROMOTE.json, *_HOLD.json)", "model/tiny/fr_regressor_v2_ensemble_v1.json"],
  variants: {
    [VARIANT]: { outputs: { manifest: "stale", member_onnx: "reexport", registry: "stale" } },
  },
  detection: {
    fileNames: [{ tier: "convention", name: ENSEMBLE_NAME }],
    keys: [{ equals: { kind: "fr_ensemble" } }, { has: ["members", "ensemble_size", "confidence"], where: (doc) => Array.isArray(doc.members) }],
  },
  variantOf: () => VARIANT,
  integrityDigests: (doc) => claims(doc),
  rules: [
    equalLengths("/feature_order", ["/feature_mean", "/feature_std"]),
    manifestRules,
    // The trainer writes these from its flags (checked where the member list is one).
    when(
      (doc) => Array.isArray(own(doc, "members")),
      copiedFromArgs("/members/0/seed", { arg: "base_seed", type: "number", say: "is" }),
      copiedFromArgs("/ensemble_size", { type: "number", say: "is" }),
      copiedFromArgs("/id", { arg: "ensemble_id", type: "string", say: "is" }),
      copiedFromArgs("/smoke", { type: "boolean", say: "is" }),
    ),
    codecLayout("codec_vocab", []),
  ],
});
