import { describe, expect, it } from "vitest";
import { familyByFileName } from "../../src/detect.js";
import { modelSidecar } from "../../src/families/model-sidecar.js";
import { int8Name } from "../../src/families/model.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, nameTier, keyed } from "./fixtures.js";

const F = facts("model/tiny/x.json");
const HEX = "a".repeat(64);
const CANON6 = ["adm2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion2"];
const V2 = ["libx264", "libx265", "libsvtav1", "libvvenc", "libvpx-vp9", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_qsv", "hevc_qsv", "av1_qsv", "unknown"];
const layout = (v: string[]) => [...v.map((e) => `encoder_onehot[${e}]`), "preset_norm", "crf_norm"];

function rp(entry: string, extra: JsonObject = {}): JsonObject {
  return { schema: "ai-run-provenance-v1", entrypoint: { path: `ai/scripts/${entry}`, exists: true, kind: "file", sha256: HEX }, argv: [], args: {}, ...extra };
}

describe("model-sidecar detection", () => {
  it("claims <id>.json beside <id>.onnx, more under model/", () => {
    expect(nameTier(modelSidecar, facts("model/tiny/fr_regressor_v1.json", ["fr_regressor_v1.onnx"]))).toBe("beside-model");
    expect(nameTier(modelSidecar, facts("out/chug_hdr_mos_head_v1.json", ["chug_hdr_mos_head_v1.onnx"]))).toBe("beside-model");
    expect(nameTier(modelSidecar, facts("model/tiny/transnet_v2.json"))).toBeUndefined();
    expect(nameTier(modelSidecar, facts("model/tiny/vmaf_tiny_v3.int8.json", ["vmaf_tiny_v3.int8.onnx"]))).toBe("beside-model");
  });
  it("claims _seed<N>.json beside an ONNX above everything else", () => {
    expect(nameTier(modelSidecar, facts("model/tiny/fr_regressor_v2_ensemble_v1_seed3.json", ["fr_regressor_v2_ensemble_v1_seed3.onnx"]))).toBe("beside-model");
    expect(nameTier(modelSidecar, facts("model/tiny/fr_regressor_v2_ensemble_v1_seed3.json"))).toBeUndefined();
  });
  it("never claims verdicts (a fixed name wins over an ONNX beside it), the ensemble manifest or the registry by name", () => {
    for (const n of ["fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json", "x_ensemble_v1_HOLD.json", "PROMOTE.json", "HOLD.json"]) {
      expect(familyByFileName(facts(`model/tiny/${n}`, [n.replace(/\.json$/, ".onnx")]))?.name).toBe("verdict");
    }
    expect(nameTier(modelSidecar, facts("model/tiny/fr_regressor_v2_ensemble_v1.json", ["fr_regressor_v2_ensemble_v1.onnx"]))).toBeUndefined();
    expect(nameTier(modelSidecar, facts("model/tiny/registry.json", ["registry.onnx"]))).toBeUndefined();
  });
  it("recognises key sets", () => {
    expect(keyed(modelSidecar, { id: "transnet_v2", kind: "shot_detector", onnx: "transnet_v2.onnx" })).toBe(true);
    expect(keyed(modelSidecar, { kind: "fr", name: "n", notes: "", onnx_opset: 17, input_name: "a", output_name: "b" })).toBe(true);
    expect(keyed(modelSidecar, { id: "e", kind: "fr_ensemble", members: [] })).toBe(false);
    expect(keyed(modelSidecar, { loso: {}, shipped: false })).toBe(false);
  });
});

describe("model-sidecar variantOf", () => {
  const v = (doc: JsonObject) => modelSidecar.variantOf(doc, F);
  it("tells the variants apart by keys", () => {
    expect(v({ id: "fr_regressor_v1", kind: "fr", feature_order: [], training: {} })).toBe("fr-regressor-v1");
    expect(v({ id: "fr_regressor_v2", kind: "fr" })).toBe("fr-regressor-v2");
    expect(v({ id: "custom", kind: "fr", codec_block_layout: [], encoder_vocab_version: 3 })).toBe("fr-regressor-v3");
    expect(v({ id: "vmaf_tiny_v3_int8", kind: "fr", onnx: "vmaf_tiny_v3.int8.onnx" })).toBe("vmaf-tiny");
    expect(v({ id: "nr_metric_v1", kind: "nr", onnx: "nr_metric_v1.onnx", sha256: HEX })).toBe("tiny-c2-c3");
    expect(v({ id: "nr_metric_v1", kind: "nr", calibration_slope: 1 })).toBe("nr-calibrated");
    expect(v({ id: "fastdvdnet_pre", kind: "filter" })).toBe("fastdvdnet-pre");
    expect(v({ id: "transnet_v2", kind: "shot_detector" })).toBe("transnet-v2");
    expect(v({ id: "e_seed0", ensemble_id: "e", seed: 0, kind: "fr" })).toBe("ensemble-seed");
    expect(v({ id: "konvid_mos_head_v1", kind: "mos" })).toBe("mos-head");
    expect(v({ kind: "fr", name: "vmaf_tiny_smoke_v0", onnx_opset: 17 })).toBe("legacy");
    expect(v({ kind: "fr_ensemble" })).toBeUndefined();
  });
  it("falls back to the entrypoint", () => {
    expect(v({ id: "x", run_provenance: rp("export_vmaf_tiny_v4.py") })).toBe("vmaf-tiny");
  });
});

describe("model-sidecar consistency", () => {
  const c = (doc: JsonObject, variant?: string) => modelSidecar.consistency!(doc, variant, F);
  it("scaler vectors as long as the feature list", () => {
    const r = c(
      { id: "fr_regressor_v1", feature_order: CANON6, feature_mean: [1, 2, 3, 4, 5], feature_std: [1, 2, 3, 4, 5, 6], training: {} },
      "fr-regressor-v1",
    );
    expect(r.map((x) => x.pointer)).toEqual(["/feature_mean"]);
    expect(r[0].message).toMatch(/5 values.*6 features/);
    const t = c({ id: "vmaf_tiny_v2", features: CANON6, input_mean: [1, 2, 3, 4, 5, 6], input_std: [1] }, "vmaf-tiny");
    expect(t.map((x) => x.pointer)).toEqual(["/input_std"]);
  });
  it("quant_mode other than fp32 needs int8_sha256", () => {
    expect(c({ id: "a", kind: "nr", onnx: "a.onnx", quant_mode: "dynamic" }, "tiny-c2-c3").map((x) => x.pointer)).toEqual(["/quant_mode"]);
    expect(c({ id: "a", kind: "nr", onnx: "a.onnx", quant_mode: "fp32" }, "tiny-c2-c3")).toEqual([]);
    expect(c({ id: "a", kind: "nr", onnx: "a.onnx", quant_mode: "dynamic", int8_sha256: HEX }, "tiny-c2-c3")).toEqual([]);
  });
  it("codec_block_layout follows encoder_vocab", () => {
    expect(c({ id: "fr_regressor_v2", feature_order: CANON6, encoder_vocab: V2, codec_block_layout: layout(V2) }, "fr-regressor-v2")).toEqual([]);
    const bad = layout(V2).slice(0, 13);
    expect(c({ id: "fr_regressor_v2", encoder_vocab: V2, codec_block_layout: bad }, "fr-regressor-v2").map((x) => x.pointer)).toEqual(["/codec_block_layout"]);
  });
  it("ensemble seed id, args.seeds and outputs", () => {
    const doc: JsonObject = {
      id: "e_seed1",
      ensemble_id: "e",
      seed: 1,
      onnx: "e_seed1.onnx",
      loso_mean_plcc: NaN,
      gate: { mean_plcc: NaN },
      run_provenance: rp("export_ensemble_v2_seeds.py", { args: { seeds: "0,1" }, outputs: { registry: null, seed1_sidecar: "x", seed1_onnx: "y" } }),
    };
    expect(c(doc, "ensemble-seed")).toEqual([]);
    const bad = { ...doc, seed: 4 };
    expect(
      c(bad, "ensemble-seed")
        .map((x) => x.pointer)
        .sort(),
    ).toEqual(["/id", "/run_provenance/outputs", "/seed"]);
  });
  it("NR calibration gate facts", () => {
    const base: JsonObject = {
      id: "nr_metric_v1",
      onnx: "nr_metric_v1.onnx",
      calibration_quality_status: "accepted",
      calibration_quality_reasons: [],
      calibration_allow_weak: false,
      calibration_plcc: 0.93,
      calibration_min_plcc: 0.7,
      calibration_n_samples: 45,
      calibration_min_samples: 10,
    };
    expect(c(base, "nr-calibrated")).toEqual([]);
    expect(c({ ...base, calibration_plcc: NaN }, "nr-calibrated").map((x) => x.pointer)).toEqual(["/calibration_plcc"]);
    expect(c({ ...base, calibration_n_samples: 3 }, "nr-calibrated").map((x) => x.pointer)).toEqual(["/calibration_n_samples"]);
    expect(
      c({ ...base, calibration_quality_status: "weak", calibration_quality_reasons: ["PLCC is undefined"] }, "nr-calibrated").map((x) => x.pointer),
    ).toEqual(["/calibration_quality_status"]);
  });
  it("MOS head feature count, k_folds and shared_trainer", () => {
    const doc: JsonObject = {
      id: "m",
      kind: "mos",
      feature_schema: "konvid-v1",
      feature_order: new Array(11).fill("f"),
      folds: [{}, {}],
      training_recipe: { k_folds: 2 },
      run_provenance: rp("train_konvid_mos_head.py"),
    };
    expect(c(doc, "mos-head")).toEqual([]);
    expect(c({ ...doc, feature_order: ["a"] }, "mos-head").map((x) => x.pointer)).toEqual(["/feature_order"]);
    expect(c({ ...doc, run_provenance: rp("train_chug_hdr_mos_head.py") }, "mos-head").map((x) => x.pointer)).toEqual(["/run_provenance/entrypoint/path"]);
  });
});

describe("model-sidecar integrity digests", () => {
  it("sha256 vs onnx and int8_sha256 vs <basename>.int8.onnx, relative to the sidecar", () => {
    const claims = modelSidecar.integrityDigests!(
      { id: "vmaf_tiny_v4", onnx: "vmaf_tiny_v4.onnx", sha256: HEX, int8_sha256: HEX, input_mean: [], input_std: [] },
      "vmaf-tiny",
      F,
    );
    expect(claims).toEqual([
      { pointer: "/sha256", path: "vmaf_tiny_v4.onnx", relativeTo: "artifact", label: "sha256 of onnx", stakes: "integrity", onnxGraph: true },
      {
        pointer: "/int8_sha256",
        path: "vmaf_tiny_v4.int8.onnx",
        relativeTo: "artifact",
        label: "int8_sha256 of the int8 ONNX",
        stakes: "integrity",
        onnxGraph: true,
      },
    ]);
    expect(int8Name("a.b.onnx")).toBe("a.b.int8.onnx");
  });
  it("corpus pairs are relative to the root", () => {
    const v3 = modelSidecar.integrityDigests!(
      { id: "fr_regressor_v3", onnx: "f.onnx", sha256: HEX, corpus: "runs/c.jsonl", corpus_sha256: HEX },
      "fr-regressor-v3",
      F,
    );
    expect(v3[1]).toMatchObject({ pointer: "/corpus_sha256", path: "runs/c.jsonl", relativeTo: "root", stakes: "integrity" });
    const none = modelSidecar.integrityDigests!({ id: "fr_regressor_v3", onnx: "f.onnx", sha256: HEX, corpus: "x", corpus_sha256: null }, "fr-regressor-v3", F);
    expect(none).toHaveLength(1);
    const seed = modelSidecar.integrityDigests!(
      { id: "e_seed0", onnx: "e_seed0.onnx", sha256: HEX, corpus: { path: "runs/c.jsonl", sha256: HEX } },
      "ensemble-seed",
      F,
    );
    expect(seed[1]).toMatchObject({ pointer: "/corpus/sha256", relativeTo: "root" });
    const mos = modelSidecar.integrityDigests!(
      { id: "m", onnx: "m.onnx", sha256: HEX, display_profile: { source_path: "p.json", sha256: HEX } },
      "mos-head",
      F,
    );
    expect(mos[1]).toMatchObject({ pointer: "/display_profile/sha256", path: "p.json", relativeTo: "root" });
  });
  it("legacy and FastDVDnet/TransNet sidecars record no top-level digest", () => {
    expect(modelSidecar.integrityDigests!({ kind: "fr", name: "n", onnx_opset: 17 }, "legacy", F)).toEqual([]);
    expect(modelSidecar.integrityDigests!({ id: "transnet_v2", onnx: "transnet_v2.onnx" }, "transnet-v2", F)).toEqual([]);
  });
  it("timing: exporters' ONNX before, sidecar and registry after", () => {
    const tiny = modelSidecar.variants.find((x) => x.name === "tiny-c2-c3")!;
    expect(tiny.outputs).toMatchObject({ onnx: "integrity", sidecar: "stale", registry: "stale" });
    expect(modelSidecar.variants.find((x) => x.name === "nr-calibrated")!.outputs).toEqual({ markdown_report: "integrity", model_json: "stale" });
    expect(modelSidecar.carriesProvenance).toBe(true);
  });
});

describe("model-sidecar MOS gate", () => {
  const base = (): JsonObject => ({
    id: "m",
    kind: "mos",
    feature_order: ["a"],
    feature_mean: [0],
    feature_std: [1],
    training_recipe: { k_folds: 2 },
    folds: [
      { plcc: 0.8, srocc: 0.9, rmse: 0.2 },
      { plcc: NaN, srocc: NaN, rmse: 0.4 },
    ],
    gate: { passed: true, mean_plcc: 0.8, mean_srocc: 0.9, mean_rmse: 0.30000000000000004, plcc_spread: 0, gate: { kind: "synthetic", plcc_min: 0.75 } },
  });
  const c = (doc: JsonObject) => modelSidecar.consistency!(doc, "mos-head", F).map((x) => x.pointer);
  it("means leave NaN folds out; passed follows the thresholds", () => {
    expect(c(base())).toEqual([]);
    const d = base();
    (d.gate as JsonObject).gate = { kind: "real", plcc_min: 0.85, srocc_min: 0.82, rmse_max: 0.45, spread_max: 0.005 };
    expect(c(d)).toEqual(["/gate/passed"]);
    const n = base();
    (n.folds as JsonObject[])[0] = { plcc: NaN, srocc: NaN, rmse: 0.2 };
    Object.assign(n.gate as JsonObject, { mean_plcc: NaN, mean_srocc: NaN, plcc_spread: NaN, passed: false });
    expect(c(n)).toEqual([]);
  });
});
