/**
 * Conformance vectors (corpus-fixtures/conformance/*.json, JSON-Schema-Test-Suite format):
 * Ajv, configured exactly as the CLI, gives every vector its expected verdict, over the
 * source schemas (schema/v1/) and over the published bundles (generated/bundled/) alike.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ajvJudge, ajvVerdicts, bundledSchemas, sourceSchemas, VECTOR_DIR, vectorFiles, readVectors } from "./conformance-lib.js";

describe("conformance vectors", () => {
  it("are strict JSON in the JSON-Schema-Test-Suite shape", () => {
    const files = vectorFiles();
    expect(files).toContain("run-provenance.json");
    expect(files).toContain("run-manifest.json");
    for (const file of files) {
      const text = readFileSync(path.join(VECTOR_DIR, file), "utf8");
      // JSON.parse is strict: a bare NaN or Infinity token would throw here.
      expect(() => JSON.parse(text)).not.toThrow();
      const groups = readVectors(file);
      expect(Array.isArray(groups)).toBe(true);
      for (const g of groups) {
        expect(Object.keys(g).sort()).toEqual(["description", "schema", "tests"]);
        expect(Object.keys(g.schema as object)).toEqual(["$ref"]);
        expect((g.schema as { $ref: string }).$ref).toMatch(
          /^https:\/\/run-provenance\.dev\/schema\/v1\/[a-z0-9-]+\.schema\.json(#\/\$defs\/[A-Za-z0-9_-]+)?$/,
        );
        expect(g.tests.length).toBeGreaterThan(0);
        for (const t of g.tests) {
          expect(Object.keys(t).sort()).toEqual(["data", "description", "valid"]);
          expect(typeof t.valid).toBe("boolean");
        }
      }
    }
  });

  it("cover the block: every io value form and every descriptor rule, valid and invalid", () => {
    const groups = readVectors("run-provenance.json");
    const tests = groups.flatMap((g) => g.tests);
    expect(tests.filter((t) => t.valid).length).toBeGreaterThan(20);
    expect(tests.filter((t) => !t.valid).length).toBeGreaterThan(40);
    for (const form of [
      "file descriptor",
      "directory descriptor",
      "missing descriptor",
      "plain string",
      "integer",
      "true",
      "false",
      "null",
      "empty array",
      "array of mixed",
    ]) {
      for (const side of ["inputs", "outputs"])
        expect(
          tests.some((t) => t.description.startsWith(`${side}.x: ${form}`)),
          `${side} ${form}`,
        ).toBe(true);
    }
  });

  const judges = [
    ["source schemas (as the CLI)", () => ajvJudge(sourceSchemas())],
    ["published bundles", () => ajvJudge(bundledSchemas())],
  ] as const;
  for (const [label, make] of judges) {
    it(`Ajv over the ${label} gives every vector its expected verdict`, () => {
      const verdicts = ajvVerdicts(make());
      const wrong = verdicts.filter((v) => v.valid !== v.expected).map((v) => `${v.file}: ${v.group} / ${v.test}: expected ${v.expected}`);
      expect(wrong).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(100);
    });
  }
});

describe("conformance coverage", () => {
  it("every variant of every family has at least one valid vector", () => {
    const missing: string[] = [];
    for (const bundle of bundledSchemas() as { $id: string; anyOf?: { $ref?: string }[] }[]) {
      const family = bundle.$id.replace(/^.*\//, "").replace(/\.schema\.json$/, "");
      const groups = vectorFiles().includes(`${family}.json`) ? readVectors(`${family}.json`) : [];
      const covered = new Set(groups.filter((g) => g.tests.some((t) => t.valid)).map((g) => (g.schema as { $ref: string }).$ref));
      const defs = (bundle.anyOf ?? []).map((x) => x.$ref).filter((r): r is string => typeof r === "string" && r.startsWith("#/$defs/"));
      if (defs.length === 0) {
        if (!covered.has(bundle.$id)) missing.push(family);
        continue;
      }
      for (const r of defs) if (!covered.has(`${bundle.$id}${r}`)) missing.push(`${family} ${r.slice(8)}`);
    }
    expect(missing).toEqual([]);
  });
});
