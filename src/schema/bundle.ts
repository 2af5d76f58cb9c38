/**
 * The schema bundler: turns one family schema of `schema/v<N>/` into one self-contained
 * draft 2020-12 document for other languages (`runprov schema FAMILY`, `generated/bundled/`).
 *
 * How: every `$ref` that leaves the family's own resource (`run-provenance.schema.json`,
 * `common.schema.json#/$defs/x`, ...) is resolved against the `$id` of the resource it appears
 * in; the target resource is copied once under the root's `$defs`, keyed by its file name
 * (`$defs["run-provenance.schema.json"]`), without its `$id`/`$schema`; and every reference is
 * rewritten into a local JSON Pointer (`#/$defs/run-provenance.schema.json/$defs/sha256`).
 * The result is a single schema resource that uses only local `#/...` pointers: no embedded
 * `$id`s, no anchors, no network. Every JSON Schema 2020-12 implementation resolves that the
 * same way, including those without embedded-resource support.
 *
 * A resource referred to only through its `$defs` (a family schema that lends one definition to
 * another) is embedded as those definitions alone, and the ones they refer to: a bundle holds
 * what its family uses, not the whole of a neighbour. A resource whose root is referred to, or
 * a pointer outside its `$defs`, is embedded whole.
 *
 * The output is deterministic: key order follows the source files, embedded resources are
 * appended to `$defs` in file-name order.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { readSchemaFiles, schemaRoot, type SchemaVersion } from "../validate/schemas.js";

export const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/** A JSON Schema document (object form; boolean schemas are handled where they occur). */
export type SchemaObject = { [key: string]: unknown };

/** All schema resources of one version directory, by `$id`. */
export interface SchemaSet {
  /** Directory the schemas were read from. */
  dir: string;
  /** `$id` -> parsed schema. */
  byId: Map<string, SchemaObject>;
  /** File name (`model-sidecar.schema.json`) -> `$id`. */
  idByFile: Map<string, string>;
}

/** Folder of the shipped schemas of one major version (the validator's own schema root). */
export function schemaDir(version: SchemaVersion = "v1"): string {
  return path.join(schemaRoot(), version);
}

/**
 * Every `*.schema.json` of a version (default: the shipped v1 schemas, read by the validator's
 * own loader) or of a directory. Throws on a file without an absolute `$id`.
 */
export function loadSchemaSet(dir?: string): SchemaSet {
  const files = dir === undefined ? readSchemaFiles("v1") : readDir(dir);
  const byId = new Map<string, SchemaObject>();
  const idByFile = new Map<string, string>();
  for (const [file, schema] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const id = schema.$id;
    if (typeof id !== "string" || !/^[a-z][a-z0-9+.-]*:/i.test(id)) {
      throw new Error(`${file}: missing or relative $id`);
    }
    if (byId.has(id)) throw new Error(`${file}: duplicate $id ${id}`);
    byId.set(id, schema as SchemaObject);
    idByFile.set(file, id);
  }
  return { dir: dir ?? schemaDir(), byId, idByFile };
}

function readDir(dir: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".schema.json"))) {
    out.set(file, JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>);
  }
  return out;
}

/**
 * Family schema files of a set: every schema file except definitions-only ones
 * (`common.schema.json`: a `$defs` container with no root shape of its own).
 */
export function familyFiles(set: SchemaSet): string[] {
  const out: string[] = [];
  for (const [file, id] of set.idByFile) {
    const s = set.byId.get(id)!;
    const annotations = ["$schema", "$id", "$defs", "title", "description", "$comment"];
    const definitionsOnly = "$defs" in s && Object.keys(s).every((k) => annotations.includes(k));
    if (!definitionsOnly) out.push(file);
  }
  return out;
}

/** `model-sidecar.schema.json` -> `model-sidecar`. */
export function familyOfFile(file: string): string {
  return file.replace(/\.schema\.json$/, "");
}

