/**
 * Family `table-audit`: audits written beside materialised feature tables and the
 * signal-mix coverage audit. Hand-built dicts without a schema key, told apart by key set
 * and entrypoint. Their outputs are plain strings (never hashed); the tables themselves
 * carry no provenance.
 *
 * - `mos-label-audit` (materialize_mos_labels.py --audit-json, or per table of batch_materialize_mos_labels.py): MaterializeStats + match_rate;
 * - `second-opinion-audit` (materialize_second_opinion_features.py --audit-json, or per table of its batch wrapper);
 * - `saliency-features-audit` (materialize_saliency_features.py --audit-json): config + summary;
 *   its block is built after the table is written;
 * - `signal-mix-audit` (signal_mix_audit.py --out-json): per table, 13 signal families.
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation, KeyEvidence } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { variantByKeys } from "./evidence.js";
import { copiedFromArgs, eachCopiedFromArgs } from "./rules/index.js";
import { at, entrypointBase, hasKeys, sameNumber } from "./util.js";

const MOS = "mos-label-audit";
const SO = "second-opinion-audit";
const SAL = "saliency-features-audit";
const MIX = "signal-mix-audit";
const FAMILIES = [
  "canonical_fr",
  "error_energy",
  "structural_similarity",
  "texture_deep_perceptual",
  "color_chroma",
  "banding_tone_mapping",
  "temporal_flicker",
  "saliency_roi",
  "hdr_display_panel",
  "source_geometry_content",
  "codec_encoder",
  "no_reference_ugc",
  "noise_grain_blur",
];

const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");
const int = (v: JsonValue | undefined): v is number => typeof v === "number";

/** Key sets per variant, in the order variantOf tries them. */
const KEYS: KeyEvidence[] = [
  { variant: MOS, has: ["label_sources", "match_rate", "labels_loaded", "matched_feature_keys"] },
  { variant: SO, has: ["competitors", "missing_policy", "key_column"] },
  { variant: SAL, has: ["config", "summary", "input", "output"], where: (doc) => isObject(doc.summary) && hasKeys(doc.summary, "skipped_existing") },
  {
    variant: MIX,
    where: (doc) => Array.isArray(doc.tables) && doc.tables.length > 0 && doc.tables.every((t) => isObject(t) && hasKeys(t, "family_health", "family_columns")),
  },
  { variant: MIX, where: (doc) => Array.isArray(doc.tables) && entrypointBase(doc) === "signal_mix_audit.py" },
];

function mosRules(doc: JsonObject, out: RuleViolation[]): void {
  const total = doc.total_feature_keys;
  const matchedKeys = doc.matched_feature_keys;
  const rate = doc.match_rate;
  if (int(total) && int(matchedKeys)) {
    if (matchedKeys > total) out.push({ pointer: "/matched_feature_keys", message: `matched_feature_keys ${matchedKeys} exceeds total_feature_keys ${total}` });
    if (typeof rate === "number") {
      const expected = total === 0 ? 0 : matchedKeys / total;
      if (!(Math.abs(expected - rate) <= 1e-12)) {
        out.push({
          pointer: "/match_rate",
          message: `match_rate ${rate} is not matched_feature_keys / total_feature_keys (${matchedKeys} / ${total} = ${expected})`,
        });
      }
    }
  }
  if (typeof rate === "number" && typeof doc.min_match_rate === "number" && rate < doc.min_match_rate) {
    out.push({
      pointer: "/match_rate",
      message: `match_rate ${rate} is below min_match_rate ${doc.min_match_rate}: the emitter raises instead of writing an audit`,
    });
  }
  const { input_rows: input, output_rows: output, matched_rows: matched, missing_rows: missing } = doc;
  if (int(input) && int(matched) && int(missing) && matched + missing !== input) {
    out.push({ pointer: "/missing_rows", message: `matched_rows ${matched} + missing_rows ${missing} must equal input_rows ${input}` });
  }
  if (int(input) && int(output) && input !== output) {
    out.push({ pointer: "/output_rows", message: `output_rows ${output} differs from input_rows ${input} (every row is written, labelled or marked missing)` });
  }
  const labels = at(doc, "run_provenance", "inputs", "labels");
  if (Array.isArray(labels) && Array.isArray(doc.label_sources) && labels.length !== doc.label_sources.length) {
    out.push({
      pointer: "/label_sources",
      message: `label_sources lists ${doc.label_sources.length} tables but run_provenance.inputs.labels describes ${labels.length}`,
    });
  }
}

