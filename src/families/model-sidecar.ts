/**
 * Family `model-sidecar`: ONNX model sidecars `<id>.json` beside `<id>.onnx`.
 *
 * Facts: the emitter facts summarised in schema/README.md (variants fr-regressor-v1..v3, vmaf-tiny,
 * tiny-c2-c3, fastdvdnet-pre, transnet-v2, ensemble-seed, mos-head, legacy committed sidecars)
 * and quant-calibration-and-audits.md (nr-calibrated). See schema/README.md ("Facts behind each family").
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { DigestClaim, RuleViolation } from "./types.js";
import { defineFamily, variantByEntrypoint } from "./define.js";
import { codecLayout, int8WithQuantMode, onnxClaims } from "./model.js";
import { argsOf, copiedFromArgs, copyOf, equalLengths, sameDigest, when, type Rule } from "./rules/index.js";
import { at, entrypointBase, hasKeys, sameNumber, showValue as fmt, closeTo as close } from "./util.js";

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

// ----------------------------------------------------------------------------- variants

const FEATURES_BY_SCHEMA: Record<string, number> = {
  "konvid-v1": 11,
  "chug-hdr-wide-v1": 34,
  "chug-hdr-display-v1": 45,
};

function variantFromKeys(doc: JsonObject): string | undefined {
  const id = str(own(doc, "id"));
  const kind = str(own(doc, "kind"));
  if (kind === "fr_ensemble") return undefined;
  if (Object.keys(doc).some((k) => k.startsWith("calibration_"))) return "nr-calibrated";
  if (kind === "mos" || hasKeys(doc, "mos_range") || hasKeys(doc, "folds", "gate", "phase")) return "mos-head";
  if (kind === "shot_detector" || id === "transnet_v2") return "transnet-v2";
  if (id === "fastdvdnet_pre" || hasKeys(doc, "frame_window", "centre_index")) return "fastdvdnet-pre";
  if (hasKeys(doc, "ensemble_id") || (hasKeys(doc, "seed", "gate") && hasKeys(doc, "training_recipe"))) return "ensemble-seed";
  if ((id !== undefined && id.startsWith("vmaf_tiny_")) || hasKeys(doc, "input_mean", "input_std")) return "vmaf-tiny";
  if (id === "fr_regressor_v1") return "fr-regressor-v1";
  if (id === "fr_regressor_v2") return "fr-regressor-v2";
  if (id === "fr_regressor_v3") return "fr-regressor-v3";
  if (hasKeys(doc, "codec_block_layout")) {
    const v = own(doc, "encoder_vocab_version");
    if (v === 2) return "fr-regressor-v2";
    if (v === 3) return "fr-regressor-v3";
  }
  if (hasKeys(doc, "feature_order", "training") && !hasKeys(doc, "codec_aware")) return "fr-regressor-v1";
  if (hasKeys(doc, "onnx_opset") && !hasKeys(doc, "onnx")) return "legacy";
  if ((kind === "nr" || kind === "filter") && hasKeys(doc, "id", "onnx", "sha256")) return "tiny-c2-c3";
  return undefined;
}

function sidecarVariant(doc: JsonObject): string | undefined {
  // The key set is what the schema judges; the entrypoint only breaks ties (an id override).
  return variantFromKeys(doc) ?? variantByEntrypoint("model-sidecar", doc);
}

// ----------------------------------------------------------------------------- rules

function seedsOfArg(v: JsonValue | undefined): number[] | undefined {
  if (typeof v !== "string") return undefined;
  const parts = v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (!parts.every((p) => /^-?[0-9]+$/.test(p))) return undefined;
  return parts.map(Number);
}

/** Scaler vectors as long as the feature list. */
const SCALER = equalLengths("/feature_order", ["/feature_mean", "/feature_std"]);
/** The codec block of the fr_regressor v2/v3 input. */
const CODEC_LAYOUT = codecLayout("encoder_vocab", ["preset_norm", "crf_norm"]);
const ONNX_ONCE = "the exporter hashes the ONNX once for both";

const smokeDataset: Rule = (doc) => {
  const smoke = at(doc, "training", "smoke");
  const dataset = at(doc, "training", "dataset");
  if (typeof smoke === "boolean" && typeof dataset === "string" && smoke !== (dataset === "synthetic-smoke")) {
    return [
      { pointer: "/training/dataset", message: `training.dataset is "${dataset}" but training.smoke is ${smoke} (smoke runs train on "synthetic-smoke")` },
    ];
  }
  return [];
};

