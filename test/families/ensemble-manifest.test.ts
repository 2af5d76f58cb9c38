import { describe, expect, it } from "vitest";
import { familyByFileName } from "../../src/detect.js";
import { ensembleManifest } from "../../src/families/ensemble-manifest.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, nameTier, keyed } from "./fixtures.js";

const F = facts("model/tiny/fr_regressor_v2_ensemble_v1.json", true);
const A = "a".repeat(64);
const B = "b".repeat(64);

function doc(extra: JsonObject = {}): JsonObject {
  return {
    id: "e",
    kind: "fr_ensemble",
    ensemble_size: 2,
    members: [
      { id: "e_seed0", onnx: "e_seed0.onnx", seed: 3, sha256: A },
      { id: "e_seed1", onnx: "e_seed1.onnx", seed: 4, sha256: B },
    ],
    feature_order: ["a"],
    feature_mean: [0],
    feature_std: [1],
    codec_vocab: ["x264"],
    codec_block_dim: 1,
    codec_block_layout: ["encoder_onehot[x264]"],
    confidence: { method: "ensemble", conformal_q_residual: null, nominal_coverage: 0.95 },
    run_provenance: {
      args: { base_seed: 3, ensemble_size: 2, ensemble_id: "e" },
      outputs: {
        member_onnx: [
          { path: "m/e_seed0.onnx", exists: true, kind: "file", sha256: A },
          { path: "m/e_seed1.onnx", exists: true, kind: "file", sha256: B },
        ],
      },
    },
    ...extra,
  };
}

describe("ensemble-manifest", () => {
  it("detects *_ensemble_v*.json but not seeds or verdicts", () => {
    expect(nameTier(ensembleManifest, F)).toBeDefined();
    expect(nameTier(ensembleManifest, facts("model/tiny/fr_regressor_v2_ensemble_v1_seed0.json"))).toBeUndefined();
    // Verdict names are fixed names: they win over the ensemble convention.
    expect(familyByFileName(facts("model/tiny/fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json"))?.name).toBe("verdict");
    expect(familyByFileName(facts("runs/x_ensemble_v2_HOLD.json"))?.name).toBe("verdict");
    expect(keyed(ensembleManifest, { kind: "fr_ensemble" })).toBe(true);
    expect(keyed(ensembleManifest, { kind: "fr" })).toBe(false);
  });
  it("keeps the emitter's invariants", () => {
    expect(ensembleManifest.consistency!(doc(), undefined, F)).toEqual([]);
    expect(ensembleManifest.consistency!(doc({ ensemble_size: 3 }), undefined, F).map((r) => r.pointer)).toEqual(["/ensemble_size", "/ensemble_size"]);
    const d = doc();
    (d.members as JsonObject[])[1].seed = 9;
    (d.members as JsonObject[])[0].sha256 = B;
    expect(
      ensembleManifest.consistency!(d, undefined, F)
        .map((r) => r.pointer)
        .sort(),
    ).toEqual(["/members/0/sha256", "/members/1/seed"]);
    const conf = doc({ confidence: { method: "ensemble+conformal", conformal_q_residual: null, nominal_coverage: 0.95 } });
    expect(ensembleManifest.consistency!(conf, undefined, F).map((r) => r.pointer)).toEqual(["/confidence/method"]);
  });
  it("member digests are re-export stakes and the timing map says so", () => {
    const claims = ensembleManifest.integrityDigests!(doc(), undefined, F);
    expect(claims.map((c) => [c.pointer, c.path, c.relativeTo, c.stakes, c.onnxGraph])).toEqual([
      ["/members/0/sha256", "e_seed0.onnx", "artifact", "reexport", true],
      ["/members/1/sha256", "e_seed1.onnx", "artifact", "reexport", true],
    ]);
    expect(ensembleManifest.variants[0].outputs).toEqual({ manifest: "stale", member_onnx: "reexport", registry: "stale" });
  });
});
