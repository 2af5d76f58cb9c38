/** Family `feature-table-manifest`: schema-string detection, version facts, output timing, rules. */
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
import { featureTableManifest } from "../../src/families/feature-table-manifest.js";

const FAM = "feature-table-manifest";
const REL = "runs/full_features_konvid.manifest.json";
const rules = (doc: JsonObject) => pointers(featureTableManifest, doc, REL);

describe("feature-table-manifest", () => {
  it.each(["valid-newer", "valid-older", "valid-no-folds-no-cache"])("%s is detected by its schema string and keeps every rule", (c) => {
    const doc = fixture(FAM, c, REL);
    const d = detect(doc, facts("anywhere.json"));
    expect([d?.family.name, d?.variant, d?.by]).toEqual([FAM, "konvid-full-features-manifest-v1", "schema-string"]);
    expect(rules(doc)).toEqual([]);
    const v = schemaValidator(FAM, "konvidFullFeaturesManifestV1");
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
  });

  it("parquets are written before the block, the manifest after", () => {
    expect(featureTableManifest.variants[0].outputs).toEqual({ parquet: "before", folded_parquet: "before", manifest: "after" });
  });

  it("cache and folds flags agree with args, outputs and inputs", () => {
    const d = fixture(FAM, "valid-newer", REL);
    (d.cache as JsonObject).enabled = false;
    expect(rules(d).sort()).toEqual(["/cache/directory", "/cache/enabled", "/run_provenance/inputs/cache_dir"]);
  });

  it("the feature list length is not fixed (21 or 26 by version)", () => {
    expect(fixture(FAM, "valid-older", REL).features).toHaveLength(21);
    expect(fixture(FAM, "valid-newer", REL).features).toHaveLength(26);
  });
});
