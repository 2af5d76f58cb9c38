/** Small helpers shared by family modules (detection and cross-field rules). */
import { isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";

/** Basename of `run_provenance.entrypoint.path`, or undefined. */
export function entrypointBase(doc: JsonObject): string | undefined {
  const rp = own(doc, "run_provenance");
  if (!isObject(rp)) return undefined;
  const ep = own(rp, "entrypoint");
  if (!isObject(ep) || typeof ep.path !== "string") return undefined;
  const parts = ep.path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** `run_provenance.argv[0]` (the vmaf-train subcommand), or undefined. */
export function argv0(doc: JsonObject): string | undefined {
  const rp = own(doc, "run_provenance");
  if (!isObject(rp)) return undefined;
  const argv = own(rp, "argv");
  return Array.isArray(argv) && typeof argv[0] === "string" ? argv[0] : undefined;
}

/** True when every key is an own property of `doc`. */
export function hasKeys(doc: JsonObject, ...keys: string[]): boolean {
  return keys.every((k) => Object.prototype.hasOwnProperty.call(doc, k));
}

/** Value at a path of keys/indices, or undefined when any step is absent. */
export function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = value;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (!isObject(cur)) return undefined;
      cur = own(cur, step);
    }
  }
  return cur;
}

/** Python-style float equality used by rules that compare copied values (NaN equals NaN). */
export function sameNumber(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a !== "number" || typeof b !== "number") return false;
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