const archWithParams: Rule = (doc) => {
  if (hasKeys(doc, "arch") === hasKeys(doc, "n_params")) return [];
  const key = hasKeys(doc, "arch") ? "arch" : "n_params";
  return [{ pointer: `/${key}`, message: `${key} is present without ${key === "arch" ? "n_params" : "arch"} (the v3/v4 exporters write both, v2 neither)` }];
};

/** export_tiny_models.py names the graph `<id>.onnx`. */
const graphNamedById: Rule = (doc) => {
  const id = str(own(doc, "id"));
  const onnx = str(own(doc, "onnx"));
  if (id !== undefined && onnx !== undefined && onnx !== `${id}.onnx`) {
    return [{ pointer: "/onnx", message: `onnx is "${onnx}" but export_tiny_models.py always names the graph <id>.onnx ("${id}.onnx")` }];
  }
  return [];
};

/** With --no-registry the FastDVDnet and TransNet exporters write no sidecar at all. */
const noRegistry: Rule = (doc) =>
  own(argsOf(doc) ?? {}, "no_registry") === true
    ? [{ pointer: "/run_provenance/args/no_registry", message: "args.no_registry is true, but with --no-registry the exporter writes no sidecar" }]
    : [];

const nrRules: Rule = (doc) => {
  const args = argsOf(doc);
  const out: RuleViolation[] = [];
  const status = own(doc, "calibration_quality_status");
  const reasons = own(doc, "calibration_quality_reasons");
  const allowWeak = own(doc, "calibration_allow_weak");
  const plcc = own(doc, "calibration_plcc");
  const n = own(doc, "calibration_n_samples");
  const minN = own(doc, "calibration_min_samples");
  const minPlcc = own(doc, "calibration_min_plcc");
  if (status === "weak" && allowWeak === false) {
    out.push({
      pointer: "/calibration_quality_status",
      message: 'calibration_quality_status is "weak" but calibration_allow_weak is false (a weak calibration is written only with --allow-weak-calibration)',
    });
  }
  if (Array.isArray(reasons) && (status === "accepted") !== (reasons.length === 0)) {
    out.push({
      pointer: "/calibration_quality_reasons",
      message:
        status === "accepted"
          ? `calibration_quality_reasons lists ${reasons.length} reason(s) but the status is "accepted"`
          : 'calibration_quality_reasons is [] but the status is "weak"',
    });
  }
  if (status === "accepted") {
    if (typeof plcc === "number" && Number.isNaN(plcc)) {
      out.push({ pointer: "/calibration_plcc", message: 'calibration_plcc is NaN ("PLCC is undefined") but the status is "accepted"' });
    } else if (typeof plcc === "number" && typeof minPlcc === "number" && plcc < minPlcc) {
      out.push({ pointer: "/calibration_plcc", message: `calibration_plcc ${plcc} is below calibration_min_plcc ${minPlcc} but the status is "accepted"` });
    }
    if (typeof n === "number" && typeof minN === "number" && n < minN) {
      out.push({
        pointer: "/calibration_n_samples",
        message: `calibration_n_samples ${n} is below calibration_min_samples ${minN} but the status is "accepted"`,
      });
    }
  }
  if (args) {
    if (own(args, "dry_run") === true) {
      out.push({ pointer: "/run_provenance/args/dry_run", message: "args.dry_run is true, but a dry run never writes the sidecar" });
    }
  }
  const mj = at(doc, "run_provenance", "outputs", "model_json");
  if (isObject(mj) && mj.kind !== "file") {
    out.push({
      pointer: "/run_provenance/outputs/model_json/kind",
      message: `outputs.model_json is kind "${String(mj.kind)}", but the calibration reads the existing sidecar first, so it is always a file`,
    });
  }
  return out;
};