function soRules(doc: JsonObject, out: RuleViolation[]): void {
  const { input_rows: input, output_rows: output, missing_policy: policy } = doc;
  if (int(input) && int(output)) {
    if (output > input) out.push({ pointer: "/output_rows", message: `output_rows ${output} exceeds input_rows ${input}` });
    else if (output < input && policy !== "drop") {
      out.push({
        pointer: "/output_rows",
        message: `output_rows ${output} < input_rows ${input} although missing_policy is ${JSON.stringify(policy)} (rows are dropped only with "drop")`,
      });
    }
  }
  const comps = doc.competitors;
  if (!isObject(comps)) return;
  for (const name of Object.keys(comps)) {
    const c = own(comps, name);
    if (!isObject(c)) continue;
    if (typeof c.competitor === "string" && c.competitor !== name) {
      out.push({
        pointer: p("competitors", name, "competitor"),
        message: `competitors["${name}"].competitor is ${JSON.stringify(c.competitor)}; entries are keyed by their competitor name`,
      });
    }
    if (policy === "fail" && int(c.missing_rows) && c.missing_rows > 0) {
      out.push({
        pointer: p("competitors", name, "missing_rows"),
        message: `missing_policy "fail" raises on any missing row, yet ${name} has missing_rows ${c.missing_rows}`,
      });
    }
  }
}

function salRules(doc: JsonObject, out: RuleViolation[]): void {
  const s = doc.summary;
  if (isObject(s) && int(s.total) && int(s.ok) && int(s.skipped_existing) && int(s.failed) && s.ok + s.skipped_existing + s.failed !== s.total) {
    out.push({
      pointer: "/summary/total",
      message: `summary.total ${s.total} must equal ok ${s.ok} + skipped_existing ${s.skipped_existing} + failed ${s.failed}`,
    });
  }
}

