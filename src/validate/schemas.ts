/**
 * Schema loading. Every schema file of a major version is registered with one Ajv instance
 * (so relative `$ref`s between files resolve offline), and a validator is compiled only when
 * a document first needs it: a pre-commit run on one sidecar compiles one family.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
// Types only: the Ajv compiler (~250 ms of module loading) is imported lazily, when a schema
// has no current precompiled validator.
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

export const SCHEMA_BASE = "https://run-provenance.dev/schema/";
export const SCHEMA_MAJOR_VERSIONS = ["v1"] as const;
export type SchemaVersion = (typeof SCHEMA_MAJOR_VERSIONS)[number];

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

/** Digest of a version's schema sources, to tell whether precompiled validators are current. */
export function schemaSourceDigest(version: SchemaVersion): string {
  const dir = path.join(schemaRoot(), version);
  const h = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".schema.json")) continue;
    h.update(name)
      .update("\0")
      .update(readFileSync(path.join(dir, name)))
      .update("\0");
  }
  return h.digest("hex");
}

/** Export name of a variant's validator in a precompiled module ("" is the schema's root). */
export function exportName(def: string): string {
  return def ? `def_${def.replace(/[^A-Za-z0-9_]/g, "_")}` : "root";
}

function precompiledDir(version: SchemaVersion): string {
  return fileURLToPath(new URL(`../validators/${version}/`, import.meta.url));
}

export class SchemaStore {
  private ajv?: Ajv2020;
  /** Validators that stop at the first error, for very large documents (compiled on demand). */
  private firstErrorAjv?: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly modules = new Map<string, Promise<Record<string, ValidateFunction> | undefined>>();
  private readonly precompiled: boolean;
  private patterns?: Map<string, string>;

  constructor(readonly version: SchemaVersion = "v1") {
    let current: boolean;
    try {
      const manifest = JSON.parse(readFileSync(path.join(precompiledDir(version), "manifest.json"), "utf8"));
      current = manifest.digest === schemaSourceDigest(version);
    } catch {
      current = false;
    }
    this.precompiled = current;
  }

  /**
   * Validator for a schema file, or for one of its `$defs` (a variant). `allErrors: false`
   * gives one that stops at the first error: Ajv collects every error of every item otherwise,
   * and a hostile document of millions of wrong values would need gigabytes for them.
   */
  async get(file: string, def?: string, opts: { allErrors?: boolean } = {}): Promise<{ id: string; validate: ValidateFunction }> {
    const id = schemaId(this.version, file) + (def ? `#/$defs/${def}` : "");
    if (opts.allErrors === false) {
      const fn = (await this.runtimeAjv(false)).getSchema(id);
      if (!fn) throw new Error(`schema ${id} is not registered`);
      return { id, validate: fn };
    }
    let fn = this.compiled.get(id);
    if (!fn && this.precompiled) fn = (await this.module(file))?.[exportName(def ?? "")];
    if (!fn) {
      fn = (await this.runtimeAjv(true)).getSchema(id);
      if (!fn) throw new Error(`schema ${id} is not registered`);
    }
    this.compiled.set(id, fn);
    return { id, validate: fn };
  }

  /** The description that goes with a `pattern`, to say what a failed pattern means. */
  patternDescription(pattern: string): string | undefined {
    if (!this.patterns) {
      this.patterns = new Map();
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === "object") {
          const o = node as Record<string, unknown>;
          if (typeof o.pattern === "string" && typeof o.description === "string" && !this.patterns!.has(o.pattern)) {
            this.patterns!.set(o.pattern, o.description);
          }
          Object.values(o).forEach(walk);
        }
      };
      for (const schema of readSchemaFiles(this.version).values()) walk(schema);
    }
    return this.patterns.get(pattern);
  }

  private module(file: string): Promise<Record<string, ValidateFunction> | undefined> {
    let m = this.modules.get(file);
    if (!m) {
      const url = pathToFileURL(path.join(precompiledDir(this.version), file.replace(/\.json$/, ".js"))).href;
      m = import(url).catch(() => undefined) as Promise<Record<string, ValidateFunction> | undefined>;
      this.modules.set(file, m);
    }
    return m;
  }

  private async runtimeAjv(allErrors: boolean): Promise<Ajv2020> {
    const existing = allErrors ? this.ajv : this.firstErrorAjv;
    if (existing) return existing;
    const { createAjv } = await import("./ajv.js");
    const ajv = createAjv({ allErrors });
    for (const schema of readSchemaFiles(this.version).values()) ajv.addSchema(schema);
    if (allErrors) this.ajv = ajv;
    else this.firstErrorAjv = ajv;
    return ajv;
  }
}
const stores = new Map<SchemaVersion, SchemaStore>();

/** One store per version per process: schemas never change while it runs. */
export function schemaStore(version: SchemaVersion = "v1"): SchemaStore {
  let s = stores.get(version);
  if (!s) {
    s = new SchemaStore(version);
    stores.set(version, s);
  }
  return s;
}

/**
 * The schema version a document asks for: the major version in its block's `schema` string
 * (`ai-run-provenance-v<N>`); documents without a block use the newest version.
 */
export function versionOf(doc: unknown): { version: SchemaVersion } | { unsupported: string } {
  const rp = doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>).run_provenance : undefined;
  const tag = rp && typeof rp === "object" ? (rp as Record<string, unknown>).schema : undefined;
  const m = typeof tag === "string" ? /^ai-run-provenance-v(\d+)$/.exec(tag) : null;
  if (!m) return { version: SCHEMA_MAJOR_VERSIONS[SCHEMA_MAJOR_VERSIONS.length - 1] };
  const v = `v${Number(m[1])}`;
  return (SCHEMA_MAJOR_VERSIONS as readonly string[]).includes(v) ? { version: v as SchemaVersion } : { unsupported: tag as string };
}
