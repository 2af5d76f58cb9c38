/** Family `vmaf-train-report`: detection by entrypoint + argv[0] (or key set), rules per subcommand. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import type { FamilySpec, FileFacts } from "../../src/families/types.js";
import { isObject, type JsonObject } from "../../src/load/json-value.js";
import { parseJson } from "../../src/load/parse.js";
import { PROJECT } from "../helpers.js";

function facts(relPath: string): FileFacts {
  return { relPath, absPath: `/repo/${relPath}`, baseName: path.posix.basename(relPath), siblingExists: () => false };
}

/** A document of a golden case, read with the project's NaN-tolerant parser. */
function fixture(family: string, c: string, rel: string): JsonObject {
  const r = parseJson(readFileSync(path.join(PROJECT, "corpus-fixtures", family, c, "repo", rel), "utf8"));
  if (!("value" in r) || !isObject(r.value)) throw new Error(`cannot read ${family}/${c}/${rel}`);
  return r.value;
}

function schemaValidator(family: string, def: string) {
  const ajv = new Ajv2020({ strict: true, strictNumbers: false, allowUnionTypes: true, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const f of ["run-provenance", "common", family]) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(PROJECT, "schema/v1", `${f}.schema.json`), "utf8")));
  }
  return ajv.getSchema(`https://run-provenance.dev/schema/v1/${family}.schema.json#/$defs/${def}`)!;
}

const clone = <T>(v: T): T => structuredClone(v);
const pointers = (spec: FamilySpec, doc: JsonObject, rel: string): string[] =>
  spec.consistency!(doc, spec.variantOf(doc, facts(rel)), facts(rel)).map((v) => v.pointer);
import { vmafTrainReport } from "../../src/families/vmaf-train-report.js";

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
    const doc: JsonObject = { x: 1, run_provenance: { schema: "ai-run-provenance-v1", entrypoint: { path: "tools/cli.py", exists: true, kind: "missing" }, argv: ["profile"], args: {} } };
    expect(vmafTrainReport.matchContent!(doc, facts("x.json"))).toBe(0);
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
    ((d.frames as JsonObject[])[0]).std_ratio = Number.NaN;
    expect(rules(d)).toEqual([]);
  });
});
