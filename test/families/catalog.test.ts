/**
 * A family is its schema, one module and its fixtures: the family list is the list of schema
 * files, every variant of every schema is one of the module's variants (with the schema's name,
 * `$defs` key and description), and a module cannot declare a variant its schema lacks.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../src/families/catalog.generated.js";
import { defineFamily } from "../../src/families/define.js";
import { FAMILIES } from "../../src/families/index.js";
import { PROJECT } from "../helpers.js";

/** Schema files that are definitions only, no family. */
const DEFINITIONS_ONLY = ["common.schema.json"];

describe("the family catalog", () => {
  it("lists one family per schema file, and FAMILIES holds exactly those", () => {
    const files = readdirSync(path.join(PROJECT, "schema/v1"))
      .filter((n) => n.endsWith(".schema.json") && !DEFINITIONS_ONLY.includes(n))
      .sort();
    expect(
      Object.values(CATALOG)
        .map((c) => c.schemaFile)
        .sort(),
    ).toEqual(files);
    expect(FAMILIES.map((f) => f.schemaFile).sort()).toEqual(files);
    expect(FAMILIES.map((f) => f.name).sort()).toEqual(Object.keys(CATALOG).sort());
    for (const f of FAMILIES) expect(f.schemaFile).toBe(`${f.name}.schema.json`);
  });

  it("gives every module the schema's variants, in schema order, with the schema's words", () => {
    for (const f of FAMILIES) {
      const c = CATALOG[f.name];
      expect(f.description, f.name).toBe(c.description);
      expect(f.carriesProvenance, f.name).toBe(c.carriesProvenance);
      expect(
        f.variants.map((v) => v.def),
        f.name,
      ).toEqual(c.variants.map((v) => v.def));
      f.variants.forEach((v, i) => {
        const cv = c.variants[i];
        if (f.name !== "run-manifest") expect(v.name).toBe(cv.name);
        expect(v.description, `${f.name}/${v.name}`).toBe(cv.description);
        expect(v.schemaStrings, `${f.name}/${v.name}`).toEqual(cv.schemaStrings);
        expect(v.entrypoints, `${f.name}/${v.name}`).toEqual(cv.entrypoints);
        expect(v.description.length, `${f.name}/${v.name} has a description in its schema`).toBeGreaterThan(0);
      });
    }
    // The one variant whose pinned name is not in its schema: the generic envelope.
    expect(FAMILIES.find((f) => f.name === "run-manifest")!.variants.map((v) => v.name)).toEqual(["envelope"]);
  });

  it("names every variant once, and every schema string once across families", () => {
    for (const f of FAMILIES) expect(new Set(f.variants.map((v) => v.name)).size, f.name).toBe(f.variants.length);
    const strings = FAMILIES.flatMap((f) => f.variants.flatMap((v) => v.schemaStrings ?? []));
    expect(new Set(strings).size).toBe(strings.length);
  });

  it("refuses a module that names a variant its schema does not have, or a family without a schema", () => {
    expect(() => defineFamily({ name: "verdict", filePatterns: [], variants: { MAYBE: { outputs: { verdict: "stale" } } } })).toThrow(
      /MAYBE is not in schema\/v1\/verdict\.schema\.json/,
    );
    expect(() => defineFamily({ name: "no-such-family", filePatterns: [] })).toThrow(/no schema\/v1\/no-such-family\.schema\.json/);
    expect(() => defineFamily({ name: "verdict", filePatterns: [], variantName: "x" })).toThrow(/only for a schema without variants/);
  });
});