function mixRules(doc: JsonObject, out: RuleViolation[]): void {
  const tables = Array.isArray(doc.tables) ? doc.tables : [];
  const inputs = at(doc, "run_provenance", "inputs", "tables");
  if (Array.isArray(inputs) && inputs.length !== tables.length) {
    out.push({ pointer: "/tables", message: `tables has ${tables.length} entries but run_provenance.inputs.tables describes ${inputs.length}` });
  }
  const threshold = at(doc, "run_provenance", "args", "redundancy_threshold");
  tables.forEach((t, i) => {
    if (!isObject(t)) return;
    const health = own(t, "family_health");
    const famCols = own(t, "family_columns");
    if (isObject(health)) {
      for (const f of FAMILIES) {
        const h = own(health, f);
        if (!isObject(h)) continue;
        const matched = own(h, "matched_columns");
        const healthy = own(h, "healthy_columns");
        const cols = isObject(famCols) ? own(famCols, f) : undefined;
        if (Array.isArray(cols) && Array.isArray(matched) && JSON.stringify(cols) !== JSON.stringify(matched)) {
          out.push({
            pointer: p("tables", i, "family_health", f, "matched_columns"),
            message: `tables[${i}].family_health.${f}.matched_columns must equal family_columns.${f}`,
          });
        }
        if (Array.isArray(matched) && Array.isArray(healthy) && typeof h.status === "string") {
          const expected = matched.length === 0 ? "missing" : healthy.length === 0 ? "weak" : "covered";
          if (h.status !== expected) {
            out.push({
              pointer: p("tables", i, "family_health", f, "status"),
              message: `tables[${i}].family_health.${f}.status is "${h.status}" but ${matched.length} matched and ${healthy.length} healthy columns make it "${expected}"`,
            });
          }
        }
      }
      for (const [key, status] of [
        ["missing_families", "missing"],
        ["weak_families", "weak"],
      ] as const) {
        const listed = own(t, key);
        if (!Array.isArray(listed)) continue;
        const expected = FAMILIES.filter((f) => at(health, f, "status") === status);
        if (JSON.stringify(listed) !== JSON.stringify(expected)) {
          out.push({
            pointer: p("tables", i, key),
            message: `tables[${i}].${key} must list the families whose family_health status is "${status}", in family order: ${JSON.stringify(expected)}`,
          });
        }
      }
    }
    const stats = own(t, "column_stats");
    const signals = own(t, "signal_columns");
    if (isObject(stats) && Array.isArray(signals)) {
      const keys = Object.keys(stats);
      const sig = signals.filter((s): s is string => typeof s === "string");
      if (keys.length !== new Set(sig).size || keys.some((k) => !sig.includes(k))) {
        out.push({ pointer: p("tables", i, "column_stats"), message: `tables[${i}].column_stats must have one entry per signal column (${sig.join(", ")})` });
      }
    }
    const corr = own(t, "target_correlations");
    if (own(t, "target") === null && Array.isArray(corr) && corr.length) {
      out.push({ pointer: p("tables", i, "target_correlations"), message: `tables[${i}] has no target but ${corr.length} target correlations` });
    }
    for (const listKey of ["target_correlations", "redundant_pairs", "intersections"]) {
      const list = own(t, listKey);
      if (!Array.isArray(list)) continue;
      list.forEach((row, j) => {
        if (!isObject(row)) return;
        const r = own(row, "pearson");
        const abs = own(row, "abs_pearson");
        if (typeof r === "number" && typeof abs === "number" && !sameNumber(Math.abs(r), abs)) {
          out.push({
            pointer: p("tables", i, listKey, j, "abs_pearson"),
            message: `tables[${i}].${listKey}[${j}].abs_pearson ${abs} is not |pearson| (${Math.abs(r)})`,
          });
        }
        if (listKey === "redundant_pairs" && typeof threshold === "number" && typeof abs === "number" && !(abs >= threshold)) {
          out.push({
            pointer: p("tables", i, listKey, j, "abs_pearson"),
            message: `tables[${i}].redundant_pairs[${j}] has |r| ${abs} below the redundancy threshold ${threshold}`,
          });
        }
      });
    }
  });
}

export const tableAudit = defineFamily({
  name: "table-audit",
  filePatterns: [
    "--audit-json PATH (materialize_mos_labels.py, materialize_second_opinion_features.py, materialize_saliency_features.py)",
    "--out-json PATH beside --out-md (signal_mix_audit.py)",
  ],
  variants: {
    [MOS]: { outputs: { out: "stale", audit_json: "stale" } },
    [SO]: { outputs: { audit_json: "stale" } },
    [SAL]: {
      outputs: { output: "integrity", audit_json: "stale" },
      rules: [
        eachCopiedFromArgs("/config", { why: "the config is built from the CLI flags" }),
        copiedFromArgs("/input", { type: "string", quote: false }),
        copiedFromArgs("/output", { type: "string", quote: false }),
      ],
    },
    [MIX]: { outputs: { json_report: "stale" } },
  },
  detection: { keys: KEYS },
  variantOf(doc: JsonObject): string | undefined {
    return variantByEntrypoint("table-audit", doc) ?? variantByKeys(KEYS, doc);
  },
  particular(doc: JsonObject, variant: string | undefined): RuleViolation[] {
    const out: RuleViolation[] = [];
    if (variant === MOS) mosRules(doc, out);
    else if (variant === SO) soRules(doc, out);
    else if (variant === SAL) salRules(doc, out);
    else if (variant === MIX) mixRules(doc, out);
    return out;
  },
});
