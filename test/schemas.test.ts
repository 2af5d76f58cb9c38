/**
 * Lint of the schemas themselves (SchemaStore's practice): each is a valid draft 2020-12
 * schema, compiles under Ajv strict mode, gives every property a description, uses only
 * regexes that ECMAScript and Python read alike, and never asserts `format`.
 */
import { describe, expect, it } from "vitest";
import { createAjv } from "../src/validate/ajv.js";
import { readSchemaFiles, SCHEMA_BASE } from "../src/validate/schemas.js";

const files = readSchemaFiles("v1");

type Node = Record<string, unknown>;
function* subschemas(node: unknown, path: string): Generator<{ node: Node; path: string }> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* subschemas(node[i], `${path}/${i}`);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as Node;
  yield { node: n, path };
  for (const [k, v] of Object.entries(n)) {
    if (k === "const" || k === "enum" || k === "examples" || k === "default") continue;
    yield* subschemas(v, `${path}/${k}`);
  }
}

describe("schemas", () => {
  it("are all there", () => {
    expect(files.size).toBeGreaterThanOrEqual(20);
  });

  it.each([...files.keys()])("%s is a valid draft 2020-12 schema that compiles in strict mode", (name) => {
    const ajv = createAjv({ validateSchema: true });
    for (const s of files.values()) ajv.addSchema(s);
    const schema = files.get(name)!;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(`${SCHEMA_BASE}v1/${name}`);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.getSchema(schema.$id as string)).not.toThrow();
    for (const def of Object.keys((schema.$defs as Node) ?? {})) {
      expect(() => ajv.getSchema(`${schema.$id}#/$defs/${def}`), def).not.toThrow();
    }
  });

  it.each([...files.keys()])("%s describes every property", (name) => {
    const missing: string[] = [];
    for (const { node, path } of subschemas(files.get(name), "#")) {
      const props = node.properties as Record<string, unknown> | undefined;
      if (!props || typeof props !== "object") continue;
      for (const [key, sub] of Object.entries(props)) {
        if (typeof sub === "boolean") continue; // `false`: the property is forbidden, nothing to describe
        const s = sub as Node;
        // A property restated inside if/then/else only narrows one declared elsewhere.
        if (/\/(if|then|else|not)(\/|$)/.test(path)) continue;
        if (typeof s.description !== "string" || !s.description.trim()) missing.push(`${path}/properties/${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each([...files.keys()])("%s uses only portable regexes and no format assertions", (name) => {
    for (const { node, path } of subschemas(files.get(name), "#")) {
      if (typeof node.pattern === "string") {
        // Lookbehind, named groups, Unicode property escapes and \d/\w (Unicode-aware in Python) differ.
        expect(node.pattern, path).not.toMatch(/\(\?<[=!]|\(\?<[A-Za-z]|\\[pPdDwWsS]|\(\?P/);
        expect(() => new RegExp(node.pattern as string, "u"), path).not.toThrow();
      }
    }
  });
});
