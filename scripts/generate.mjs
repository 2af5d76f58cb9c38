#!/usr/bin/env node
/**
 * `npm run generate`: everything derived from `schema/v1/` (and the golden fixtures).
 *
 *   generated/bundled/<family>.schema.json   one self-contained schema per family (src/schema/bundle.ts)
 *   generated/types/<family>.d.ts, index.d.ts TypeScript types (json-schema-to-typescript); the shapes of
 *                                             run-provenance and common (common.d.ts) are declared once and
 *                                             imported (and re-exported) by the family modules
 *   docs/reference/<family>.md, README.md     reference docs
 *   corpus-fixtures/conformance/<family>.json conformance vectors (scripts/vectors.mjs)
 *
 * `node scripts/generate.mjs --check` writes nothing and exits 1 when any of those files is
 * stale, missing or unexpected (the CI drift check; test/generated.test.ts runs the same check).
 * Deterministic: the same inputs give byte-identical outputs.
 *
 * The bundler is the one the CLI uses (`runprov schema FAMILY`), imported from dist/; when
 * dist/ is missing or older than its source, this script builds it first.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildVectors, vectorText } from "./vectors.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Folders whose content is entirely generated, with the file names they own. */
const OWNED = [
  { dir: "generated/bundled", match: (n) => n.endsWith(".schema.json") },
  { dir: "generated/types", match: (n) => n.endsWith(".d.ts") },
  { dir: "docs/reference", match: (n) => n.endsWith(".md") },
  { dir: "corpus-fixtures/conformance", match: (n) => n.endsWith(".json") },
];

/** A module of dist/ (`schema/bundle`), built first when missing or older than its source. */
async function loadDist(root, name) {
  const dist = path.join(root, `dist/${name}.js`);
  const src = path.join(root, `src/${name}.ts`);
  if (!existsSync(dist) || statSync(dist).mtimeMs < statSync(src).mtimeMs) {
    try {
      execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "tsconfig.json")], {
        stdio: "ignore",
      });
    } catch {
      // tsc reports errors elsewhere in src/ but still emits; only this module matters here.
    }
    if (!existsSync(dist)) throw new Error(`dist/${name}.js is missing: run \`npm run build\` and check its errors`);
  }
  return import(pathToFileURL(dist).href);
}

const loadBundler = (root) => loadDist(root, "schema/bundle");

