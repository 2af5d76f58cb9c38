/** Family `quant-report`: detection, variants, output timing, cross-field rules (NaN-safe), schema. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { quantReport } from "../../src/families/quant-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { clone, facts, fixture, pointers, schemaValidator, nameTier, keyed } from "./fixtures.js";

const FAM = "quant-report";
const rules = (doc: JsonObject, rel = "runs/r.json") => pointers(quantReport, doc, rel);

describe("quant-report detection", () => {
  const cases: [string, string, string][] = [
    ["valid-ptq-dynamic", "runs/ptq/nr_metric_v1.dynamic.json", "ptq-dynamic-report-v1"],
    ["valid-ptq-static-rerun", "runs/ptq/nr_metric_v1.static.json", "ptq-static-report-v1"],
    ["valid-qat-smoke", "runs/qat/learned_filter_v1.json", "qat-train-report-v1"],
    ["valid-gate-registry", "runs/quant/gate.json", "quant-drop-gate"],
    ["valid-gate-pair-mode", "runs/quant/gate.json", "quant-drop-gate"],
    ["valid-per-ep", "runs/quant-eps-2026-04-28/results.json", "quant-drop-per-ep"],
  ];
  it.each(cases)("%s is %s", (c, rel, variant) => {
    const doc = fixture(FAM, c, rel);
    const d = detect(doc, facts(rel));
    expect(d?.family.name).toBe(FAM);
    expect(d?.variant).toBe(variant);
    expect(quantReport.consistency!(doc, variant, facts(rel))).toEqual([]);
  });

  it("PTQ/QAT are told by their top-level schema string (before file names)", () => {
    const doc = fixture(FAM, "valid-ptq-dynamic", "runs/ptq/nr_metric_v1.dynamic.json");
    expect(detect(doc, facts("anything/results.json"))?.by).toBe("schema-string");
  });

  it("the gate is told by content, not confused with quant parity (thresholds, features_path)", () => {
    const gate = fixture(FAM, "valid-gate-registry", "runs/quant/gate.json");
    expect(detect(gate, facts("out/x.json"))?.family.name).toBe(FAM);
    const parity: JsonObject = { gate_pass: true, models: [{ model_id: "x" }], thresholds: {}, features_path: "/f" };
    expect(keyed(quantReport, parity)).toBe(false);
  });

  it("per-EP results.json inside quant-eps-<date> matches by name; other results.json do not", () => {
    expect(nameTier(quantReport, facts("runs/quant-eps-2026-04-28/results.json"))).toBeDefined();
    expect(nameTier(quantReport, facts("runs/other/results.json"))).toBeUndefined();
  });

  it("declares the output timing of the facts and no digests outside the block", () => {
    const v = Object.fromEntries(quantReport.variants.map((x) => [x.name, x.outputs]));
    expect(v["ptq-dynamic-report-v1"]).toEqual({ model: "integrity", report: "stale" });
    expect(v["qat-train-report-v1"]).toEqual({ fp32_model: "integrity", int8_model: "integrity", report: "stale" });
    expect(v["quant-drop-per-ep"]).toEqual({ json_report: "stale", markdown_report: "stale" });
    expect(quantReport.integrityDigests).toBeUndefined();
  });
});

describe("quant gate rules", () => {
  const base = fixture(FAM, "valid-gate-registry", "runs/quant/gate.json");

  it("NaN PLCC/drop with ok false is consistent (no false alarm)", () => {
    const m = (base.models as JsonObject[])[2];
    expect(Number.isNaN(m.plcc as number)).toBe(true);
    expect(rules(base)).toEqual([]);
  });

  it("gate_pass is every model ok", () => {
    const d = clone(base);
    d.gate_pass = true;
    expect(rules(d)).toEqual(["/gate_pass"]);
  });

  it("a NaN drop cannot be ok", () => {
    const d = clone(base);
    Object.assign((d.models as JsonObject[])[2], { ok: true, status: "pass" });
    expect(rules(d)).toEqual(["/models/2/ok"]);
  });

  it("drop is 1 - plcc and ok follows drop <= budget", () => {
    const d = clone(base);
    (d.models as JsonObject[])[1].drop = 0.5;
    expect(rules(d).sort()).toEqual(["/models/1/drop", "/models/1/ok"]);
  });

  it("registry int8_path is the <stem>.int8.onnx sibling", () => {
    const d = clone(base);
    (d.models as JsonObject[])[1].int8_path = "/x/other.int8.onnx";
    expect(rules(d)).toEqual(["/models/1/int8_path"]);
  });

  it("an empty registry passes (all([]) is true)", () => {
    const d = clone(base);
    d.models = [];
    d.gate_pass = true;
    expect(rules(d)).toEqual([]);
  });
});

describe("per-EP rules", () => {
  const rel = "runs/quant-eps-2026-04-28/results.json";
  const base = fixture(FAM, "valid-per-ep", rel);

  it("NaN PLCC and Infinity worst_abs with pass false raise nothing", () => {
    expect(rules(base, rel)).toEqual([]);
  });

  it("per_ep keys follow eps; pass follows drop <= budget", () => {
    const d = clone(base);
    delete ((d.models as JsonObject[])[0].per_ep as JsonObject).cpu;
    expect(rules(d, rel)).toEqual(["/models/0/per_ep"]);
    const e = clone(base);
    Object.assign(((e.models as JsonObject[])[0].per_ep as JsonObject).openvino as JsonObject, { pass: true });
    expect(rules(e, rel)).toEqual(["/models/0/per_ep/openvino/pass"]);
  });

  it("duplicate EPs in eps collapse to one per_ep key", () => {
    const d = clone(base);
    d.eps = ["cpu", "cuda", "openvino", "cpu"];
    ((d.run_provenance as JsonObject).args as JsonObject).eps = d.eps;
    expect(rules(d, rel)).toEqual([]);
  });
});

describe("PTQ and QAT rules", () => {
  it("size_ratio is output/input; calibration_inputs are sorted", () => {
    const d = fixture(FAM, "valid-ptq-static-rerun", "runs/ptq/nr_metric_v1.static.json");
    expect(rules(d)).toEqual([]);
    d.size_ratio = 1.5;
    d.calibration_inputs = ["b", "a"];
    expect(rules(d).sort()).toEqual(["/calibration_inputs", "/size_ratio"]);
  });

  it("QAT export paths name the output descriptors", () => {
    const d = fixture(FAM, "valid-qat-smoke", "runs/qat/learned_filter_v1.json");
    d.int8_onnx = "/elsewhere/model/tiny/x.int8.onnx";
    expect(rules(d).sort()).toEqual(["/fp32_onnx", "/int8_onnx"]);
  });
});

describe("quant-report schema", () => {
  it("compiles and accepts every valid fixture variant", () => {
    const gate = schemaValidator(FAM, "quantDropGate");
    expect(gate(fixture(FAM, "valid-gate-registry", "runs/quant/gate.json")), JSON.stringify(gate.errors)).toBe(true);
    const ep = schemaValidator(FAM, "quantDropPerEp");
    expect(ep(fixture(FAM, "valid-per-ep", "runs/quant-eps-2026-04-28/results.json")), JSON.stringify(ep.errors)).toBe(true);
  });

  it("rejects quant_mode values outside the vocabulary and keys of another result shape", () => {
    const gate = schemaValidator(FAM, "quantDropGate");
    const d = fixture(FAM, "valid-gate-registry", "runs/quant/gate.json");
    (d.models as JsonObject[])[1].quant_mode = "int4";
    expect(gate(d)).toBe(false);
    const e = fixture(FAM, "valid-gate-registry", "runs/quant/gate.json");
    (e.models as JsonObject[])[3].plcc = 0.5;
    expect(gate(e)).toBe(false);
  });
});
