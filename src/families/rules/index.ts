/**
 * Cross-field rules, declared: a small vocabulary of the rules the emitters keep across many
 * families, each keeping its check and its message together (the way Ajv keeps a keyword's code
 * and error). A family lists them beside its variants (`defineFamily({ rules, variants: { v: {
 * rules } } })`); code stays in the module only where a rule is truly particular. Every rule
 * reports `inconsistent` (docs/contract.md, "Families and variants").
 */
import { childPointer, dottedPath, isObject, own, valueAtPointer, type JsonObject, type JsonValue } from "../../load/json-value.js";
import type { FileFacts, RuleViolation } from "../types.js";
import { showValue } from "../util.js";

/** What a rule sees beside the document. */
export interface RuleContext {
  file: FileFacts;
  /** The document's variant, when known. */
  variant: string | undefined;
}

/** A declared cross-field rule: the violations it finds in one document. */
export type Rule = (doc: JsonObject, ctx: RuleContext) => RuleViolation[];

/** `run_provenance.args` when it is an object. */
export function argsOf(doc: JsonObject): JsonObject | undefined {
  const rp = own(doc, "run_provenance");
  const args = isObject(rp) ? own(rp, "args") : undefined;
  return isObject(args) ? args : undefined;
}

/** The rules apply only to documents for which `test` holds. */
export function when(test: (doc: JsonObject) => boolean, ...rules: Rule[]): Rule {
  return (doc, ctx) => (test(doc) ? rules.flatMap((r) => r(doc, ctx)) : []);
}

/** A particular rule written as `(doc, out) => void`, pushing what it finds. */
export function collect(fn: (doc: JsonObject, out: RuleViolation[]) => void): Rule {
  return (doc) => {
    const out: RuleViolation[] = [];
    fn(doc, out);
    return out;
  };
}

/** Equality of a copied value: numbers as Python compares floats (a copied NaN is the same NaN), anything else by its JSON. */
export function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface CopiedFromArgsOptions {
  /** The `args` key; default: the pointer's last segment. */
  arg?: string;
  /** Compare only when both values are of this type; default `any`: whenever both are present. */
  type?: "number" | "string" | "boolean" | "any";
  /** An `args` value of `null` means the flag was not given: nothing to compare. */
  nullIsUnset?: boolean;
  /** The message form: `x V differs from run_provenance.args.k A` (default) or `x is V but run_provenance.args.k is A`. */
  say?: "differs" | "is";
  /** Show strings quoted (default) or bare. */
  quote?: boolean;
  /** How the message names the value; default: the pointer as a dotted path. */
  label?: string;
  /** Why the two must agree, appended in parentheses. */
  why?: string;
}

/**
 * The value at `pointer` is a copy of the value at `source` (the emitter writes both from one
 * value): when both are present (and of `type`), they must be equal. Reported at `pointer`.
 */
export function copyOf(pointer: string, source: string, o: Omit<CopiedFromArgsOptions, "arg"> = {}): Rule {
  const label = o.label ?? dottedPath(pointer);
  const sourceLabel = dottedPath(source);
  const type = o.type ?? "any";
  const show = (v: JsonValue): string => (typeof v === "string" && o.quote === false ? v : showValue(v));
  const why = o.why ? ` (${o.why})` : "";
  return (doc) => {
    const v = valueAtPointer(doc, pointer);
    const a = valueAtPointer(doc, source);
    if (v === undefined || a === undefined || (o.nullIsUnset && a === null)) return [];
    if (type !== "any" && (typeof v !== type || typeof a !== type)) return [];
    if (sameValue(v, a)) return [];
    const message =
      o.say === "is" ? `${label} is ${show(v)} but ${sourceLabel} is ${show(a)}${why}` : `${label} ${show(v)} differs from ${sourceLabel} ${show(a)}${why}`;
    return [{ pointer, message }];
  };
}

/**
 * The value at `pointer` is a copy of a command-line value: it equals `run_provenance.args[arg]`
 * (the emitter writes both from the same parsed flag).
 */
