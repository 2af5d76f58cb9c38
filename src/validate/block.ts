/**
 * The block pinned per emitter: what each variant's emitters write into run_provenance.
 *
 * Each variant of a family schema refines the shared `run_provenance` block with a definition
 * of its own (`$defs/<variant>Block`: `allOf` the shared block, plus the emitters' entrypoint
 * basenames as a `pattern` on `entrypoint.path`, and the names of `args`, `inputs` and
 * `outputs` under `properties`). The schema checks what it can say: the entrypoint (re-coded as
 * `inconsistent` by validate/errors.ts), the required names and the value forms. What a schema
 * cannot say without turning it into an error is said here: a name the variant does not know is
 * an `unknown-key` warning, since the emitter may be newer than the contract.
 *
 * Everything is read from the schema JSON itself (no validator is compiled): a section is
 * pinned when the variant's block lists its names under `properties` (an empty object pins a
 * section the emitters never write); `patternProperties` cover name families such as the
 * ensemble seeds' `seed<N>_onnx`. Generic families (`run-manifest`, `run-provenance`) pin
 * nothing and get no warning.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { childPointer, isObject, own, type JsonValue } from "../load/json-value.js";
import type { Finding } from "../findings.js";
import { schemaId, schemaRoot, type SchemaVersion } from "./schemas.js";

export const BLOCK_SECTIONS = ["args", "inputs", "outputs"] as const;
export type BlockSection = (typeof BLOCK_SECTIONS)[number];

/** A schema node as JSON (boolean schemas are skipped). */
type Node = Record<string, unknown>;
/** Resolves an absolute `$ref` (resource id plus optional `#/json/pointer`) to its node. */
export type RefResolver = (absoluteRef: string) => unknown;

export interface SectionPins {
  /** Names listed under `properties` (the known names), in schema order. */
  known: string[];
  /** Names listed under `required` at the section level. */
  required: string[];
  /** `patternProperties` keys (regex sources). */
  patterns: string[];
  /** The schema of each known name (the first one met), for reference docs. */
  schemas: Map<string, unknown>;
  /** Schemas of the pattern names, by regex source. */
  patternSchemas: Map<string, unknown>;
}

/** What one emitter of a variant writes beyond the variant's common names (an `if` on the entrypoint). */
export interface EmitterCondition {
  /** The emitters the condition names (`train_vmaf_tiny_v5.py`). */
  emitters: string[];
  /** Sections those emitters always write (`inputs`). */
  requiredSections: string[];
  /** Names those emitters always write, per section. */
  required: Partial<Record<BlockSection, string[]>>;
}

export interface BlockPins {
  /** The `pattern` on `entrypoint.path`, when the variant pins its emitters. */
  entrypointPattern?: string;
  /** The emitters' script names taken from that pattern (`export_vmaf_tiny_v3.py`, `vmaf_train/cli.py`). */
  emitters?: string[];
  /** `inputs`/`outputs` when the block requires them (the emitters always write them). */
  requiredSections: string[];
  /** Pinned sections only; an unpinned section may hold any name. */
  sections: Partial<Record<BlockSection, SectionPins>>;
  /** Requirements of some emitters only, in schema order. */
  conditions: EmitterCondition[];
}

const asNode = (v: unknown): Node | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Node) : undefined);

function splitRef(ref: string): { resource: string; pointer: string } {
  const i = ref.indexOf("#");
  return i < 0 ? { resource: ref, pointer: "" } : { resource: ref.slice(0, i), pointer: decodeURIComponent(ref.slice(i + 1)) };
}

/** A resolver over whole schema documents keyed by `$id` (the sources, or one bundle). */
export function resolverOf(byId: Map<string, unknown>): RefResolver {
  return (absolute) => {
    const { resource, pointer } = splitRef(absolute);
    let node: unknown = byId.get(resource);
    for (const raw of pointer.split("/").slice(1)) {
      const tok = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      node = asNode(node)?.[tok];
    }
    return node;
  };
}

/**
 * Every schema node reachable from `start` through `$ref` and `allOf` (the conjunctive
 * keywords: a name pinned there is pinned for the document), each with the base `$id` its
 * own `$ref`s resolve against. Conditional and alternative branches are not followed.
 */
