/**
 * Ajv errors -> one readable diagnostic per problem.
 *
 * Ajv reports every failing branch of an `anyOf`/`oneOf` (ajv #558). For a value that must be
 * "a descriptor, a string, a number, ... or an array", a typo in a descriptor would produce five
 * messages about the wrong branches. The reduction keeps the errors of the branches whose type
 * matched the value (the branch the author meant); when no branch's type matched, it says once
 * which types are allowed. `if` wrappers are dropped (their `then`/`else` errors say it all).
 */
import type { ErrorObject } from "ajv";
import type { Finding } from "../findings.js";
import { childPointer, valueAtPointer, type JsonValue } from "../load/json-value.js";
import { emittersOfPattern, orList } from "./block.js";

/**
 * A schema problem: an error, `schema` but for a variant's entrypoint pattern that fails, which is
 * the contract's `inconsistent` (the block names a script that does not write this variant).
 * `atKey` for a key that is not allowed.
 */
type SchemaProblem = Finding<"schema" | "inconsistent">;

function problem(pointer: string, message: string, atKey = false): SchemaProblem {
  return { severity: "error", code: "schema", message, pointer, atKey };
}

export interface DescribeContext {
  /** The validated document (errors carry pointers, not values). */
  doc: JsonValue;
  /** What a failed `pattern` means, from the schema's own description. */
  patternDescription(pattern: string): string | undefined;
  /** The family and variant being checked, for messages (`model-sidecar/vmaf-tiny`). */
  label?: string;
}

/** Where a variant's block pins the script that wrote it. */
export const ENTRYPOINT_PATH_POINTER = "/run_provenance/entrypoint/path";

export function describeErrors(errors: readonly ErrorObject[], ctx: DescribeContext): SchemaProblem[] {
  const reduced = reduceAlternatives(errors);
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of reduced) {
    const p = toProblem(e, valueAtPointer(ctx.doc, e.instancePath), ctx);
    const key = `${p.pointer}\u0000${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

function under(path: string, parent: string): boolean {
  return path === parent || path.startsWith(parent + "/");
}

function reduceAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === "if") continue;
    if ((e.keyword === "anyOf" || e.keyword === "oneOf") && !(e.params as { passingSchemas?: unknown }).passingSchemas) {
      // The branch's errors are the trailing run of errors under the same instance (linear: one splice).
      let start = out.length;
      while (start > 0 && under(out[start - 1].instancePath, e.instancePath)) start--;
      const branch = out.splice(start);
      const typeMisses = branch.filter((b) => b.keyword === "type" && b.instancePath === e.instancePath);
      const meant = branch.filter((b) => !(b.keyword === "type" && b.instancePath === e.instancePath));
      if (meant.length) out.push(...meant);
      else out.push(alternativesMiss(e, typeMisses));
      continue;
    }
    out.push(e);
  }
  return out;
}

function alternativesMiss(e: ErrorObject, typeMisses: ErrorObject[]): ErrorObject {
  const types = new Set<string>();
  for (const t of typeMisses) {
    const ty = (t.params as { type: string | string[] }).type;
    for (const x of Array.isArray(ty) ? ty : String(ty).split(",")) types.add(x);
  }
  const list = [...types];
  const expected = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : (list[0] ?? "one of the allowed shapes");
  return { ...e, keyword: "type", params: { type: list }, message: `must be ${article(expected)}` };
}

function article(s: string): string {
  return /^(object|array|integer)/.test(s) ? `an ${s}` : /^(null)/.test(s) ? s : `a ${s}`;
}

function jsType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : Number.isFinite(v) ? "number" : String(v);
  return typeof v;
}

function show(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function toProblem(e: ErrorObject, data: JsonValue | undefined, ctx: DescribeContext): SchemaProblem {
  const p = e.params as Record<string, unknown>;
  const ptr = e.instancePath;
  switch (e.keyword) {
    case "required":
      return problem(ptr, `missing required property "${p.missingProperty}"`);
    case "additionalProperties":
    case "unevaluatedProperties": {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      return problem(childPointer(ptr, name), `property "${name}" is not allowed here`, true);
    }
    case "false schema": {
      const name = ptr
        .slice(ptr.lastIndexOf("/") + 1)
        .replace(/~1/g, "/")
        .replace(/~0/g, "~");
      return problem(ptr, `property "${name}" is not allowed here`, true);
    }
    case "dependentRequired":
      return problem(ptr, `property "${p.property}" requires "${p.missingProperty}"`);
    case "const":
      return problem(ptr, `must be ${show(p.allowedValue)}, found ${show(data)}`);
    case "enum":
      return problem(ptr, `must be one of ${(p.allowedValues as unknown[]).map(show).join(", ")}; found ${show(data)}`);
    case "type":
      return problem(ptr, `${e.message ?? "has the wrong type"}, found ${jsType(data)}`.replace(/^must be (?=\w+,)/, "must be "));
    case "pattern": {
      if (ptr === ENTRYPOINT_PATH_POINTER && typeof data === "string") return notAnEmitter(data, String(p.pattern), ctx);
      const desc = ctx.patternDescription(String(p.pattern));
      return problem(ptr, `${show(data)} does not match ${p.pattern}${desc ? ` (${desc})` : ""}`);
    }
    case "minProperties":
      return problem(ptr, `must have at least ${p.limit} propert${p.limit === 1 ? "y" : "ies"} (an emitter leaves an empty map out)`);
    case "oneOf":
      return problem(ptr, "matches more than one of the allowed shapes");
    default:
      return problem(ptr, `${e.message ?? "is invalid"}${e.keyword === "not" ? "" : ""}`);
  }
}

/** The entrypoint of a variant's block names a script that is not one of the variant's emitters. */
function notAnEmitter(path: string, pattern: string, ctx: DescribeContext): SchemaProblem {
  const base = path.split(/[\\/]/).pop() || path;
  const emitters = emittersOfPattern(pattern);
  const expected = emitters ? orList(emitters) : (ctx.patternDescription(pattern) ?? `a path matching ${pattern}`);
  return { ...problem(ENTRYPOINT_PATH_POINTER, `${base} is not an emitter of ${ctx.label ?? "this variant"} (expected ${expected})`), code: "inconsistent" };
}