// Keywords whose value is a schema, a map of schemas, or an array of schemas (draft 2020-12).
const SCHEMA_KEYWORDS = new Set([
  "additionalProperties",
  "additionalItems",
  "items",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_ARRAY_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);

function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function splitRef(absolute: string): { resource: string; fragment: string } {
  const hash = absolute.indexOf("#");
  if (hash < 0) return { resource: absolute, fragment: "" };
  return { resource: absolute.slice(0, hash), fragment: decodeURIComponent(absolute.slice(hash + 1)) };
}

/**
 * Bundles the resource `rootId` of `set` into one self-contained schema.
 * Throws on references that cannot be bundled portably (anchors, `$dynamicRef`, unknown resources).
 */
export function bundleSchema(set: SchemaSet, rootId: string): SchemaObject {
  const root = set.byId.get(rootId);
  if (!root) throw new Error(`unknown schema ${rootId}`);
  const fileById = new Map<string, string>();
  for (const [file, id] of set.idByFile) fileById.set(id, file);

  /** Resource id -> `$defs` key in the bundle, for every embedded resource. */
  const embedded = new Map<string, string>();
  /** Per embedded resource: "whole", or the names of its `$defs` referred to (in order met). */
  const used = new Map<string, "whole" | Set<string>>();
  const pending: string[] = [];

  const markUsed = (resourceId: string, fragment: string): void => {
    if (resourceId === rootId || used.get(resourceId) === "whole") return;
    const def = /^\/\$defs\/([^/]+)/.exec(fragment)?.[1];
    if (def === undefined) {
      used.set(resourceId, "whole");
      pending.push(resourceId);
      return;
    }
    let names = used.get(resourceId) as Set<string> | undefined;
    if (!names) used.set(resourceId, (names = new Set()));
    const name = def.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!names.has(name)) {
      names.add(name);
      pending.push(resourceId);
    }
  };

  const localPrefix = (resourceId: string): string => {
    if (resourceId === rootId) return "#";
    let key = embedded.get(resourceId);
    if (key === undefined) {
      const file = fileById.get(resourceId);
      if (!file) throw new Error(`$ref to unknown resource ${resourceId}`);
      key = file;
      embedded.set(resourceId, key);
    }
    return `#/$defs/${escapePointerToken(key)}`;
  };

  const rewriteRef = (ref: string, baseId: string, where: string): string => {
    const absolute = new URL(ref, baseId).href;
    const { resource, fragment } = splitRef(absolute);
    if (fragment !== "" && !fragment.startsWith("/")) {
      throw new Error(`${where}: $ref ${ref} uses an anchor; only JSON Pointer fragments are bundled`);
    }
    const prefix = localPrefix(resource);
    markUsed(resource, fragment);
    return prefix + fragment.split("/").map((t, i) => (i === 0 ? t : encodeURIComponentSafe(t))).join("/");
  };

  const walk = (node: unknown, baseId: string, where: string, resourceRoot = false): unknown => {
    if (typeof node === "boolean") return node;
    if (node === null || typeof node !== "object" || Array.isArray(node)) {
      throw new Error(`${where}: not a schema`);
    }
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node as SchemaObject)) {
      if (key === "$ref") {
        if (typeof value !== "string") throw new Error(`${where}/$ref: not a string`);
        out[key] = rewriteRef(value, baseId, where);
      } else if (key === "$dynamicRef" || key === "$recursiveRef") {
        throw new Error(`${where}: ${key} cannot be bundled portably`);
      } else if (key === "$id" && !resourceRoot) {
        throw new Error(`${where}: nested $id is not supported by the bundler`);
      } else if (SCHEMA_KEYWORDS.has(key)) {
        out[key] = walk(value, baseId, `${where}/${key}`);
      } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
        const map: SchemaObject = {};
        for (const [k, v] of Object.entries(value as SchemaObject)) map[k] = walk(v, baseId, `${where}/${key}/${escapePointerToken(k)}`);
        out[key] = map;
      } else if (SCHEMA_ARRAY_KEYWORDS.has(key)) {
        out[key] = (value as unknown[]).map((v, i) => walk(v, baseId, `${where}/${key}/${i}`));
      } else {
        // Annotations and data-valued keywords (const, enum, examples, default): copied as data.
        out[key] = structuredClone(value);
      }
    }
    return out;
  };

  const rootFile = fileById.get(rootId) ?? rootId;
  const body = walk(root, rootId, "", true) as SchemaObject;
  const defs: SchemaObject = { ...((body.$defs as SchemaObject | undefined) ?? {}) };
  // Walk what is used of each embedded resource until nothing new is referred to: a definition
  // walked may refer to more of its own resource, or to another one.
  const walked = new Map<string, Set<string>>();
  const walkedWhole = new Set<string>();
  while (pending.length > 0) {
    const id = pending.shift()!;
    if (used.get(id) === "whole") {
      if (!walkedWhole.has(id)) walk(set.byId.get(id)!, id, fileById.get(id)!, true);
      walkedWhole.add(id);
      continue;
    }
    const done = walked.get(id) ?? new Set<string>();
    walked.set(id, done);
    const source = (set.byId.get(id)!.$defs ?? {}) as SchemaObject;
    for (const name of used.get(id) as Set<string>) {
      if (done.has(name)) continue;
      done.add(name);
      if (!(name in source)) throw new Error(`${fileById.get(id)}: no $defs/${name}`);
      walk(source[name], id, `${fileById.get(id)}/$defs/${escapePointerToken(name)}`);
    }
  }
  const embeddedDefs = new Map<string, SchemaObject>();
  for (const [id, key] of embedded) {
    const use = used.get(id);
    if (use === "whole") {
      const copy = walk(set.byId.get(id)!, id, fileById.get(id)!, true) as SchemaObject;
      delete copy.$id;
      delete copy.$schema;
      embeddedDefs.set(key, copy);
    } else {
      // Only the definitions used, in the resource's own order.
      const source = (set.byId.get(id)!.$defs ?? {}) as SchemaObject;
      const kept: SchemaObject = {};
      for (const [name, def] of Object.entries(source)) {
        if (use?.has(name)) kept[name] = walk(def, id, `${fileById.get(id)}/$defs/${escapePointerToken(name)}`);
      }
      embeddedDefs.set(key, { $defs: kept });
    }
  }
  for (const key of [...embeddedDefs.keys()].sort()) {
    if (key in defs) throw new Error(`${rootFile}: $defs key ${key} collides with an embedded resource`);
    defs[key] = embeddedDefs.get(key)!;
  }

  const out: SchemaObject = {
    $schema: DRAFT_2020_12,
    $id: rootId,
    $comment: `Bundled from schema/${path.basename(set.dir)}/${rootFile} by runprov (npm run generate); every $ref is local. Do not edit.`,
  };
  for (const [k, v] of Object.entries(body)) {
    if (k === "$schema" || k === "$id" || k === "$defs" || k === "$comment") continue;
    out[k] = v;
  }
  if (Object.keys(defs).length > 0) out.$defs = defs;
  return out;
}

function encodeURIComponentSafe(token: string): string {
  // Pointer tokens inside a URI fragment: percent-encode what a URI fragment cannot hold.
  return token.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, (c) => encodeURIComponent(c));
}

/** The bundle of one family (`model-sidecar`) from the shipped schemas. */
export function bundleFamily(family: string, set: SchemaSet = loadSchemaSet()): SchemaObject {
  const id = set.idByFile.get(`${family}.schema.json`);
  if (!id) throw new Error(`no schema for family ${family}`);
  return bundleSchema(set, id);
}

/** The exact text `runprov schema FAMILY` prints and `generated/bundled/` holds. */
export function bundleText(bundle: SchemaObject): string {
  return JSON.stringify(bundle, null, 2) + "\n";
}