function conjuncts(start: unknown, baseId: string, resolve: RefResolver): { node: Node; base: string }[] {
  const out: { node: Node; base: string }[] = [];
  const seen = new Set<unknown>();
  const visit = (n: unknown, base: string, depth: number): void => {
    const node = asNode(n);
    if (!node || seen.has(node) || depth > 32) return;
    seen.add(node);
    out.push({ node, base });
    if (typeof node.$ref === "string") {
      const abs = new URL(node.$ref, base).href;
      const target = resolve(abs);
      const { resource } = splitRef(abs);
      const targetBase = typeof asNode(target)?.$id === "string" ? String(asNode(target)!.$id) : resource;
      visit(target, targetBase, depth + 1);
    }
    if (Array.isArray(node.allOf)) for (const sub of node.allOf) visit(sub, base, depth + 1);
  };
  visit(start, baseId, 0);
  return out;
}

/** The pins of the `run_provenance` schema of a variant (`variantNode`, resolved against `baseId`). */
export function blockPinsOf(variantNode: unknown, baseId: string, resolve: RefResolver): BlockPins {
  const pins: BlockPins = { requiredSections: [], sections: {}, conditions: [] };
  const blocks = conjuncts(variantNode, baseId, resolve).flatMap(({ node, base }) => {
    const rp = asNode(node.properties)?.run_provenance;
    return rp === undefined ? [] : conjuncts(rp, base, resolve);
  });
  for (const { node, base } of blocks) {
    for (const r of Array.isArray(node.required) ? node.required : []) {
      if ((r === "inputs" || r === "outputs") && !pins.requiredSections.includes(r)) pins.requiredSections.push(r);
    }
    const cond = emitterCondition(node);
    if (cond) pins.conditions.push(cond);
    const props = asNode(node.properties);
    if (!props) continue;
    for (const { node: ep } of conjuncts(props.entrypoint, base, resolve)) {
      const path = asNode(asNode(ep.properties)?.path);
      if (path && typeof path.pattern === "string" && pins.entrypointPattern === undefined) {
        pins.entrypointPattern = path.pattern;
        pins.emitters = emittersOfPattern(path.pattern);
      }
    }
    for (const section of BLOCK_SECTIONS) {
      for (const { node: s } of conjuncts(props[section], base, resolve)) {
        const names = asNode(s.properties);
        const patterns = asNode(s.patternProperties);
        if (!names && !patterns) continue;
        const pin: SectionPins = (pins.sections[section] ??= { known: [], required: [], patterns: [], schemas: new Map(), patternSchemas: new Map() });
        for (const [k, v] of Object.entries(names ?? {})) {
          if (!pin.known.includes(k)) {
            pin.known.push(k);
            pin.schemas.set(k, v);
          }
        }
        for (const [k, v] of Object.entries(patterns ?? {})) {
          if (!pin.patterns.includes(k)) {
            pin.patterns.push(k);
            pin.patternSchemas.set(k, v);
          }
        }
        for (const r of Array.isArray(s.required) ? s.required : []) if (typeof r === "string" && !pin.required.includes(r)) pin.required.push(r);
      }
    }
  }
  return pins;
}

/** `{if: <entrypoint.path pattern>, then: <required names>}` as the block definitions write it, else undefined. */
function emitterCondition(node: Node): EmitterCondition | undefined {
  const path = asNode(asNode(asNode(asNode(asNode(node.if)?.properties)?.entrypoint)?.properties)?.path);
  const then = asNode(node.then);
  const emitters = typeof path?.pattern === "string" ? emittersOfPattern(path.pattern) : undefined;
  if (!emitters || !then) return undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const required: Partial<Record<BlockSection, string[]>> = {};
  for (const section of BLOCK_SECTIONS) {
    const names = strings(asNode(asNode(then.properties)?.[section])?.required);
    if (names.length) required[section] = names;
  }
  return { emitters, requiredSections: strings(then.required), required };
}

/**
 * The emitters an entrypoint pattern names. The pinned form is
 * `(^|[/\\])(name|name|...)\.py$(?!\n)`, a name being letters, digits, `_` and `[/\\]` (a folder
 * separator, for `vmaf_train/cli.py`). Undefined for any other pattern.
 */