export function copiedFromArgs(pointer: string, o: CopiedFromArgsOptions = {}): Rule {
  const arg = o.arg ?? pointer.slice(pointer.lastIndexOf("/") + 1);
  return copyOf(pointer, childPointer("/run_provenance/args", arg), o);
}

/** Every key of the object at `pointer` that `args` also has is a copy of that flag (`config` built from the CLI). */
export function eachCopiedFromArgs(pointer: string, o: Omit<CopiedFromArgsOptions, "arg" | "label"> = {}): Rule {
  return (doc, ctx) => {
    const obj = valueAtPointer(doc, pointer);
    if (!isObject(obj)) return [];
    return Object.keys(obj).flatMap((k) => copiedFromArgs(childPointer(pointer, k), { ...o, arg: k })(doc, ctx));
  };
}

/**
 * Vectors as long as the list they describe (a scaler's `feature_mean`/`feature_std` and its
 * `feature_order`). Each vector of another length is reported at its own pointer.
 */
export function equalLengths(listPointer: string, vectorPointers: string[], noun = "features"): Rule {
  return (doc) => {
    const list = valueAtPointer(doc, listPointer);
    if (!Array.isArray(list)) return [];
    const out: RuleViolation[] = [];
    for (const p of vectorPointers) {
      const vec = valueAtPointer(doc, p);
      if (Array.isArray(vec) && vec.length !== list.length) {
        out.push({ pointer: p, message: `${dottedPath(p)} has ${vec.length} values but ${dottedPath(listPointer)} lists ${list.length} ${noun}` });
      }
    }
    return out;
  };
}

/**
 * A map keyed by exactly the seeds listed at `seedsPointer` (keys are the seeds as strings): a key
 * that is no seed is reported at the key, a seed without a key at the seed.
 */
export function keysAreSeeds(mapPointer: string, seedsPointer: string): Rule {
  return (doc) => {
    const map = valueAtPointer(doc, mapPointer);
    const seeds = valueAtPointer(doc, seedsPointer);
    if (!isObject(map) || !Array.isArray(seeds)) return [];
    const label = dottedPath(mapPointer);
    const seedSet = new Set(seeds.map((s) => String(s)));
    const out: RuleViolation[] = [];
    for (const k of Object.keys(map)) {
      if (!seedSet.has(k))
        out.push({ pointer: childPointer(mapPointer, k), message: `${label} has key "${k}", which is not one of seeds ${showValue(seeds)}` });
    }
    seeds.forEach((s, i) => {
      if (!Object.prototype.hasOwnProperty.call(map, String(s)))
        out.push({ pointer: `${seedsPointer}/${i}`, message: `seed ${showValue(s)} has no ${label} entry "${String(s)}"` });
    });
    return out;
  };
}

/** The descriptor `run_provenance.<section>.<name>` when it is a `kind: "file"` descriptor. */
export function fileDescriptor(doc: JsonObject, section: "inputs" | "outputs", name: string): JsonObject | undefined {
  const d = valueAtPointer(doc, `/run_provenance/${section}/${name}`);
  return isObject(d) && d.kind === "file" && typeof d.sha256 === "string" ? d : undefined;
}

/**
 * A digest recorded outside the block (at `pointer`) equals the digest of the block's descriptor
 * `run_provenance.<section>.<name>`: both were computed from the same file in the same run.
 */
export function sameDigest(pointer: string, section: "inputs" | "outputs", name: string, why: string): Rule {
  return (doc) => {
    const d = fileDescriptor(doc, section, name);
    const v = valueAtPointer(doc, pointer);
    if (!d || typeof v !== "string" || v === d.sha256) return [];
    return [
      {
        pointer,
        message: `${dottedPath(pointer)} (${v.slice(0, 12)}...) differs from run_provenance.${section}.${name}.sha256 (${String(d.sha256).slice(0, 12)}...); ${why}`,
      },
    ];
  };
}
