/** Family `feature-table-manifest`: schema-string detection, version facts, output timing, rules. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { featureTableManifest } from "../../src/families/feature-table-manifest.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixture, pointers, schemaValidator } from "./fixtures.js";

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
    expect(featureTableManifest.variants[0].outputs).toEqual({ parquet: "integrity", folded_parquet: "integrity", manifest: "stale" });
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
