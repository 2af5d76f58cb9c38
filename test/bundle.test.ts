/** The bundler (src/schema/bundle.ts): every $ref becomes a local pointer; data is never rewritten. */
import { describe, expect, it } from "vitest";
import { bundleSchema, familyFiles, type SchemaObject, type SchemaSet } from "../src/schema/bundle.js";
import { ajvJudge } from "./conformance-lib.js";

const BASE = "https://example.test/schema/v1/";
function set(files: Record<string, SchemaObject>): SchemaSet {
  const byId = new Map<string, SchemaObject>();
  const idByFile = new Map<string, string>();
  for (const [file, s] of Object.entries(files)) {
    const id = `${BASE}${file}`;
    byId.set(id, { $schema: "https://json-schema.org/draft/2020-12/schema", $id: id, ...s });
    idByFile.set(file, id);
  }
  return { dir: "/x/v1", byId, idByFile };
}

const block = {
  type: "object",
  properties: { d: { $ref: "#/$defs/digest" } },
  $defs: { digest: { type: "string", pattern: "^[0-9a-f]{4}$", maxLength: 4 } },
};
const common = { $defs: { pair: { type: "array", items: { $ref: "block.schema.json#/$defs/digest" } } } };
const family = {
  type: "object",
  properties: {
    block: { $ref: "block.schema.json" },
    pair: { $ref: "common.schema.json#/$defs/pair" },
    own: { $ref: "#/$defs/own" },
    data: { const: { $ref: "not-a-reference.json" } },
  },
  $defs: { own: { enum: ["x"] } },
};

describe("bundleSchema", () => {
  const s = set({ "block.schema.json": block, "common.schema.json": common, "family.schema.json": family });
  const b = bundleSchema(s, `${BASE}family.schema.json`);

  it("embeds each referenced resource once under $defs, without $id/$schema, and rewrites every $ref locally", () => {
    expect(b.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(b.$id).toBe(`${BASE}family.schema.json`);
    const props = b.properties as Record<string, { $ref?: string; const?: unknown }>;
    expect(props.block.$ref).toBe("#/$defs/block.schema.json");
    expect(props.pair.$ref).toBe("#/$defs/common.schema.json/$defs/pair");
    expect(props.own.$ref).toBe("#/$defs/own");
    expect(props.data.const).toEqual({ $ref: "not-a-reference.json" });
    const defs = b.$defs as Record<string, SchemaObject>;
    expect(Object.keys(defs)).toEqual(["own", "block.schema.json", "common.schema.json"]);
    expect(defs["block.schema.json"].$id).toBeUndefined();
    expect(defs["block.schema.json"].$schema).toBeUndefined();
    expect(JSON.stringify(defs["common.schema.json"])).toContain('"#/$defs/block.schema.json/$defs/digest"');
    expect(JSON.stringify(defs["block.schema.json"])).toContain('"#/$defs/block.schema.json/$defs/digest"');
  });

  it("validates exactly like the sources", () => {
    const fromSources = ajvJudge([...s.byId.values()]);
    const fromBundle = ajvJudge([b]);
    const docs = [{ block: { d: "abcd" }, pair: ["abcd"], own: "x" }, { block: { d: "ABCD" } }, { pair: ["abc"] }, { own: "y" }, { data: 1 }];
    for (const d of docs) expect(fromBundle({ $ref: b.$id }, d)).toBe(fromSources({ $ref: b.$id }, d));
  });

  it("is deterministic", () => {
    expect(JSON.stringify(bundleSchema(s, `${BASE}family.schema.json`))).toBe(JSON.stringify(b));
  });

  it("refuses what cannot be bundled portably", () => {
    expect(() => bundleSchema(set({ "a.schema.json": { $ref: "b.schema.json" } }), `${BASE}a.schema.json`)).toThrow(/unknown resource/);
    expect(() => bundleSchema(set({ "a.schema.json": { $ref: "#anchor" } }), `${BASE}a.schema.json`)).toThrow(/anchor/);
    expect(() => bundleSchema(set({ "a.schema.json": { $dynamicRef: "#x" } }), `${BASE}a.schema.json`)).toThrow(/dynamicRef/);
    expect(() => bundleSchema(set({ "a.schema.json": { properties: { x: { $id: "y" } } } }), `${BASE}a.schema.json`)).toThrow(/nested \$id/);
    expect(() =>
      bundleSchema(set({ "a.schema.json": { $ref: "b.schema.json", $defs: { "b.schema.json": {} } }, "b.schema.json": {} }), `${BASE}a.schema.json`),
    ).toThrow(/collides/);
  });

  it("embeds a resource referred to only through its $defs as those definitions and what they refer to", () => {
    // `lender` is a family of its own; `borrower` uses one of its definitions, which uses another.
    const lender = {
      anyOf: [{ $ref: "#/$defs/lent" }, { $ref: "#/$defs/kept" }],
      $defs: {
        kept: { type: "number" },
        lent: { type: "object", properties: { x: { $ref: "#/$defs/inner" }, p: { $ref: "common.schema.json#/$defs/pair" } } },
        inner: { type: "string", maxLength: 2 },
      },
    };
    const borrowing = set({
      "block.schema.json": block,
      "common.schema.json": common,
      "lender.schema.json": lender,
      "borrower.schema.json": { $ref: "lender.schema.json#/$defs/lent" },
    });
    const bb = bundleSchema(borrowing, `${BASE}borrower.schema.json`);
    const defs = bb.$defs as Record<string, SchemaObject>;
    expect(Object.keys(defs)).toEqual(["block.schema.json", "common.schema.json", "lender.schema.json"]);
    expect(defs["lender.schema.json"]).toEqual({ $defs: { lent: expect.any(Object), inner: expect.any(Object) } }); // no root, no `kept`
    expect(defs["common.schema.json"]).toEqual({ $defs: { pair: expect.any(Object) } });
    expect(defs["block.schema.json"]).toEqual({ $defs: { digest: expect.any(Object) } });
    const fromSources = ajvJudge([...borrowing.byId.values()]);
    const fromBundle = ajvJudge([bb]);
    for (const d of [{ x: "ab" }, { x: "abc" }, { p: ["abcd"] }, { p: ["x"] }, 1])
      expect(fromBundle({ $ref: bb.$id }, d)).toBe(fromSources({ $ref: bb.$id }, d));
    // Referred to at its root too: embedded whole.
    const whole = bundleSchema(
      set({
        ...Object.fromEntries([...borrowing.idByFile.keys()].map((f) => [f, borrowing.byId.get(`${BASE}${f}`)!])),
        "both.schema.json": { anyOf: [{ $ref: "lender.schema.json#/$defs/lent" }, { $ref: "lender.schema.json" }] },
      }),
      `${BASE}both.schema.json`,
    );
    expect(Object.keys((whole.$defs as Record<string, SchemaObject>)["lender.schema.json"].$defs as SchemaObject)).toEqual(["kept", "lent", "inner"]);
  });

  it("treats definitions-only files as shared shapes, not families", () => {
    expect(familyFiles(s)).toEqual(["block.schema.json", "family.schema.json"]);
  });
});
