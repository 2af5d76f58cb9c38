/**
 * docs/reference/: one page per family (every property with its type, presence, allowed values,
 * description and an example from the conformance vectors; per variant the run_provenance block its
 * emitters write) and the index page.
 */
import { makeResolver, pascal, variantsOf } from "./common.mjs";

const mdEscape = (s) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const code = (s) => "`" + String(s).replace(/`/g, "'") + "`";

function short(value, max = 48) {
  const s = JSON.stringify(value);
  if (s === undefined) return "";
  return s.length > max ? s.slice(0, max - 1) + "\u2026" : s;
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
    const example = exampleFor(vectors, id, v.def);
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

/**
 * Every file of docs/reference/.
 * @param {string[]} families family names, sorted
 * @param {Map<string, object>} bundles family -> bundle
 * @param {Map<string, object[]>} vectors family -> conformance vector groups (examples)
 * @param {object} blocks dist/validate/block.js
 * @returns {Map<string, string>} project-relative path -> content
 */
export function generateReference(families, bundles, vectors, blocks) {
  const familyNames = new Set(families);
  const out = new Map();
  for (const family of families) out.set(`docs/reference/${family}.md`, docFor(family, bundles.get(family), familyNames, vectors.get(family), blocks));
  out.set("docs/reference/README.md", docIndex(families, bundles));
  return out;
}
