/**
 * Schema loading. Every schema file of a major version is registered with one Ajv instance
 * (so relative `$ref`s between files resolve offline), and a validator is compiled only when
 * a document first needs it: a pre-commit run on one sidecar compiles one family.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const SCHEMA_BASE = "https://run-provenance.dev/schema/";
export const SCHEMA_MAJOR_VERSIONS = ["v1"] as const;
export type SchemaVersion = (typeof SCHEMA_MAJOR_VERSIONS)[number];

/** Ajv options every schema must satisfy (CONTRACT: strict mode, NaN is a number). */
export const AJV_OPTIONS = {
  strict: true,
  strictNumbers: false,
  allowUnionTypes: true,
  allErrors: true,
  verbose: true,
} as const;

/** `schema/` of this package, found relative to the compiled module (dist/validate/). */
export function schemaRoot(): string {
  return fileURLToPath(new URL("../../schema/", import.meta.url));
}

export function schemaId(version: SchemaVersion, file: string): string {
  return `${SCHEMA_BASE}${version}/${file}`;
}

/** Every schema file of a version, parsed, keyed by file name. */
export function readSchemaFiles(version: SchemaVersion): Map<string, Record<string, unknown>> {
  const dir = path.join(schemaRoot(), version);
  const out = new Map<string, Record<string, unknown>>();
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".schema.json")) out.set(name, JSON.parse(readFileSync(path.join(dir, name), "utf8")));
  }
  return out;
}

export function createAjv(): Ajv2020 {
  // `format` is an annotation only (CONTRACT): validators disagree on formats, so none is
  // asserted. ajv-formats still registers the names so that strict mode knows them.
  const ajv = new Ajv2020({ ...AJV_OPTIONS, validateFormats: false });
  addFormats.default(ajv);
  return ajv;
}

export class SchemaStore {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly version: SchemaVersion = "v1") {
    for (const schema of readSchemaFiles(version).values()) this.ajv.addSchema(schema);
  }

  /** Validator for a schema file, or for one of its `$defs` (a variant). */
  get(file: string, def?: string): { id: string; validate: ValidateFunction } {
    const id = schemaId(this.version, file) + (def ? `#/$defs/${def}` : "");
    let fn = this.compiled.get(id);
    if (!fn) {
      fn = this.ajv.getSchema(id);
      if (!fn) throw new Error(`schema ${id} is not registered`);
      this.compiled.set(id, fn);
    }
    return { id, validate: fn };
  }
}
