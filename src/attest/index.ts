/**
 * `runprov attest`: an in-toto Statement v1 whose predicate is SLSA provenance v1, built from an
 * artifact's `run_provenance` block after `validate()` has checked it.
 *
 * Subjects are the artifact itself (its bytes, hashed now) and those outputs of the block whose
 * recorded digest `validate()` has just verified by rehashing the file in the working tree. A
 * stale output, a self-reference, a file that is missing, outside the root, an LFS pointer, or
 * a digest that only matches an older git commit is never a subject. The mapping is documented
 * in docs/attest.md.
 */
import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import path from "node:path";
import { readConfined, RefusedFile } from "../files/confined.js";
import { loadBuffer, MAX_ARTIFACT_BYTES } from "../load/index.js";
import { isObject, type JsonObject, type JsonValue } from "../load/json-value.js";
import { resolveRoot, validate, TOOL_VERSION } from "../pipeline.js";
import { UsageError, type ArtifactResult, type DigestEvent, type ValidateOptions } from "../types.js";

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
/** buildType of the predicate: says how to read externalParameters (docs/attest.md). */
export const BUILD_TYPE = "https://run-provenance.dev/attest/ai-run-provenance/v1";
/** Default builder id: nothing vouches for where the run happened. */
export const LOCAL_UNVERIFIED_BUILDER = "https://run-provenance.dev/builders/local-unverified/v1";

export type AttestValidateOptions = ValidateOptions;
export type { DigestEvent };

export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, JsonValue>;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: typeof SLSA_PROVENANCE_V1;
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: JsonObject;
      internalParameters: JsonObject;
      resolvedDependencies: ResourceDescriptor[];
    };
    runDetails: {
      builder: { id: string };
    };
  };
}

export interface AttestOptions {
  root?: string;
  cwd?: string;
  family?: string;
  builderId?: string;
  /** Test seam: the validate() to use (defaults to the library's). */
  validateImpl?: (paths: string[], options: AttestValidateOptions) => ReturnType<typeof validate>;
}

export class AttestError extends Error {
  override name = "AttestError";
  constructor(
    message: string,
    readonly result?: ArtifactResult,
  ) {
    super(message);
  }
}

/** NaN / Infinity cannot appear in a strict-JSON statement: they become the strings "NaN", "Infinity", "-Infinity". */
export function strictJsonValue(v: JsonValue): JsonValue {
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(strictJsonValue);
  if (isObject(v)) {
    const o: JsonObject = {};
    for (const k of Object.keys(v)) o[k] = strictJsonValue(v[k]);
    return o;
  }
  return v;
}

const isDescriptor = (v: JsonValue | undefined): v is JsonObject =>
  isObject(v) && typeof v.path === "string" && typeof v.kind === "string" && typeof v.exists === "boolean";

const esc = (k: string): string => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** An io value with descriptors replaced by their recorded path (for externalParameters). */
function plainIo(v: JsonValue): JsonValue {
  if (isDescriptor(v)) return v.path as string;
  if (Array.isArray(v)) return v.map(plainIo);
  return strictJsonValue(v);
}

interface DescriptorAt {
  role: string;
  pointer: string;
  d: JsonObject;
}

function descriptorsOf(map: JsonValue | undefined, side: "inputs" | "outputs"): DescriptorAt[] {
  const out: DescriptorAt[] = [];
  if (!isObject(map)) return out;
  for (const name of Object.keys(map)) {
    const v = map[name];
    const base = `/run_provenance/${side}/${esc(name)}`;
    if (isDescriptor(v)) out.push({ role: `${side}.${name}`, pointer: base, d: v });
    else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (isDescriptor(item)) out.push({ role: `${side}.${name}[${i}]`, pointer: `${base}/${i}`, d: item });
      });
    }
  }
  return out;
}

/**
 * Builds the statement for one artifact. Throws UsageError for a path that cannot be read and
 * AttestError when the artifact is invalid or carries no block.
 */
