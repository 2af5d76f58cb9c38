import { describe, expect, it } from "vitest";
import { trainingMetrics } from "../../src/families/training-metrics.js";
import { facts, nameTier, keyed } from "./fixtures.js";

const F = facts("runs/x.json");
const A = "a".repeat(64);

describe("training-metrics", () => {
  it("detects by name and by key set", () => {
    expect(nameTier(trainingMetrics, facts("runs/fr_regressor_v1_metrics.json"))).toBeDefined();
    expect(nameTier(trainingMetrics, facts("/tmp/fr_regressor_v2_smoke_metrics.json"))).toBeDefined();
    expect(keyed(trainingMetrics, { loso: {}, shipped: false })).toBe(true);
    expect(keyed(trainingMetrics, { best_val_iou: 1, history: [], onnx_sha256: A })).toBe(true);
    expect(keyed(trainingMetrics, { id: "vmaf_tiny_v2", kind: "fr", onnx: "v.onnx", input_mean: [], input_std: [], train_metrics: {} })).toBe(false);
  });
  it("variantOf", () => {
    expect(trainingMetrics.variantOf({ loso: {}, shipped: false }, F)).toBe("fr-regressor-v1-metrics");
    expect(trainingMetrics.variantOf({ feature_subset: "canonical6+codec" }, F)).toBe("fr-regressor-v2-metrics");
    expect(trainingMetrics.variantOf({ train_metrics: {} }, F)).toBe("vmaf-tiny-stats");
    expect(trainingMetrics.variantOf({ best_val_iou: 0.7 }, F)).toBe("saliency-student-metrics");
  });
  it("rules", () => {
    const c = (d: Record<string, unknown>, v: string) => trainingMetrics.consistency!(d as never, v, F).map((r) => r.pointer);
    expect(c({ loso: { per_fold: { a: {}, b: {} }, summary: { n_folds: 3 } }, shipped: false }, "fr-regressor-v1-metrics")).toEqual(["/loso/summary/n_folds"]);
    expect(
      c(
        { feature_subset: "canonical6", feature_cols: ["a"], loso: {}, shipped: true, run_provenance: { args: { no_export: true } } },
        "fr-regressor-v1-metrics",
      ).sort(),
    ).toEqual(["/feature_cols", "/shipped"]);
    expect(c({ smoke: true, epochs: 30 }, "fr-regressor-v2-metrics")).toEqual(["/epochs"]);
    expect(c({ features: ["a", "b"], input_mean: [1, 2], input_std: [1] }, "vmaf-tiny-stats")).toEqual(["/input_std"]);
    expect(
      c(
        { onnx_sha256: A, run_provenance: { outputs: { onnx: { path: "m.onnx", exists: true, kind: "file", sha256: "b".repeat(64) } } } },
        "saliency-student-metrics",
      ),
    ).toEqual(["/onnx_sha256"]);
  });
  it("saliency onnx_sha256 is checked against outputs.onnx.path from the root", () => {
    const d = { onnx_sha256: A, run_provenance: { outputs: { onnx: { path: "model/tiny/s.onnx", exists: true, kind: "file", sha256: A } } } };
    expect(trainingMetrics.integrityDigests!(d as never, "saliency-student-metrics", F)).toEqual([
      {
        pointer: "/onnx_sha256",
        path: "model/tiny/s.onnx",
        relativeTo: "root",
        label: "onnx_sha256 of run_provenance.outputs.onnx.path",
        stakes: "integrity",
        onnxGraph: true,
      },
    ]);
    expect(trainingMetrics.integrityDigests!({ onnx_sha256: A } as never, "saliency-student-metrics", F)).toEqual([]);
  });
});