/** An ensemble member (export_ensemble_v2_seeds.py): what the declared rules cannot say. */
const seedRules: Rule = (doc) => {
  const args = argsOf(doc);
  const out: RuleViolation[] = [];
  const id = str(own(doc, "id"));
  const ens = str(own(doc, "ensemble_id"));
  const seed = own(doc, "seed");
  if (id !== undefined && ens !== undefined && typeof seed === "number" && id !== `${ens}_seed${seed}`) {
    out.push({ pointer: "/id", message: `id is "${id}" but ensemble_id and seed make "${ens}_seed${seed}"` });
  }
  const onnx = str(own(doc, "onnx"));
  if (id !== undefined && onnx !== undefined && onnx !== `${id}.onnx`) {
    out.push({ pointer: "/onnx", message: `onnx is "${onnx}" but the exporter names the member graph <id>.onnx ("${id}.onnx")` });
  }
  const gate = own(doc, "gate");
  if (isObject(gate) && hasKeys(doc, "loso_mean_plcc")) {
    const a = own(doc, "loso_mean_plcc");
    const b = own(gate, "mean_plcc");
    if (!(a === b || sameNumber(a, b))) {
      out.push({
        pointer: "/loso_mean_plcc",
        message: `loso_mean_plcc ${fmt(a)} differs from gate.mean_plcc ${fmt(b)} (both copy PROMOTE.json gate.mean_plcc)`,
      });
    }
  }
  const recipe = own(doc, "training_recipe");
  if (isObject(recipe)) {
    const layout = own(doc, "codec_block_layout");
    if (Array.isArray(layout) && typeof recipe.num_codecs === "number" && recipe.num_codecs !== layout.length) {
      out.push({
        pointer: "/training_recipe/num_codecs",
        message: `training_recipe.num_codecs is ${recipe.num_codecs} but codec_block_layout has ${layout.length} slots`,
      });
    }
    const order = own(doc, "feature_order");
    if (Array.isArray(order) && typeof recipe.in_features === "number" && recipe.in_features !== order.length) {
      out.push({
        pointer: "/training_recipe/in_features",
        message: `training_recipe.in_features is ${recipe.in_features} but feature_order lists ${order.length} features`,
      });
    }
  }
  if (typeof seed === "number") {
    const listed = seedsOfArg(args ? own(args, "seeds") : undefined);
    if (listed && !listed.includes(seed)) {
      out.push({
        pointer: "/seed",
        message: `seed ${seed} is not among run_provenance.args.seeds "${String(args?.seeds)}" (one block is shared by the seeds of one run)`,
      });
    }
    const outputs = at(doc, "run_provenance", "outputs");
    if (isObject(outputs) && !hasKeys(outputs, `seed${seed}_sidecar`)) {
      out.push({ pointer: "/run_provenance/outputs", message: `run_provenance.outputs has no seed${seed}_sidecar entry for this member (seed ${seed})` });
    }
  }
  return out;
};

/** A MOS head (train_konvid_mos_head.py and its wrappers): what the declared rules cannot say. */
const mosRules: Rule = (doc) => {
  const out: RuleViolation[] = [];
  const schema = own(doc, "feature_schema");
  const order = own(doc, "feature_order");
  const expected = typeof schema === "string" ? FEATURES_BY_SCHEMA[schema] : undefined;
  if (expected !== undefined && Array.isArray(order) && order.length !== expected) {
    out.push({ pointer: "/feature_order", message: `feature_order lists ${order.length} features but feature_schema "${String(schema)}" has ${expected}` });
  }
  if (hasKeys(doc, "display_profile") && schema !== "chug-hdr-display-v1") {
    out.push({
      pointer: "/display_profile",
      message: `display_profile is present but feature_schema is ${fmt(schema)} (it is written only with the display feature schema)`,
    });
  }
  const folds = own(doc, "folds");
  const k = at(doc, "training_recipe", "k_folds");
  if (Array.isArray(folds) && typeof k === "number" && k !== folds.length) {
    out.push({
      pointer: "/training_recipe/k_folds",
      message: `training_recipe.k_folds is ${k} but folds has ${folds.length} reports (k_folds counts the fold reports)`,
    });
  }
  out.push(...mosGateRules(doc, folds));
  const fv = at(doc, "display_profile", "feature_values");
  if (isObject(fv) && Array.isArray(order)) {
    for (const k of Object.keys(fv)) {
      if (!order.includes(k)) {
        out.push({
          pointer: childPointer("/display_profile/feature_values", k),
          message: `display feature "${k}" is not in feature_order (the profile is projected onto the trainer's feature columns)`,
        });
      }
    }
  }
  if (isObject(fv)) {
    // The trainer keeps only finite profile values (S&T mos-head: "only finite values; at least
    // one"); JSON Schema cannot say "finite" alike in every validator, so this is a rule.
    for (const [k, v] of Object.entries(fv)) {
      if (typeof v === "number" && !Number.isFinite(v)) {
        out.push({
          pointer: childPointer("/display_profile/feature_values", k),
          message: `display feature "${k}" is ${fmt(v)}, but the trainer keeps only finite profile values`,
        });
      }
    }
  }
  const rp = own(doc, "run_provenance");
  if (isObject(rp)) {
    const ep = entrypointBase(doc);
    const shared = own(rp, "shared_trainer");
    if (shared !== undefined && ep === "train_konvid_mos_head.py") {
      out.push({
        pointer: "/run_provenance/shared_trainer",
        message: "run_provenance.shared_trainer is present but the entrypoint is the shared trainer itself (it is added only when a wrapper ran)",
      });
    }
    if (shared === undefined && ep !== undefined && ep !== "train_konvid_mos_head.py") {
      out.push({ pointer: "/run_provenance/entrypoint/path", message: `the entrypoint ${ep} is a wrapper, but run_provenance.shared_trainer is missing` });
    }
  }
  return out;
};