export function pascal(name) {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Families and variants, read from the schemas themselves (convention: root anyOf of $defs refs,
// one $defs entry per variant whose title is the variant name).

export function variantsOf(schema) {
  const out = [];
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    for (const sub of schema.anyOf ?? schema.oneOf) {
      const m = typeof sub?.$ref === "string" && /^#\/\$defs\/([^/]+)$/.exec(sub.$ref);
      if (m) {
        const def = m[1];
        const target = schema.$defs?.[def] ?? {};
        out.push({ def, name: typeof target.title === "string" ? target.title : def, description: target.description ?? "" });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// TypeScript types

const TYPE_WORDS = ["type", "$ref", "enum", "const", "anyOf", "oneOf", "allOf", "properties", "items", "prefixItems", "additionalProperties", "patternProperties", "not"];

/**
 * A copy for json-schema-to-typescript: drops what TypeScript cannot say (if/then/else) and $ref siblings.
 * `refName(ref)` may name a `$ref` declared in another generated module: the node becomes a `tsType`
 * reference to that name (the caller imports it) instead of a copy of the shape.
 */
function forTypes(node, refName = () => undefined) {
  if (Array.isArray(node)) return node.map((x) => forTypes(x, refName));
  if (node === null || typeof node !== "object") return node;
  const o = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "if" || k === "then" || k === "else" || k === "$comment") continue;
    if (k === "const" || k === "enum" || k === "examples" || k === "default") {
      o[k] = v;
    } else if (k === "properties" || k === "$defs" || k === "patternProperties" || k === "dependentSchemas") {
      o[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, forTypes(pv, refName)]));
    } else {
      o[k] = forTypes(v, refName);
    }
  }
  if (Array.isArray(o.allOf)) {
    // Drop the members that said nothing TypeScript can say (an if/then left empty); keep named references.
    const named = (x) => typeof x.tsType === "string" && x.tsType !== "unknown";
    o.allOf = o.allOf.filter((x) => x === false || (x && typeof x === "object" && (named(x) || Object.keys(x).some((k) => k !== "description" && k !== "tsType"))));
    if (o.allOf.length === 0) delete o.allOf;
    // A refinement beside its allOf (a variant's block: the shared block plus its own names):
    // json-schema-to-typescript reads only the allOf, so the refinement becomes one more member.
    else if (o.properties || o.patternProperties) {
      const own = {};
      for (const k of ["type", "required", "properties", "patternProperties", "additionalProperties"]) {
        if (k in o) {
          own[k] = o[k];
          delete o[k];
        }
      }
      o.allOf.push(own);
    }
  }
  // Names of a pattern beside named properties (a variant's block: seed<N>_onnx beside registry):
  // an index signature of the pattern's type would contradict the named ones, so the names stay
  // typed and the rest `unknown`.
  if (o.patternProperties && o.properties) delete o.patternProperties;
  if (typeof o.$ref === "string") {
    const name = refName(o.$ref);
    if (name) return { tsType: name };
    for (const k of Object.keys(o)) if (k !== "$ref") delete o[k];
  } else if (!TYPE_WORDS.some((k) => k in o)) {
    o.tsType = "unknown";
  }
  return o;
}

const TYPE_OPTIONS = {
  unknownAny: true,
  strictIndexSignatures: false,
  additionalProperties: true,
  format: true,
  style: { singleQuote: false, printWidth: 110 },
  $refOptions: { resolve: { external: false, file: false, http: false } },
};

const banner = (file) => `/* Generated by \`npm run generate\` from schema/v1/${file}. Do not edit. */`;

/**
 * Schema files whose shapes are declared once, in their own module (generated/types/<name>.d.ts),
 * and imported by the family modules that `$ref` them.
 */
const SHARED_MODULES = ["run-provenance", "common"];

/** `#/$defs/common.schema.json/$defs/x` (a bundle's embedded resource) -> { module, pointer }. */
function embeddedRef(ref) {
  const m = /^#\/\$defs\/([^/]+)\.schema\.json(\/.*)?$/.exec(ref);
  return m ? { module: decodeURIComponent(m[1]), pointer: m[2] ?? "" } : undefined;
}

/** A `$ref` inside the bundle of `module` -> `module#pointer` (a key of `sharedShapes`), or undefined. */
function refKey(ref, module) {
  const emb = embeddedRef(ref);
  if (emb) return `${emb.module}#${emb.pointer}`;
  return ref.startsWith("#") ? `${module}${ref}` : undefined;
}

/**
 * The shared shapes: `module#pointer` -> { module, exported (name in its module), local (name a family
 * uses, which is what json-schema-to-typescript used to call its copy), refs (shared keys it uses) }.
 * A definition that is only a `$ref` to another shared shape (common's sha256, runProvenance) is that shape.
 */
function sharedShapes(sharedBundles, familyNames) {
  const shapes = new Map();
  const aliases = new Map();
  for (const module of SHARED_MODULES) {
    const bundle = sharedBundles.get(module);
    if (familyNames.has(module)) shapes.set(`${module}#`, { module, exported: pascal(module), local: pascal(bundle.title ?? module), node: bundle });
    for (const [key, def] of Object.entries(bundle.$defs ?? {})) {
      if (key.endsWith(".schema.json") || !def || typeof def !== "object") continue;
      const id = `${module}#/$defs/${key}`;
      if (typeof def.$ref === "string") aliases.set(id, refKey(def.$ref, module));
      else shapes.set(id, { module, exported: pascal(def.title ?? key), local: pascal(def.title ?? key), node: def });
    }
  }
  const keyOf = (ref, module) => {
    let id = refKey(ref, module);
    for (let i = 0; id && aliases.has(id) && i < 10; i++) id = aliases.get(id);
    return id;
  };
  for (const [id, shape] of shapes) {
    const refs = new Set();
    const visit = (n) => {
      if (Array.isArray(n)) n.forEach(visit);
      else if (n && typeof n === "object") {
        for (const [k, v] of Object.entries(n)) {
          if (k === "$ref" && typeof v === "string") {
            const key = keyOf(v, shape.module);
            if (shapes.has(key) && key !== id) refs.add(key);
          } else if (k !== "$defs" && k !== "const" && k !== "enum" && k !== "examples" && k !== "default") visit(v);
        }
      }
    };
    visit(shape.node);
    shape.refs = [...refs];
  }
  return { shapes, keyOf };
}

/**
 * Compiles `schema` (of module `context`) with the `$ref`s to shared shapes of other modules turned
 * into names; with `ownRefs`, its local `#/$defs/x` too (each definition of a definitions-only module
 * is compiled alone). Returns { text, used (keys of the shared shapes named) }.
 */
async function compileWithShared(schema, name, context, shared, compile, banner, ownRefs = false) {
  const used = new Set();
  const refName = (ref) => {
    const emb = embeddedRef(ref);
    if (emb ? !SHARED_MODULES.includes(emb.module) : !ownRefs) return undefined;
    const key = shared.keyOf(ref, context);
    const shape = shared.shapes.get(key);
    if (!shape) throw new Error(`${context}: $ref ${ref} names no shared shape (a root or a $defs entry of ${SHARED_MODULES.join(", ")})`);
    used.add(key);
    return shape.module === context ? shape.exported : shape.local;
  };
  const own = structuredClone(schema);
  for (const m of SHARED_MODULES) delete own.$defs?.[`${m}.schema.json`];
  if (own.$defs && Object.keys(own.$defs).length === 0) delete own.$defs;
  const prepared = forTypes(own, refName);
  const text = await compile(prepared, name, { ...TYPE_OPTIONS, bannerComment: banner });
  return { text, used };
}

/** `import type { a, b } from "./m.js";`: one line whatever its length, like a name list rather than code. */
function importLine(keyword, names, module) {
  return `${keyword} { ${names.join(", ")} } from "./${module}.js";`;
}

/**
 * `import type` lines for the shared shapes a module names and, for a family module, `export type`
 * lines for every shared shape its types reach, so that its namespace (index.d.ts) still holds them.
 */
function sharedHeader(context, used, shared, reexport) {
  const closure = new Set();
  const add = (key) => {
    if (closure.has(key)) return;
    closure.add(key);
    for (const r of shared.shapes.get(key).refs) add(r);
  };
  for (const key of used) add(key);
  const names = (keys, module) =>
    [...keys]
      .map((k) => shared.shapes.get(k))
      .filter((s) => s.module === module && s.module !== context)
      .sort((a, b) => (a.local < b.local ? -1 : a.local > b.local ? 1 : 0))
      .map((s) => (s.exported === s.local ? s.local : `${s.exported} as ${s.local}`));
  const imports = [];
  const exports = [];
  for (const module of SHARED_MODULES) {
    const i = names(used, module);
    if (i.length > 0) imports.push(importLine("import type", i, module));
    const e = reexport ? names(closure, module) : [];
    if (e.length > 0) exports.push(importLine("export type", e, module));
  }
  return exports.length > 0 ? [...imports, "", ...exports] : imports;
}

/** Puts header lines after the banner comment of a compiled module, a blank line either side. */
function withHeader(text, banner, lines) {
  if (lines.length === 0) return text;
  if (!text.startsWith(banner + "\n")) throw new Error("unexpected json-schema-to-typescript output: banner missing");
  return `${banner}\n\n${lines.join("\n")}\n\n${text.slice(banner.length).replace(/^\n+/, "")}`;
}

/** Fails when a module declares a name it also imports. */
function checkNames(file, text, header) {
  for (const line of header) {
    if (!line.startsWith("import type")) continue;
    const names = /\{([^}]*)\}/.exec(line)[1].split(",").map((s) => s.trim().split(" as ").pop()).filter(Boolean);
    for (const n of names) {
      if (new RegExp(`^export (?:interface|type|declare \\w+) ${n}\\b`, "m").test(text)) {
        throw new Error(`generated/types/${file}: declares ${n}, which it also imports from a shared module`);
      }
    }
  }
}

