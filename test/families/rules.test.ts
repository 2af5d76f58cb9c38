/** The declared rule vocabulary (src/families/rules/): each rule's check and its message. */
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/load/json-value.js";
import { codecLayout, int8WithQuantMode } from "../../src/families/model.js";
import {
  collect,
  copiedFromArgs,
  copyOf,
  eachCopiedFromArgs,
  equalLengths,
  keysAreSeeds,
  sameDigest,
  when,
  type Rule,
} from "../../src/families/rules/index.js";
import { facts } from "./fixtures.js";

const run = (rule: Rule, doc: JsonObject) => rule(doc, { file: facts("x.json"), variant: undefined });
const withArgs = (args: JsonObject, extra: JsonObject = {}): JsonObject => ({ ...extra, run_provenance: { args } });
const A = "a".repeat(64);
const B = "b".repeat(64);

describe("copiedFromArgs", () => {
  it("passes equal copies, NaN included, and anything absent on either side", () => {
    expect(run(copiedFromArgs("/epochs"), withArgs({ epochs: 3 }, { epochs: 3 }))).toEqual([]);
    expect(run(copiedFromArgs("/lr"), withArgs({ lr: NaN }, { lr: NaN }))).toEqual([]);
    expect(run(copiedFromArgs("/seeds"), withArgs({ seeds: [0, 1] }, { seeds: [0, 1] }))).toEqual([]);
    expect(run(copiedFromArgs("/epochs"), withArgs({}, { epochs: 3 }))).toEqual([]);
    expect(run(copiedFromArgs("/epochs"), withArgs({ epochs: 3 }))).toEqual([]);
    expect(run(copiedFromArgs("/epochs"), { epochs: 3 })).toEqual([]);
  });
  it("reports a differing copy at the copy, in either message form", () => {
    expect(run(copiedFromArgs("/epochs"), withArgs({ epochs: 4 }, { epochs: 3 }))).toEqual([
      { pointer: "/epochs", message: "epochs 3 differs from run_provenance.args.epochs 4" },
    ]);
    expect(run(copiedFromArgs("/id", { arg: "model_id", say: "is" }), withArgs({ model_id: "b" }, { id: "a" }))).toEqual([
      { pointer: "/id", message: 'id is "a" but run_provenance.args.model_id is "b"' },
    ]);
    expect(run(copiedFromArgs("/training_recipe/lr", { why: "copied" }), withArgs({ lr: 1 }, { training_recipe: { lr: 2 } }))[0].message).toBe(
      "training_recipe.lr 2 differs from run_provenance.args.lr 1 (copied)",
    );
    expect(run(copiedFromArgs("/input", { type: "string", quote: false }), withArgs({ input: "b.csv" }, { input: "a.csv" }))[0].message).toBe(
      "input a.csv differs from run_provenance.args.input b.csv",
    );
  });
  it("compares only values of the given type, and leaves an unset (null) flag alone when asked", () => {
    expect(run(copiedFromArgs("/seed", { type: "number" }), withArgs({ seed: "1" }, { seed: 2 }))).toEqual([]);
    expect(run(copiedFromArgs("/crf", { nullIsUnset: true }), withArgs({ crf: null }, { crf: 23 }))).toEqual([]);
    expect(run(copiedFromArgs("/crf"), withArgs({ crf: null }, { crf: 23 }))).toHaveLength(1);
  });
  it("copyOf compares with any other value of the document", () => {
    expect(run(copyOf("/loso_mean_plcc", "/training/loso_mean_plcc"), { loso_mean_plcc: 0.9, training: { loso_mean_plcc: 0.8 } })).toEqual([
      { pointer: "/loso_mean_plcc", message: "loso_mean_plcc 0.9 differs from training.loso_mean_plcc 0.8" },
    ]);
  });
  it("eachCopiedFromArgs checks every key of a map that args also has", () => {
    const doc = withArgs({ a: 1, b: "x" }, { config: { a: 1, b: "y", c: 5 } });
    expect(run(eachCopiedFromArgs("/config"), doc)).toEqual([{ pointer: "/config/b", message: 'config.b "y" differs from run_provenance.args.b "x"' }]);
  });
});

describe("equalLengths", () => {
  it("reports each vector of another length than the list", () => {
    const rule = equalLengths("/feature_order", ["/feature_mean", "/feature_std"]);
    expect(run(rule, { feature_order: ["a", "b"], feature_mean: [1, 2], feature_std: [1] })).toEqual([
      { pointer: "/feature_std", message: "feature_std has 1 values but feature_order lists 2 features" },
    ]);
    expect(run(rule, { feature_mean: [1] })).toEqual([]);
  });
});

describe("keysAreSeeds", () => {
  it("reports keys that are no seed at the key, and seeds without a key at the seed", () => {
    expect(run(keysAreSeeds("/gate/per_seed_plccs", "/seeds"), { seeds: [0, 1], gate: { per_seed_plccs: { "0": 1, "7": 1 } } })).toEqual([
      { pointer: "/gate/per_seed_plccs/7", message: 'gate.per_seed_plccs has key "7", which is not one of seeds [0,1]' },
      { pointer: "/seeds/1", message: 'seed 1 has no gate.per_seed_plccs entry "1"' },
    ]);
  });
});

describe("sameDigest", () => {
  const desc = (sha: string) => ({ path: "m.onnx", exists: true, kind: "file", sha256: sha });
  it("compares a digest outside the block with the descriptor's, when that is a file", () => {
    const rule = sameDigest("/sha256", "outputs", "onnx", "hashed once");
    expect(run(rule, { sha256: A, run_provenance: { outputs: { onnx: desc(A) } } })).toEqual([]);
    expect(run(rule, { sha256: A, run_provenance: { outputs: { onnx: desc(B) } } })).toEqual([
      { pointer: "/sha256", message: "sha256 (aaaaaaaaaaaa...) differs from run_provenance.outputs.onnx.sha256 (bbbbbbbbbbbb...); hashed once" },
    ]);
    expect(run(rule, { sha256: A, run_provenance: { outputs: { onnx: { path: "m.onnx", exists: false, kind: "missing" } } } })).toEqual([]);
  });
});

describe("combinators and the model rules", () => {
  it("when applies its rules only where the test holds; collect adapts (doc, out) code", () => {
    const found: Rule = collect((_doc, out) => out.push({ pointer: "", message: "x" }));
    expect(
      run(
        when(() => false, found),
        {},
      ),
    ).toEqual([]);
    expect(
      run(
        when(() => true, found),
        {},
      ),
    ).toHaveLength(1);
  });
  it("a quant_mode other than fp32 needs int8_sha256; the codec layout follows the vocabulary", () => {
    expect(run(int8WithQuantMode, { onnx: "m.onnx", quant_mode: "dynamic" })[0]).toMatchObject({ pointer: "/quant_mode" });
    expect(run(int8WithQuantMode, { onnx: "m.onnx", quant_mode: "fp32" })).toEqual([]);
    const layout = codecLayout("encoder_vocab", ["crf_norm"]);
    expect(run(layout, { encoder_vocab: ["x264"], codec_block_layout: ["encoder_onehot[x264]", "crf_norm"] })).toEqual([]);
    expect(run(layout, { encoder_vocab: ["x264"], codec_block_layout: ["encoder_onehot[x265]", "crf_norm"] })[0].pointer).toBe("/codec_block_layout/0");
  });
});