/**
 * The MOS gate (train_konvid_mos_head.py `_evaluate_gate`): means and spread over the folds whose
 * value is not NaN (NaN when none is), and `passed` from those numbers and the recorded thresholds.
 */
function mosGateRules(doc: JsonObject, folds: JsonValue | undefined): RuleViolation[] {
  const gate = own(doc, "gate");
  if (!isObject(gate) || !Array.isArray(folds) || !folds.every(isObject)) return [];
  const out: RuleViolation[] = [];
  const vals = (k: string): number[] => (folds as JsonObject[]).map((f) => own(f, k)).filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const plcc = vals("plcc");
  const expected: [string, number][] = [
    ["mean_plcc", mean(plcc)],
    ["mean_srocc", mean(vals("srocc"))],
    ["mean_rmse", mean(vals("rmse"))],
    ["plcc_spread", plcc.length ? Math.max(...plcc) - Math.min(...plcc) : NaN],
  ];
  for (const [k, want] of expected) {
    const got = own(gate, k);
    if (typeof got === "number" && !close(got, want)) {
      out.push({
        pointer: `/gate/${k}`,
        message: `gate.${k} is ${fmt(got)} but the folds give ${fmt(want)} (NaN folds are left out; NaN when every fold is NaN)`,
      });
    }
  }
  const t = own(gate, "gate");
  const passed = own(gate, "passed");
  if (isObject(t) && typeof passed === "boolean") {
    const num = (v: JsonValue | undefined): number => (typeof v === "number" ? v : NaN);
    const mp = num(own(gate, "mean_plcc"));
    const ok = (x: number, test: (x: number) => boolean): boolean => !Number.isNaN(x) && test(x);
    let want = ok(mp, (x) => x >= num(own(t, "plcc_min")));
    if (own(t, "kind") === "real") {
      want =
        want &&
        ok(num(own(gate, "mean_srocc")), (x) => x >= num(own(t, "srocc_min"))) &&
        ok(num(own(gate, "mean_rmse")), (x) => x <= num(own(t, "rmse_max"))) &&
        ok(num(own(gate, "plcc_spread")), (x) => x <= num(own(t, "spread_max")));
    }
    if (want !== passed) {
      out.push({
        pointer: "/gate/passed",
        message: `gate.passed is ${passed} but the recorded means and ${String(own(t, "kind"))} thresholds make it ${want}`,
      });
    }
  }
  return out;
}

// ----------------------------------------------------------------------------- digests

function claims(doc: JsonObject, variant: string | undefined): DigestClaim[] {
  const out = onnxClaims(doc, "");
  if (variant === "fr-regressor-v3") {
    const corpus = str(own(doc, "corpus"));
    if (corpus !== undefined && typeof own(doc, "corpus_sha256") === "string") {
      out.push({ pointer: "/corpus_sha256", path: corpus, relativeTo: "root", label: "corpus_sha256 of corpus", stakes: "integrity" });
    }
  }
  if (variant === "ensemble-seed") {
    const p = at(doc, "corpus", "path");
    if (typeof p === "string" && typeof at(doc, "corpus", "sha256") === "string") {
      out.push({ pointer: "/corpus/sha256", path: p, relativeTo: "root", label: "corpus.sha256 of corpus.path", stakes: "integrity" });
    }
  }
  if (variant === "mos-head") {
    const p = at(doc, "display_profile", "source_path");
    if (typeof p === "string" && typeof at(doc, "display_profile", "sha256") === "string") {
      out.push({
        pointer: "/display_profile/sha256",
        path: p,
        relativeTo: "root",
        label: "display_profile.sha256 of display_profile.source_path",
        stakes: "integrity",
      });
    }
  }
  return out;
}

// ----------------------------------------------------------------------------- detection

/** Not an ensemble manifest's key set (`kind: "fr_ensemble"`, `members`). */
const notEnsemble = (doc: JsonObject): boolean => own(doc, "kind") !== "fr_ensemble";

const SELF_AFTER = { sidecar: "stale", registry: "stale" } as const;

