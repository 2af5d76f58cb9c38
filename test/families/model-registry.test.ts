import { describe, expect, it } from "vitest";
import { modelRegistry } from "../../src/families/model-registry.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, nameTier, keyed } from "./fixtures.js";

const F = facts("model/tiny/registry.json", true);
const A = "a".repeat(64);

describe("model-registry", () => {
  it("never carries the block", () => {
    expect(modelRegistry.carriesProvenance).toBe(false);
  });
  it("detects registry.json and its content", () => {
    expect(nameTier(modelRegistry, F)).toBeDefined();
    expect(keyed(modelRegistry, { $schema: "./registry.schema.json", models: [], schema_version: 1 })).toBe(true);
    expect(keyed(modelRegistry, { models: [{ id: "a", onnx: "a.onnx", sha256: A }], schema_version: 1 })).toBe(true);
    expect(keyed(modelRegistry, { models: [{ id: "a", status: "ok" }] })).toBe(false);
  });
  it("claims each row's sha256 and int8_sha256 relative to the registry folder", () => {
    const doc: JsonObject = {
      models: [
        { id: "a", onnx: "a.onnx", sha256: A },
        { id: "b", onnx: "sub/b.onnx", sha256: A, int8_sha256: A, quant_mode: "dynamic" },
      ],
    };
    expect(modelRegistry.integrityDigests!(doc, undefined, F).map((c) => [c.pointer, c.path, c.relativeTo, c.stakes, c.onnxGraph])).toEqual([
      ["/models/0/sha256", "a.onnx", "artifact", "integrity", true],
      ["/models/1/sha256", "sub/b.onnx", "artifact", "integrity", true],
      ["/models/1/int8_sha256", "sub/b.int8.onnx", "artifact", "integrity", true],
    ]);
  });
  it("rules: unique ids, int8 for quantised rows, shot_detector warning", () => {
    const doc: JsonObject = {
      models: [
        { id: "a", kind: "fr", onnx: "a.onnx", sha256: A },
        { id: "a", kind: "nr", onnx: "b.onnx", sha256: A, quant_mode: "qat" },
        { id: "t", kind: "shot_detector", onnx: "t.onnx", sha256: A },
      ],
    };
    const r = modelRegistry.consistency!(doc, undefined, F);
    expect(r.map((x) => [x.pointer, x.severity ?? "error"])).toEqual([
      ["/models/1/id", "error"],
      ["/models/1/quant_mode", "error"],
      ["/models/2/kind", "warning"],
    ]);
  });
});
