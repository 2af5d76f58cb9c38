/**
 * Family `model-registry`: `model/tiny/registry.json`, the trust root of the tiny models. It never
 * carries `run_provenance`. The schema mirrors `model/tiny/registry.schema.json`; facts in
 * the emitter facts summarised in schema/README.md (`model-registry`); see schema/README.md ("Facts behind each family").
 */
import { isObject, own, type JsonObject } from "../load/json-value.js";
import type { DigestClaim, RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { hasKeys } from "./util.js";
import { onnxClaims, quantRule } from "./model.js";

const VARIANT = "model-registry";
const REGISTRY_KINDS = ["fr", "nr", "filter"];

function rows(doc: JsonObject): [JsonObject, number][] {
  const models = own(doc, "models");
  if (!Array.isArray(models)) return [];
  const out: [JsonObject, number][] = [];
  models.forEach((m, i) => {
    if (isObject(m)) out.push([m, i]);
  });
  return out;
}

function rules(doc: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  const seen = new Map<string, number>();
  for (const [m, i] of rows(doc)) {
    const base = `/models/${i}`;
    const id = own(m, "id");
    if (typeof id === "string") {
      const first = seen.get(id);
      if (first !== undefined) {
        out.push({ pointer: `${base}/id`, message: `id "${id}" is registered twice (models[${first}] and models[${i}]); every emitter replaces a row by id` });
      } else seen.set(id, i);
    }
    out.push(...quantRule(m, base));
    const kind = own(m, "kind");
    if (typeof kind === "string" && !REGISTRY_KINDS.includes(kind)) {
      out.push({
        pointer: `${base}/kind`,
        severity: "warning",
        message: `kind "${kind}" (written by export_transnet_v2_placeholder.py) is outside model/tiny/registry.schema.json's fr|nr|filter; the registry validator and the runtime reject it`,
      });
    }
    if (own(m, "quant_mode") === "static" && own(m, "quant_calibration_set") === undefined) {
      out.push({
        pointer: `${base}/quant_mode`,
        severity: "warning",
        message: 'quant_mode "static" without quant_calibration_set (registry.schema.json requires it for static quantisation)',
      });
    }
  }
  return out;
}

function claims(doc: JsonObject): DigestClaim[] {
  const out: DigestClaim[] = [];
  for (const [m, i] of rows(doc)) out.push(...onnxClaims(m, `/models/${i}`));
  return out;
}

export const modelRegistry = defineFamily({
  name: "model-registry",
  filePatterns: ["model/tiny/registry.json"],
  detection: {
    fileNames: [{ tier: "convention", name: /^registry\.json$/ }],
    keys: [
      { has: ["models"], where: (doc) => typeof doc.$schema === "string" && /registry\.schema\.json$/.test(doc.$schema) },
      {
        has: ["models"],
        lacks: ["run_provenance"],
        where: (doc) =>
          typeof doc.schema_version === "number" && Array.isArray(doc.models) && doc.models.every((m) => isObject(m) && hasKeys(m, "id", "onnx", "sha256")),
      },
    ],
  },
  variantOf: () => VARIANT,
  integrityDigests: (doc) => claims(doc),
  particular: (doc) => rules(doc),
});
