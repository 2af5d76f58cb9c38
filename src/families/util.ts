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

/** A value as rule messages show it: `(absent)`, `NaN`, `Infinity`, or its JSON. */
export function showValue(v: JsonValue | undefined): string {
  if (v === undefined) return "(absent)";
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

/**
 * Equality for recomputed floats: Python and JavaScript may sum in different orders, so a
 * relative tolerance; NaN equals NaN (a copied NaN is the same value).
 */
export function closeTo(a: number, b: number, rel = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
