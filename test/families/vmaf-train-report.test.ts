/** Family `vmaf-train-report`: detection by entrypoint + argv[0] (or key set), rules per subcommand. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { vmafTrainReport } from "../../src/families/vmaf-train-report.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixture, pointers, keyed } from "./fixtures.js";

const FAM = "vmaf-train-report";
const rules = (doc: JsonObject) => pointers(vmafTrainReport, doc, "runs/r.json");
const CASES: [string, string, string][] = [
  ["valid-validate-norm", "runs/validate_norm.json", "validate-norm"],
  ["valid-profile", "runs/profile.json", "profile"],
  ["valid-audit-learned-filter", "runs/lf_audit.json", "audit-learned-filter"],
  ["valid-quantize-int8", "runs/q8.json", "quantize-int8"],
  ["valid-cross-backend", "runs/xb.json", "cross-backend"],
  ["valid-cross-backend-cpu-only", "runs/xb.json", "cross-backend"],
  ["valid-cross-backend-nan", "runs/xb.json", "cross-backend"],
  ["valid-bisect", "runs/bisect.json", "bisect-model-quality"],
  ["valid-bisect-first-fails", "runs/bisect.json", "bisect-model-quality"],
  ["valid-bisect-nan-fails", "runs/bisect.json", "bisect-model-quality"],
];

describe("vmaf-train-report detection", () => {
  it.each(CASES)("%s is %s", (c, rel, variant) => {
    const doc = fixture(FAM, c, rel);
    const d = detect(doc, facts(rel));
    expect([d?.family.name, d?.variant]).toEqual([FAM, variant]);
    expect(rules(doc)).toEqual([]);
  });

  it("the subcommand in argv[0] decides; without argv the key set decides", () => {
    const doc = fixture(FAM, "valid-detect-by-keys", "runs/xb.json");
    expect(vmafTrainReport.variantOf(doc, facts("runs/xb.json"))).toBe("cross-backend");
    const vn = fixture(FAM, "valid-validate-norm", "runs/validate_norm.json");
    (vn.run_provenance as JsonObject).argv = [];
    expect(vmafTrainReport.variantOf(vn, facts("runs/validate_norm.json"))).toBe("validate-norm");
  });

  it("does not claim an unrelated cli.py entrypoint", () => {
    const doc: JsonObject = {
      x: 1,
      run_provenance: { schema: "ai-run-provenance-v1", entrypoint: { path: "tools/cli.py", exists: true, kind: "missing" }, argv: ["profile"], args: {} },
    };
    expect(keyed(vmafTrainReport, doc)).toBe(false);
  });
});

describe("vmaf-train-report rules", () => {
  it("cross-backend ok is true with no comparisons and false for a NaN error", () => {
    const d = fixture(FAM, "valid-cross-backend-nan", "runs/xb.json");
    expect(d.ok).toBe(false);
    d.ok = true;
    expect(rules(d)).toEqual(["/ok"]);
  });

  it("bisect: passed follows the gate (NaN fails), ends are adjacent", () => {
    const d = fixture(FAM, "valid-bisect", "runs/bisect.json");
    d.first_bad_index = 3;
    d.first_bad_model = "ckpt/epoch_30.onnx";
    expect(rules(d)).toContain("/first_bad_index");
  });

  it("audit-learned-filter maxima are skipped when a frame holds NaN (Python max is order-dependent)", () => {
    const d = fixture(FAM, "valid-audit-learned-filter", "runs/lf_audit.json");
    (d.frames as JsonObject[])[0].std_ratio = Number.NaN;
    expect(rules(d)).toEqual([]);
  });
});