export async function attest(file: string, options: AttestOptions = {}): Promise<Statement> {
  const { root, cwd } = await resolveRoot(options);
  const abs = await realpath(path.resolve(cwd, file)).catch(() => null);
  if (!abs) throw new UsageError(`${file}: no such file`);

  const events: DigestEvent[] = [];
  const run = options.validateImpl ?? (validate as (p: string[], o: AttestValidateOptions) => ReturnType<typeof validate>);
  const report = await run([abs], { root: options.root, cwd, family: options.family, onDigest: (e) => events.push(e) });
  const result = report.results[0];
  if (!result) throw new AttestError(`${file}: no artifact family matches this file`);
  if (!result.valid) {
    throw new AttestError(`${result.file}: the artifact is invalid; fix it before attesting (runprov validate ${result.file})`, result);
  }
  // The statement's subject digest is of the very bytes that are parsed here.
  let bytes: Buffer;
  try {
    bytes = readConfined(abs, root, MAX_ARTIFACT_BYTES);
  } catch (e) {
    throw new UsageError(`${file}: ${e instanceof RefusedFile ? e.message : (e as Error).message}`);
  }
  const loaded = loadBuffer(bytes);
  if (!loaded.ok || !isObject(loaded.value)) throw new AttestError(`${result.file}: not a JSON object`, result);
  const doc = loaded.value;
  const block = result.family === "run-provenance" ? doc : doc.run_provenance;
  if (!isObject(block)) throw new AttestError(`${result.file}: no run_provenance block to attest`, result);
  const prefix = result.family === "run-provenance" ? "" : "/run_provenance";
  const rebase = (p: string): string => (prefix ? p : p.replace(/^\/run_provenance/, ""));

  // Digests validate() has just verified by rehashing the working-tree file.
  const rehashed = new Map<string, DigestEvent>();
  const judged = new Map<string, DigestEvent>();
  for (const e of events) {
    if (e.file !== result.file) continue;
    const descriptorPointer = e.pointer.replace(/\/sha256$/, "");
    judged.set(descriptorPointer, e);
    if (e.outcome === "verified" && e.how === "working-tree") rehashed.set(descriptorPointer, e);
  }

  const subject: ResourceDescriptor[] = [{ name: result.file, digest: { sha256: createHash("sha256").update(bytes).digest("hex") } }];
  const seen = new Set<string>([`${result.file}\u0000${subject[0].digest!.sha256}`]);
  for (const o of descriptorsOf(block.outputs, "outputs")) {
    const e = rehashed.get(rebase(o.pointer));
    if (!e || o.d.kind !== "file" || o.d.sha256 !== e.sha256) continue;
    const key = `${e.path}\u0000${e.sha256}`;
    if (seen.has(key)) continue;
    seen.add(key);
    subject.push({ name: e.path, digest: { sha256: e.sha256 }, annotations: { "runprov.role": o.role } });
  }

  const dependency = (role: string, pointer: string, d: JsonObject): ResourceDescriptor | undefined => {
    if (d.kind !== "file" || typeof d.sha256 !== "string") return undefined;
    const e = judged.get(rebase(pointer));
    const verification = !e
      ? "not-checked"
      : e.outcome === "verified"
        ? e.how === "history"
          ? "historical-match"
          : e.how === "lfs"
            ? "lfs-oid"
            : "verified"
        : e.outcome;
    return {
      name: d.path as string,
      digest: { sha256: d.sha256 },
      annotations: { "runprov.role": role, "runprov.verification": verification },
    };
  };
  const resolvedDependencies: ResourceDescriptor[] = [];
  const add = (r: ResourceDescriptor | undefined): void => {
    if (r) resolvedDependencies.push(r);
  };
  if (isDescriptor(block.entrypoint)) add(dependency("entrypoint", "/run_provenance/entrypoint", block.entrypoint));
  if (isDescriptor(block.shared_trainer)) add(dependency("shared_trainer", "/run_provenance/shared_trainer", block.shared_trainer));
  for (const i of descriptorsOf(block.inputs, "inputs")) add(dependency(i.role, i.pointer, i.d));

  const externalParameters: JsonObject = {
    entrypoint: isDescriptor(block.entrypoint) ? (block.entrypoint.path as string) : null,
    argv: strictJsonValue(block.argv ?? []),
    args: strictJsonValue(block.args ?? {}),
  };
  const plainMap = (m: JsonObject): JsonObject => Object.fromEntries(Object.keys(m).map((k) => [k, plainIo(m[k])]));
  if (isObject(block.inputs)) externalParameters.inputs = plainMap(block.inputs);
  if (isObject(block.outputs)) externalParameters.outputs = plainMap(block.outputs);
  if (isDescriptor(block.shared_trainer)) externalParameters.shared_trainer = block.shared_trainer.path as string;

  const internalParameters: JsonObject = {
    runprov: {
      version: TOOL_VERSION,
      blockSchema: typeof block.schema === "string" ? block.schema : null,
      family: result.family,
      variant: result.variant,
      schema: result.schema,
    },
  };

  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: { buildType: BUILD_TYPE, externalParameters, internalParameters, resolvedDependencies },
      runDetails: { builder: { id: options.builderId ?? LOCAL_UNVERIFIED_BUILDER } },
    },
  };
}
