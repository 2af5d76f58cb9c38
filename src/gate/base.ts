/**
 * The registry a change starts from: its version at `--base GIT_REF` (read through the hardened
 * git runner of src/git/run.ts), the `--before FILE`, or none (audit mode).
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { readConfined, RefusedFile } from "../files/confined.js";
import { gitTopLevel, isSafeRev, readBlob, resolveCommit } from "../git/run.js";
import { isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import { loadBuffer, MAX_ARTIFACT_BYTES } from "../load/index.js";
import { displayPath } from "../pipeline.js";
import { UsageError } from "../types.js";
import type { GateResult, RegistryFlipOptions } from "./result.js";

export interface BaseRegistry {
  info: GateResult["base"];
  /** Raw bytes (to tell whether the registry changed), undefined when absent. */
  bytes?: Buffer;
  /** Rows by id (first occurrence wins). */
  rows?: Map<string, JsonObject>;
  /** The base exists but cannot be read as a registry: every production entry is treated as promoted. */
  unreadable?: string;
}

/** A file the gate reads (registry, base registry): a regular file inside the root, or a usage error. */
export function readInsideRoot(abs: string, root: string, what: string): Buffer {
  try {
    return readConfined(abs, root, MAX_ARTIFACT_BYTES);
  } catch (e) {
    throw new UsageError(`${what}: ${e instanceof RefusedFile ? e.message : (e as Error).message}`);
  }
}

/** Base registry rows by id (first occurrence wins), or undefined when there is no base registry. */
function baseIndex(value: JsonValue | undefined): Map<string, JsonObject> | undefined {
  if (!isObject(value)) return undefined;
  const models = own(value, "models");
  if (!Array.isArray(models)) return undefined;
  const out = new Map<string, JsonObject>();
  for (const m of models) {
    if (!isObject(m)) continue;
    const id = own(m, "id");
    if (typeof id === "string" && !out.has(id)) out.set(id, m);
  }
  return out;
}

export async function readBase(opts: RegistryFlipOptions, cwd: string, registryAbs: string, root: string): Promise<BaseRegistry> {
  if (opts.base !== undefined && opts.before !== undefined) {
    throw new UsageError("--base and --before are mutually exclusive");
  }
  if (opts.before !== undefined) {
    const bytes = readInsideRoot(path.resolve(cwd, opts.before), root, `--before ${opts.before}`);
    const loaded = loadBuffer(bytes);
    const info: GateResult["base"] = { kind: "file", file: opts.before, found: true };
    if (!loaded.ok) throw new UsageError(`--before ${opts.before}: not valid JSON (${loaded.diagnostics[0]?.message ?? "parse error"})`);
    const rows = baseIndex(loaded.value);
    if (!rows) throw new UsageError(`--before ${opts.before}: not a registry (no "models" array)`);
    return { info, bytes, rows };
  }
  if (opts.base !== undefined) {
    const ref = opts.base;
    if (!isSafeRev(ref)) throw new UsageError(`--base ${JSON.stringify(ref)}: not a git ref`);
    const dir = path.dirname(registryAbs);
    const top = (await gitTopLevel(dir)).top;
    if (!top) throw new UsageError(`--base ${ref}: ${displayPath(dir, cwd)} is not inside a git repository`);
    const commit = await resolveCommit(dir, ref);
    if (commit === undefined) {
      throw new UsageError(
        `--base ${ref}: no such commit in this clone (a shallow clone or a branch that was not fetched? ` +
          `fetch it first, e.g. actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`,
      );
    }
    const realTop = await realpath(top).catch(() => top);
    const realReg = await realpath(registryAbs).catch(() => registryAbs);
    const rel = path.relative(realTop, realReg).split(path.sep).join("/");
    const info: GateResult["base"] = { kind: "git", ref, commit, found: false };
    if (rel.startsWith("..")) throw new UsageError(`--registry is outside the git repository of ${top}`);
    const bytes = await readBlob(top, commit, rel);
    if (bytes === undefined) return { info, rows: new Map() }; // not in the base: every production entry is promoted
    info.found = true;
    const loaded = loadBuffer(bytes);
    if (!loaded.ok) return { info, bytes, unreadable: `the registry at ${ref} is not valid JSON` };
    const rows = baseIndex(loaded.value);
    if (!rows) return { info, bytes, unreadable: `the registry at ${ref} has no "models" array` };
    return { info, bytes, rows };
  }
  return { info: { kind: "none", found: false } };
}