export function emittersOfPattern(pattern: string): string[] | undefined {
  const m = /^\(\^\|\[\/\\\\\]\)\(([A-Za-z0-9_|]|\[\/\\\\\])+\)\\\.py\$\(\?!\\n\)$/.exec(pattern);
  if (!m) return undefined;
  const inner = pattern.slice("(^|[/\\\\])(".length, pattern.length - ")\\.py$(?!\\n)".length);
  return inner.split("|").map((n) => `${n.split("[/\\\\]").join("/")}.py`);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

// ------------------------------------------------------------------------------ at run time

const sourceResolvers = new Map<SchemaVersion, RefResolver>();
const pinCache = new Map<string, BlockPins>();

/**
 * A resolver over the schema sources of a version that reads a file only when a `$ref` first
 * reaches it (a pre-commit run on one sidecar reads its family's file and the shared block).
 */
function sourceResolver(version: SchemaVersion): RefResolver {
  let r = sourceResolvers.get(version);
  if (!r) {
    const prefix = schemaId(version, "");
    const byId = new Map<string, unknown>();
    const lookup = resolverOf(byId);
    r = (absolute) => {
      const resource = absolute.split("#")[0];
      if (!byId.has(resource) && resource.startsWith(prefix)) {
        const file = resource.slice(prefix.length);
        let schema: unknown;
        try {
          schema = /^[A-Za-z0-9._-]+\.schema\.json$/.test(file) ? JSON.parse(readFileSync(path.join(schemaRoot(), version, file), "utf8")) : undefined;
        } catch {
          schema = undefined;
        }
        byId.set(resource, schema);
      }
      return lookup(absolute);
    };
    sourceResolvers.set(version, r);
  }
  return r;
}

/** The pins of a variant (`$defs/<def>` of a family schema file), read from the schema sources once. */
export function variantPins(version: SchemaVersion, schemaFile: string, def: string): BlockPins {
  const key = `${version}\u0000${schemaFile}\u0000${def}`;
  let pins = pinCache.get(key);
  if (!pins) {
    const id = schemaId(version, schemaFile);
    const resolve = sourceResolver(version);
    pins = blockPinsOf(resolve(def ? `${id}#/$defs/${def}` : id), id, resolve);
    pinCache.set(key, pins);
  }
  return pins;
}

const NOUN: Record<BlockSection, string> = { args: "argument", inputs: "input", outputs: "output" };

/**
 * `unknown-key` warnings for the names in `run_provenance.args|inputs|outputs` that the
 * variant's block does not know. `label` names the variant in messages (`model-sidecar/vmaf-tiny`).
 */
export function unknownBlockKeys(doc: JsonValue, pins: BlockPins, label: string): Finding<"unknown-key">[] {
  const rp = isObject(doc) ? own(doc, "run_provenance") : undefined;
  if (!isObject(rp)) return [];
  const out: Finding<"unknown-key">[] = [];
  for (const section of BLOCK_SECTIONS) {
    const pin = pins.sections[section];
    const value = own(rp, section);
    if (!pin || !isObject(value)) continue;
    const patterns = pin.patterns.map((p) => new RegExp(p, "u"));
    for (const key of Object.keys(value)) {
      if (pin.known.includes(key) || patterns.some((re) => re.test(key))) continue;
      const missing = pin.known.filter((k) => own(value, k) === undefined);
      const hint = missing.length > 0 && missing.length <= 3 ? ` (known names missing here: ${missing.join(", ")})` : "";
      out.push({
        severity: "warning",
        code: "unknown-key",
        message: `run_provenance.${section}.${key}: the ${label} emitters are not known to record this ${NOUN[section]}${hint}; the emitter may be newer than this contract`,
        pointer: childPointer(`/run_provenance/${section}`, key),
        atKey: true,
      });
    }
  }
  return out;
}

/** The `unknown-key` warnings of a document matched to a variant (none for a variant without pins). */
export function blockFindings(doc: JsonValue, version: SchemaVersion, schemaFile: string, def: string, label: string): Finding<"unknown-key">[] {
  return unknownBlockKeys(doc, variantPins(version, schemaFile, def), label);
}
