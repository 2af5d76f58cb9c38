/**
 * Schema loading. Every schema file of a major version is registered with one Ajv instance
 * (so relative `$ref`s between files resolve offline), and a validator is compiled only when
 * a document first needs it: a pre-commit run on one sidecar compiles one family.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { packagePath } from "../paths.js";
import path from "node:path";
// Types only: the Ajv compiler (~250 ms of module loading) is imported lazily, when a schema
// has no current precompiled validator.
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

export const SCHEMA_BASE = "https://run-provenance.dev/schema/";
export const SCHEMA_MAJOR_VERSIONS = ["v1"] as const;
export type SchemaVersion = (typeof SCHEMA_MAJOR_VERSIONS)[number];

/** `schema/` of this package. */
export function schemaRoot(): string {
  return packagePath("schema");
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

/**
 * Whether no schema source of `version` was modified after `mtimeMs` (the precompiled
 * validators' manifest), as make judges a target: then the validators are current without
 * reading and hashing every schema on every start. A schema edited since falls back to the
 * digest comparison (an installed package's files all carry one time, so it never does).
 */
function noSchemaNewerThan(version: SchemaVersion, mtimeMs: number): boolean {
  const dir = path.join(schemaRoot(), version);
  return readdirSync(dir).every((name) => !name.endsWith(".schema.json") || statSync(path.join(dir, name)).mtimeMs <= mtimeMs);
}

/** File name (without `.js`) of a variant's precompiled validator ("" is the schema's root). */
export function exportName(def: string): string {
  return def ? `def_${def.replace(/[^A-Za-z0-9_]/g, "_")}` : "root";
}

/** Suffix of the precompiled validators that stop at the first error. */
export const FIRST_ERROR_SUFFIX = ".first";

/** Folder of a schema file's precompiled validators (one module per variant). */
export function moduleDir(file: string): string {
  return file.replace(/\.schema\.json$|\.json$/, "");
}

function precompiledDir(version: SchemaVersion): string {
  return packagePath("dist", "validators", version);
}

export class SchemaStore {
  private ajv?: Ajv2020;
  /** Validators that stop at the first error, for very large documents (compiled on demand). */
  private firstErrorAjv?: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Precompiled validators by schema file (export names), when they are current; else none. */
  private readonly exported: Map<string, Set<string>> | undefined;
  private patterns?: Map<string, string>;

  constructor(readonly version: SchemaVersion = "v1") {
    let exported: Map<string, Set<string>> | undefined;
    try {
      const manifestFile = path.join(precompiledDir(version), "manifest.json");
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
      if (noSchemaNewerThan(version, statSync(manifestFile).mtimeMs) || manifest.digest === schemaSourceDigest(version)) {
        exported = new Map(Object.entries(manifest.files as Record<string, string[]>).map(([f, names]) => [f, new Set(names)]));
      }
    } catch {
      exported = undefined;
    }
    this.exported = exported;
  }

  /** `$id` of a schema file or of one of its `$defs`. */
  id(file: string, def?: string): string {
    return schemaId(this.version, file) + (def ? `#/$defs/${def}` : "");
  }

  /**
   * Validator for a schema file, or for one of its `$defs` (a variant). `allErrors: false`
   * gives one that stops at the first error: Ajv collects every error of every item otherwise,
   * and a hostile document of millions of wrong values would need gigabytes for them.
   */
  async get(file: string, def?: string, opts: { allErrors?: boolean } = {}): Promise<{ id: string; validate: ValidateFunction }> {
    const id = this.id(file, def);
    const allErrors = opts.allErrors !== false;
    const key = allErrors ? id : `${id}${FIRST_ERROR_SUFFIX}`;
    let fn = this.compiled.get(key);
    if (!fn) fn = await this.precompiledValidator(file, def ?? "", allErrors);
    if (!fn) {
      fn = (await this.runtimeAjv(allErrors)).getSchema(id);
      if (!fn) throw new Error(`schema ${id} is not registered`);
    }
    this.compiled.set(key, fn);
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

  /** The precompiled validator of a variant, loaded on first use; undefined when there is none. */
  private async precompiledValidator(file: string, def: string, allErrors: boolean): Promise<ValidateFunction | undefined> {
    const name = exportName(def);
    if (!this.exported?.get(file)?.has(name)) return undefined;
    const url = pathToFileURL(path.join(precompiledDir(this.version), moduleDir(file), `${name}${allErrors ? "" : FIRST_ERROR_SUFFIX}.js`)).href;
    const mod = (await import(url).catch(() => undefined)) as { validate?: ValidateFunction } | undefined;
    return mod?.validate;
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