export const modelSidecar = defineFamily({
  name: "model-sidecar",
  filePatterns: ["model/**/<id>.json beside <id>.onnx", "model/tiny/<ensemble_id>_seed<N>.json", "model/konvid_mos_head_v1.json", "chug_hdr_mos_head_v1.json"],
  rules: [int8WithQuantMode],
  variants: {
    "fr-regressor-v1": { rules: [SCALER] },
    "fr-regressor-v2": { rules: [SCALER, CODEC_LAYOUT, smokeDataset] },
    "fr-regressor-v3": {
      rules: [
        SCALER,
        CODEC_LAYOUT,
        when(
          (doc) => isObject(own(doc, "training")),
          copyOf("/loso_mean_plcc", "/training/loso_mean_plcc", { why: "the top-level key is a copy" }),
          copyOf("/gate_passed", "/training/gate_passed", { type: "boolean", why: "the top-level key is a copy" }),
        ),
        sameDigest("/corpus_sha256", "inputs", "corpus", "both digest the same corpus file in the same run"),
      ],
    },
    "vmaf-tiny": {
      outputs: { onnx_target: "integrity" },
      rules: [equalLengths("/features", ["/input_mean", "/input_std"]), archWithParams, sameDigest("/sha256", "outputs", "onnx_target", ONNX_ONCE)],
    },
    "tiny-c2-c3": { outputs: { onnx: "integrity", ...SELF_AFTER }, rules: [graphNamedById, sameDigest("/sha256", "outputs", "onnx", ONNX_ONCE)] },
    "nr-calibrated": {
      outputs: { markdown_report: "integrity", model_json: "stale" },
      rules: [
        graphNamedById,
        nrRules,
        copiedFromArgs("/calibration_allow_weak", { arg: "allow_weak_calibration", say: "is" }),
        copiedFromArgs("/calibration_min_samples", { arg: "min_calibration_samples", say: "is" }),
      ],
    },
    "fastdvdnet-pre": {
      outputs: { onnx: "integrity", ...SELF_AFTER },
      rules: [
        noRegistry,
        sameDigest("/upstream_weights_sha256", "inputs", "upstream_weights", "the exporter refuses upstream weights whose digest differs from the pinned one"),
      ],
    },
    "transnet-v2": { outputs: { onnx: "integrity", wrapped_savedmodel: "integrity", ...SELF_AFTER }, rules: [noRegistry] },
    "ensemble-seed": {
      rules: [
        SCALER,
        CODEC_LAYOUT,
        seedRules,
        sameDigest("/corpus/sha256", "inputs", "corpus", "both digest --corpus in the same run"),
        when(
          (doc) => isObject(own(doc, "training_recipe")),
          ...["epochs", "batch_size", "lr", "weight_decay"].map((k) => copiedFromArgs(`/training_recipe/${k}`, { say: "is" })),
        ),
      ],
    },
    "mos-head": {
      outputs: { onnx: "integrity", manifest: "stale", card: "stale" },
      rules: [
        SCALER,
        mosRules,
        copiedFromArgs("/id", { arg: "model_id", type: "string", say: "is" }),
        copiedFromArgs("/feature_schema", { type: "string", say: "is" }),
        copiedFromArgs("/training_recipe/seed", { type: "number", say: "is" }),
        sameDigest("/sha256", "outputs", "onnx", "the trainer hashes the exported ONNX once for both"),
      ],
    },
  },
  outputs: { ...SELF_AFTER },
  detection: {
    // `<id>.json` beside `<id>.onnx`; not the registry, and not an ensemble manifest's name (a
    // member's `<ensemble>_seed<N>.json` is a sidecar: ensemble-manifest.ts makes the same exception).
    fileNames: [{ tier: "beside-model", name: /\.json$/, beside: ".onnx", unless: /^registry(\.schema)?\.json$|^(?!.*_seed[0-9]+\.json$).*_ensemble_v/ }],
    keys: [
      {
        lacks: ["members"],
        where: (doc) => notEnsemble(doc) && typeof own(doc, "id") === "string" && typeof own(doc, "onnx") === "string" && typeof own(doc, "kind") === "string",
      },
      { has: ["calibration_slope", "calibration_threshold"], lacks: ["members"], where: notEnsemble },
      { has: ["onnx_opset", "name", "kind", "input_name", "output_name"], lacks: ["members"], where: notEnsemble },
    ],
  },
  variantOf: (doc) => sidecarVariant(doc),
  integrityDigests: (doc, variant) => claims(doc, variant ?? sidecarVariant(doc)),
});