async function typesFor(family, bundle, compile, shared) {
  const schema = structuredClone(bundle);
  delete schema.$id;
  schema.title = pascal(family);
  const b = banner(`${family}.schema.json`);
  const { text, used } = await compileWithShared(schema, pascal(family), family, shared, compile, b);
  const header = sharedHeader(family, used, shared, true);
  checkNames(`${family}.d.ts`, text, header);
  return withHeader(text, b, header);
}

/** generated/types/<module>.d.ts of a definitions-only schema: each definition that is not only a `$ref`. */
async function definitionsTypes(module, shared, compile) {
  const b = banner(`${module}.schema.json`);
  const parts = [];
  const used = new Set();
  for (const shape of shared.shapes.values()) {
    if (shape.module !== module) continue;
    const schema = { ...shape.node, title: shape.exported };
    const r = await compileWithShared(schema, shape.exported, module, shared, compile, "", true);
    for (const u of r.used) used.add(u);
    parts.push(r.text.replace(/^\s+/, ""));
  }
  const header = sharedHeader(module, used, shared, false);
  const text = `${b}\n\n${parts.join("")}`;
  checkNames(`${module}.d.ts`, text, header);
  return withHeader(text, b, header);
}

/** Checks that every shared name a family imports is declared by its module. */
function checkExports(shared, texts) {
  for (const shape of shared.shapes.values()) {
    const text = texts.get(shape.module);
    if (!new RegExp(`^export (?:interface|type) ${shape.exported}\\b`, "m").test(text)) {
      throw new Error(`generated/types/${shape.module}.d.ts does not declare ${shape.exported}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reference docs

const mdEscape = (s) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const code = (s) => "`" + String(s).replace(/`/g, "'") + "`";

function short(value, max = 48) {
  const s = JSON.stringify(value);
  if (s === undefined) return "";
  return s.length > max ? s.slice(0, max - 1) + "\u2026" : s;
}

function makeResolver(bundle) {
  return (ref) => {
    if (!ref.startsWith("#")) return undefined;
    let node = bundle;
    for (const raw of ref.slice(1).split("/").slice(1)) {
      const tok = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      node = node?.[tok];
    }
    return node;
  };
}

/** `#/$defs/run-provenance.schema.json...` -> the family whose own doc describes it, if any. */
function embeddedFamily(ref, familyNames) {
  const m = /^#\/\$defs\/([^/]+)\.schema\.json(\/.*)?$/.exec(ref);
  if (!m || !familyNames.has(m[1])) return undefined;
  return { family: m[1], pointer: m[2] ?? "" };
}

function typeOf(s, resolve, familyNames) {
  if (s === true || s === undefined) return "any";
  if (s === false) return "never";
  if (s.$ref) {
    const emb = embeddedFamily(s.$ref, familyNames);
    if (emb) {
      const target = resolve(s.$ref);
      const label = emb.pointer === "" ? (target?.title ?? emb.family) : (target?.title ?? emb.pointer.split("/").pop());
      return `[${label}](${emb.family}.md)`;
    }
    const target = resolve(s.$ref);
    const label = target?.title ?? s.$ref.split("/").pop();
    if (isBlockDef(target)) return `${label} (object, below)`;
    const inner = target ? typeOf(target, resolve, familyNames) : "any";
    return target?.title ? `${label} (${inner})` : inner;
  }
  if ("const" in s) return `const ${short(s.const)}`;
  if (Array.isArray(s.enum)) return "enum";
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) return (s.anyOf ?? s.oneOf).map((x) => typeOf(x, resolve, familyNames)).join(" or ");
  let t = Array.isArray(s.type) ? s.type.join(" or ") : s.type;
  if (t === "array" && s.items) t = `array of ${typeOf(s.items, resolve, familyNames)}`;
  if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
    t = `object of ${typeOf(s.additionalProperties, resolve, familyNames)}`;
  }
  if (!t && Array.isArray(s.allOf)) return s.allOf.map((x) => typeOf(x, resolve, familyNames)).join(" and ");
  return t ?? "any";
}

function constraints(s, resolve) {
  if (!s || typeof s !== "object") return "";
  const target = s.$ref && !s.$ref.includes(".schema.json") ? resolve(s.$ref) : undefined;
  const parts = [];
  const src = { ...(target && typeof target === "object" ? target : {}), ...s };
  if (Array.isArray(src.enum)) parts.push(src.enum.map((v) => code(JSON.stringify(v))).join(", "));
  if ("const" in src) parts.push(code(JSON.stringify(src.const)));
  if (typeof src.pattern === "string") parts.push(`pattern ${code(src.pattern)}`);
  for (const [k, label] of [
    ["minimum", ">="],
    ["exclusiveMinimum", ">"],
    ["maximum", "<="],
    ["exclusiveMaximum", "<"],
  ]) {
    if (typeof src[k] === "number") parts.push(`${label} ${src[k]}`);
  }
  for (const k of ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]) {
    if (typeof src[k] === "number") parts.push(`${k} ${src[k]}`);
  }
  if (src.uniqueItems === true) parts.push("unique items");
  if (src.items && typeof src.items === "object" && Array.isArray(src.items.enum)) {
    parts.push(`items: ${src.items.enum.map((v) => code(JSON.stringify(v))).join(", ")}`);
  }
  return parts.join("; ");
}

function describeCondition(cond) {
  if (!cond || typeof cond !== "object") return "a condition holds";
  const parts = [];
  for (const [k, v] of Object.entries(cond.properties ?? {})) {
    if (v && typeof v === "object" && "const" in v) parts.push(`${k} = ${JSON.stringify(v.const)}`);
    else if (v && typeof v === "object" && Array.isArray(v.enum)) parts.push(`${k} in ${JSON.stringify(v.enum)}`);
    else parts.push(`${k} matches ${short(v, 40)}`);
  }
  if (Array.isArray(cond.required) && parts.length === 0) parts.push(`${cond.required.join(", ")} present`);
  if (parts.length === 0) return `${short(cond, 60)} holds`;
  return parts.join(" and ");
}

/** Conditional presence notes for the properties of one object schema: name -> text. */
function conditionals(s) {
  const notes = new Map();
  const add = (name, text) => notes.set(name, notes.has(name) ? `${notes.get(name)}; ${text}` : text);
  const visit = (node) => {
    if (!node || typeof node !== "object") return;
    if (node.if) {
      const cond = describeCondition(node.if);
      for (const r of node.then?.required ?? []) add(r, `required when ${cond}`);
      for (const r of node.else?.required ?? []) add(r, `required unless ${cond}`);
      for (const [k, v] of Object.entries(node.then?.properties ?? {})) if (v === false) add(k, `absent when ${cond}`);
      for (const [k, v] of Object.entries(node.else?.properties ?? {})) if (v === false) add(k, `absent unless ${cond}`);
    }
    for (const [k, list] of Object.entries(node.dependentRequired ?? {})) for (const r of list) add(r, `required with ${k}`);
    for (const sub of node.allOf ?? []) visit(sub);
  };
  visit(s);
  return notes;
}

function exampleAt(doc, segments) {
  let node = doc;
  for (const seg of segments) {
    if (node === undefined || node === null) return undefined;
    if (seg === "[]") node = Array.isArray(node) ? node[0] : undefined;
    else if (seg === "*") node = typeof node === "object" && !Array.isArray(node) ? Object.values(node)[0] : undefined;
    else node = typeof node === "object" && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : undefined;
  }
  return node;
}

function propertyRows(schema, resolve, familyNames, example) {
  const rows = [];
  const seen = new Set();
  const walk = (s, prefix, segments, depth) => {
    if (!s || typeof s !== "object" || depth > 6) return;
    if (s.$ref) {
      if (embeddedFamily(s.$ref, familyNames) || seen.has(s.$ref) || isBlockDef(resolve(s.$ref))) return;
      seen.add(s.$ref);
      walk(resolve(s.$ref), prefix, segments, depth);
      seen.delete(s.$ref);
      return;
    }
    const required = new Set(s.required ?? []);
    const cond = conditionals(s);
    for (const [name, sub] of Object.entries(s.properties ?? {})) {
      if (sub === false) continue;
      const p = prefix ? `${prefix}.${name}` : name;
      const presence = required.has(name) ? "required" : cond.has(name) ? `conditional: ${cond.get(name)}` : "optional";
      const ex = example === undefined ? undefined : exampleAt(example, [...segments, name]);
      rows.push({
        path: p,
        type: typeOf(sub, resolve, familyNames),
        presence,
        allowed: constraints(sub, resolve),
        description: sub?.description ?? (sub?.$ref ? (resolve(sub.$ref)?.description ?? "") : ""),
        example: ex === undefined ? "" : code(short(ex)),
      });
      const target = sub?.$ref && !embeddedFamily(sub.$ref, familyNames) ? resolve(sub.$ref) : sub;
      if (target && typeof target === "object") {
        if (target.properties) walk(sub, p, [...segments, name], depth + 1);
        else if (target.items && typeof target.items === "object") {
          const it = target.items.$ref && !embeddedFamily(target.items.$ref, familyNames) ? resolve(target.items.$ref) : target.items;
          if (it?.properties) walk(target.items, `${p}[]`, [...segments, name, "[]"], depth + 1);
        } else if (target.additionalProperties && typeof target.additionalProperties === "object") {
          const ap = target.additionalProperties;
          const at = ap.$ref && !embeddedFamily(ap.$ref, familyNames) ? resolve(ap.$ref) : ap;
          if (at?.properties) walk(ap, `${p}.*`, [...segments, name, "*"], depth + 1);
        }
      }
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object" && Object.keys(s.additionalProperties).length > 0) {
      const ap = s.additionalProperties;
      rows.push({
        path: prefix ? `${prefix}.*` : "*",
        type: typeOf(ap, resolve, familyNames),
        presence: "optional (any other key)",
        allowed: constraints(ap, resolve),
        description: ap.description ?? "",
        example: "",
      });
    }
    for (const sub of s.allOf ?? []) {
      if (sub && typeof sub === "object" && sub.properties && !sub.if) walk(sub, prefix, segments, depth);
    }
    // Properties that only a then/else branch declares (allowed only under a condition).
    const declared = new Set(Object.keys(s.properties ?? {}));
    const branches = [];
    const collect = (node) => {
      if (!node || typeof node !== "object") return;
      if (node.if) {
        const cond = describeCondition(node.if);
        if (node.then) branches.push([node.then, `when ${cond}`]);
        if (node.else) branches.push([node.else, `unless ${cond}`]);
      }
      for (const sub of node.allOf ?? []) collect(sub);
    };
    collect(s);
    const extra = new Map();
    for (const [branch, when] of branches) {
      for (const [name, sub] of Object.entries(branch.properties ?? {})) {
        if (declared.has(name) || sub === false) continue;
        const req = (branch.required ?? []).includes(name);
        const note = `${req ? "required" : "allowed"} ${when}`;
        const prev = extra.get(name);
        extra.set(name, prev ? { sub: prev.sub, note: `${prev.note}; ${note}` } : { sub, note });
      }
    }
    for (const [name, { sub, note }] of extra) {
      const p = prefix ? `${prefix}.${name}` : name;
      const ex = example === undefined ? undefined : exampleAt(example, [...segments, name]);
      rows.push({
        path: p,
        type: typeOf(sub, resolve, familyNames),
        presence: `conditional: ${note}`,
        allowed: constraints(sub, resolve),
        description: sub?.description ?? "",
        example: ex === undefined ? "" : code(short(ex)),
      });
    }
  };
  walk(schema, "", [], 0);
  return rows;
}

/** A variant's run_provenance definition: the shared block (allOf) refined with its emitters' names. */
function isBlockDef(node) {
  return !!node && Array.isArray(node.allOf) && node.allOf.some((x) => x && x.$ref === "#/$defs/run-provenance.schema.json");
}

const anchor = (text) => text.toLowerCase().replace(/[^a-z0-9 _-]+/g, "").trim().replace(/ /g, "-");

/** A minimal value of each form, for the skeleton of the block an emitter writes. */
function skeletonValue(schema, resolve) {
  const alt = (s) => {
    const t = s?.$ref ? resolve(s.$ref) : s;
    if (t?.title === "path descriptor") return { exists: true, kind: "file", path: "<path>", sha256: "<sha256 of the file>" };
    if (t?.type === "array") return [skeletonValue(t.items, resolve)];
    const ty = Array.isArray(t?.type) ? t.type[0] : t?.type;
    return ty === "null" ? null : ty === "string" ? "<string>" : "<value>";
  };
  if (Array.isArray(schema?.anyOf)) return alt(schema.anyOf[0]);
  return alt(schema);
}

/** "## run_provenance" of one variant: the emitters, and what they write into args, inputs and outputs. */
function blockSection(variantName, family, schema, bundle, resolve, familyNames, blocks) {
  const pins = blocks.blockPinsOf(schema, bundle.$id, blocks.resolverOf(new Map([[bundle.$id, bundle]])));
  if (!pins.entrypointPattern && Object.keys(pins.sections).length === 0) return [];
  const out = [];
  const rpRef = schema?.properties?.run_provenance?.$ref;
  const def = rpRef ? resolve(rpRef) : undefined;
  out.push(`### run_provenance of ${variantName}
`);
  if (def?.description) out.push(`${def.description}
`);
  const scripts = (pins.emitters ?? []).map(code);
  out.push(`- Emitters (the basename of \`entrypoint.path\`; another script is an \`inconsistent\` error): ${scripts.length ? scripts.join(", ") : code(pins.entrypointPattern ?? "any")}.`);
  for (const section of ["inputs", "outputs"]) {
    if (!pins.sections[section]) continue;
    const always = pins.requiredSections.includes(section);
    const by = pins.conditions.filter((c) => c.requiredSections.includes(section)).flatMap((c) => c.emitters.map(code));
    out.push(`- \`${section}\`: ${always ? "always written" : by.length ? `written by ${by.join(", ")}` : "not always written"}.`);
  }
  out.push(`- A name outside the tables below is an \`unknown-key\` warning: the emitter may be newer than this contract.`);
  if (pins.conditions.length) {
    for (const c of pins.conditions) {
      const parts = Object.entries(c.required).map(([sec, names]) => `${sec} ${names.map(code).join(", ")}`);
      out.push(`- ${c.emitters.map(code).join(", ")} also always write${c.emitters.length === 1 ? "s" : ""} ${parts.join("; ")}.`);
    }
  }
  out.push("");
  const condNote = (section, name) => {
    const who = pins.conditions.filter((c) => (c.required[section] ?? []).includes(name)).flatMap((c) => c.emitters.map(code));
    return who.length ? `required from ${who.join(", ")}` : "optional";
  };
  for (const section of ["args", "inputs", "outputs"]) {
    const pin = pins.sections[section];
    if (!pin) continue;
    const rows = [];
    for (const name of pin.known) {
      const sub = pin.schemas.get(name);
      rows.push([code(name), pin.required.includes(name) ? "required" : condNote(section, name), section === "args" ? "" : mdEscape(typeOf(sub, resolve, familyNames)), mdEscape(sub?.description ?? "")]);
    }
    for (const p of pin.patterns) {
      const sub = pin.patternSchemas.get(p);
      rows.push([`names matching ${code(p)}`, "optional", section === "args" ? "" : mdEscape(typeOf(sub, resolve, familyNames)), mdEscape(sub?.description ?? "")]);
    }
    const head = section === "args" ? ["Key", "Presence", "Description"] : ["Name", "Presence", "Value form", "Description"];
    out.push(`\`${section}\`:\n`);
    out.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
    for (const r of rows) out.push(`| ${(section === "args" ? [r[0], r[1], r[3]] : r).join(" | ")} |`);
    out.push("");
  }
  // The least an emitter writes: every required name, with a placeholder of its form.
  const script = (pins.emitters ?? ["<script>.py"])[0];
  const sk = { args: {}, argv: ["<argument>"], entrypoint: { exists: true, kind: "file", path: script.includes("/") ? `ai/src/${script}` : `ai/scripts/${script}`, sha256: "<sha256 of the script>" } };
  // A closed block of its own whose entrypoint has no digest (quant-parity's hand-rolled block).
  const epProps = def?.properties?.entrypoint?.properties;
  if (def?.additionalProperties === false && epProps && !("sha256" in epProps)) delete sk.entrypoint.sha256;
  const first = pins.conditions.find((c) => c.emitters.includes((pins.emitters ?? [])[0]));
  for (const section of ["args", "inputs", "outputs"]) {
    const pin = pins.sections[section];
    if (!pin) continue;
    const names = [...pin.required, ...((first?.required ?? {})[section] ?? [])];
    const always = pins.requiredSections.includes(section) || (first?.requiredSections ?? []).includes(section);
    if (section !== "args" && (!always || names.length === 0)) continue;
    sk[section] = Object.fromEntries([...new Set(names)].sort().map((n) => [n, section === "args" ? "<value>" : skeletonValue(pin.schemas.get(n), resolve)]));
  }
  sk.schema = "ai-run-provenance-v1";
  const ordered = Object.fromEntries(Object.keys(sk).sort().map((k) => [k, sk[k]]));
  out.push(`What a run of ${code(script)} writes at the least (required names only, placeholder values, keys sorted as the emitters sort them):\n`);
  out.push("```json\n" + JSON.stringify({ run_provenance: ordered }, null, 2) + "\n```\n");
  return out;
}

function table(rows) {
  if (rows.length === 0) return "_No properties listed: see the schema._\n";
  const lines = ["| Property | Type | Presence | Allowed values | Description | Example |", "| --- | --- | --- | --- | --- | --- |"];
  for (const r of rows) {
    lines.push(`| ${code(r.path)} | ${mdEscape(r.type)} | ${mdEscape(r.presence)} | ${mdEscape(r.allowed)} | ${mdEscape(r.description)} | ${mdEscape(r.example)} |`);
  }
  return lines.join("\n") + "\n";
}

function exampleFor(vectors, id, def) {
  for (const g of vectors ?? []) {
    const ref = g.schema?.$ref;
    if (def ? ref === `${id}#/$defs/${def}` : ref === id) {
      const t = g.tests.find((x) => x.valid && x.data && typeof x.data === "object");
      if (t) return t.data;
    }
  }
  return undefined;
}

function docFor(family, bundle, familyNames, vectors, blocks) {
  const resolve = makeResolver(bundle);
  const id = bundle.$id;
  const variants = variantsOf(bundle);
  const out = [];
  out.push(`<!-- Generated by \`npm run generate\` from schema/v1/${family}.schema.json. Do not edit. -->`);
  out.push(`# ${family}\n`);
  if (bundle.description) out.push(`${bundle.description}\n`);
  out.push(`- Schema \`$id\`: \`${id}\``);
  out.push(`- Self-contained bundle: [\`generated/bundled/${family}.schema.json\`](../../generated/bundled/${family}.schema.json) (also \`runprov schema ${family}\`)`);
  out.push(`- TypeScript type: \`${pascal(family)}\` in \`generated/types/${family}.d.ts\``);
  out.push(`- Conformance vectors: ${vectors ? `[\`corpus-fixtures/conformance/${family}.json\`](../../corpus-fixtures/conformance/${family}.json)` : "none yet"}\n`);
  const sections = variants.length > 0 ? variants : [{ def: "", name: family, description: "" }];
  if (variants.length > 0) {
    out.push(`## Variants\n`);
    out.push("A document is valid when it matches one of these (`$defs` entry in parentheses).\n");
    for (const v of variants) out.push(`- [${v.name}](#variant-${v.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}) (\`${v.def}\`): ${mdEscape(v.description)}`);
    out.push("");
  }
  for (const v of sections) {
    const schema = v.def ? bundle.$defs[v.def] : bundle;
    const example = exampleFor(vectors, id, v.def) ?? (variants.length === 0 ? undefined : undefined);
    out.push(v.def ? `## Variant ${v.name}\n` : `## Document\n`);
    if (v.def && v.description) out.push(`${v.description}\n`);
    if (v.def) out.push(`Schema: \`${id}#/$defs/${v.def}\`${schema?.additionalProperties === false ? "; no other top-level key is allowed" : ""}.\n`);
    else if (schema?.additionalProperties === false) out.push("No other top-level key is allowed.\n");
    out.push(table(propertyRows(schema, resolve, familyNames, example)));
    out.push(...blockSection(v.name, family, schema, bundle, resolve, familyNames, blocks));
    if (example !== undefined) {
      out.push("Example (a valid conformance vector):\n");
      out.push("```json\n" + JSON.stringify(example, null, 2) + "\n```\n");
    } else {
      out.push("_No example yet: this variant has no valid conformance vector._\n");
    }
  }
  const shared = Object.entries(bundle.$defs ?? {}).filter(
    ([k, d]) => !k.endsWith(".schema.json") && !variants.some((v) => v.def === k) && d && typeof d === "object" && !isBlockDef(d),
  );
  if (shared.length > 0) {
    out.push(`## Shared definitions\n`);
    for (const [k, d] of shared) {
      out.push(`### ${k}\n`);
      if (d.description) out.push(`${d.description}\n`);
      const rows = propertyRows(d, resolve, familyNames, undefined);
      if (rows.length > 0) out.push(table(rows));
      else out.push(`Type: ${mdEscape(typeOf(d, resolve, familyNames))}${constraints(d, resolve) ? `; ${mdEscape(constraints(d, resolve))}` : ""}.\n`);
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

function docIndex(families, bundles) {
  const out = ["<!-- Generated by `npm run generate`. Do not edit. -->", "# Schema reference\n"];
  out.push("One page per artifact family, generated from `schema/v1/`. Each page lists every property with its type, whether it is required, conditional or optional, its allowed values, its description and an example taken from the conformance vectors; and, per variant, the `run_provenance` block its emitters write (the scripts, the `args` keys, the `inputs` and `outputs` names with their value forms, and the least block a run writes).\n");
  out.push("| Family | Variants | Description |", "| --- | --- | --- |");
  for (const f of families) {
    const b = bundles.get(f);
    const vs = variantsOf(b).map((v) => v.name);
    out.push(`| [${f}](${f}.md) | ${mdEscape(vs.join(", ") || "-")} | ${mdEscape(b.description ?? "")} |`);
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------

/** Every generated file: project-relative path -> content. */
export async function generateAll(root = ROOT) {
  const bundler = await loadBundler(root);
  const blocks = await loadDist(root, "validate/block");
  const { compile } = await import("json-schema-to-typescript");
  const set = bundler.loadSchemaSet(path.join(root, "schema/v1"));
  const files = bundler.familyFiles(set);
  const families = files.map((f) => bundler.familyOfFile(f)).sort();
  const familyNames = new Set(families);
  const bundles = new Map();
  const out = new Map();
  for (const family of families) {
    const bundle = bundler.bundleFamily(family, set);
    bundles.set(family, bundle);
    out.set(`generated/bundled/${family}.schema.json`, bundler.bundleText(bundle));
  }
  // Vectors: variant name -> def from each schema's own $defs titles.
  const famInfo = new Map(
    families.map((f) => [f, { schemaFile: `${f}.schema.json`, variants: variantsOf(bundles.get(f)).map((v) => ({ name: v.name, def: v.def })) }]),
  );
  const standardBlock = (family, def) => {
    const bundle = bundles.get(family);
    const resolve = makeResolver(bundle);
    let node = def ? bundle.$defs?.[def] : bundle;
    for (let i = 0; node && node.$ref && i < 10; i++) node = resolve(node.$ref);
    // The shared block itself, or a variant's block that refines it (allOf the shared block).
    const isShared = (n) => n?.$ref === "#/$defs/run-provenance.schema.json" || (Array.isArray(n?.allOf) && n.allOf.some(isShared));
    let rp = node?.properties?.run_provenance;
    for (let i = 0; rp && i < 10; i++) {
      if (isShared(rp)) return true;
      if (!rp.$ref) return false;
      rp = resolve(rp.$ref);
    }
    return false;
  };
  // The emitters a variant's block pins (entrypoint basenames), for the entrypoint vectors.
  const pinnedEmitters = (family, def) => {
    const bundle = bundles.get(family);
    const node = def ? bundle.$defs?.[def] : bundle;
    return blocks.blockPinsOf(node, bundle.$id, blocks.resolverOf(new Map([[bundle.$id, bundle]]))).emitters;
  };
  const vectors = buildVectors(root, famInfo, standardBlock, pinnedEmitters);
  for (const [family, groups] of vectors) out.set(`corpus-fixtures/conformance/${family}.json`, vectorText(groups));

  const sharedBundles = new Map(SHARED_MODULES.map((m) => [m, bundles.get(m) ?? bundler.bundleSchema(set, set.idByFile.get(`${m}.schema.json`))]));
  const shared = sharedShapes(sharedBundles, familyNames);
  const typeTexts = new Map();
  const index = ["/* Generated by `npm run generate`. Do not edit. */", ""];
  for (const family of families) {
    typeTexts.set(family, await typesFor(family, bundles.get(family), compile, shared));
    index.push(`export type { ${pascal(family)} } from "./${family}.js";`);
  }
  for (const m of SHARED_MODULES) if (!familyNames.has(m)) typeTexts.set(m, await definitionsTypes(m, shared, compile));
  checkExports(shared, typeTexts);
  for (const [m, text] of [...typeTexts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.set(`generated/types/${m}.d.ts`, text);
  index.push("");
  for (const family of families) index.push(`export type * as ${pascal(family)}Types from "./${family}.js";`);
  out.set("generated/types/index.d.ts", index.join("\n") + "\n");

  for (const family of families) out.set(`docs/reference/${family}.md`, docFor(family, bundles.get(family), familyNames, vectors.get(family), blocks));
  out.set("docs/reference/README.md", docIndex(families, bundles));
  return out;
}

/** Differences between the generated set and the files on disk: list of project-relative paths. */
export function staleFiles(root, expected) {
  const stale = [];
  for (const [rel, content] of expected) {
    const abs = path.join(root, rel);
    if (!existsSync(abs) || readFileSync(abs, "utf8") !== content) stale.push(rel);
  }
  for (const { dir, match } of OWNED) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs)) {
      const rel = `${dir}/${name}`;
      if (match(name) && !expected.has(rel)) stale.push(rel);
    }
  }
  return stale.sort();
}

async function main() {
  const check = process.argv.includes("--check");
  const t0 = Date.now();
  const expected = await generateAll(ROOT);
  if (check) {
    const stale = staleFiles(ROOT, expected);
    if (stale.length > 0) {
      for (const rel of stale) {
        const msg = `${rel} is stale: run \`npm run generate\` and commit the result`;
        if (process.env.GITHUB_ACTIONS) console.log(`::error file=${rel}::${msg}`);
        console.error(msg);
      }
      process.exit(1);
    }
    console.log(`generated files are up to date (${expected.size} files, ${Date.now() - t0} ms)`);
    return;
  }
  for (const { dir, match } of OWNED) {
    const abs = path.join(ROOT, dir);
    mkdirSync(abs, { recursive: true });
    for (const name of readdirSync(abs)) if (match(name) && !expected.has(`${dir}/${name}`)) rmSync(path.join(abs, name));
  }
  let written = 0;
  for (const [rel, content] of expected) {
    const abs = path.join(ROOT, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    if (!existsSync(abs) || readFileSync(abs, "utf8") !== content) {
      writeFileSync(abs, content);
      written++;
    }
  }
  console.log(`generate: ${expected.size} files, ${written} changed (${Date.now() - t0} ms)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`generate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
