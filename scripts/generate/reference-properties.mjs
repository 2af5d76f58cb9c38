/**
 * How a schema reads in the reference docs: the type, constraints and presence of each property,
 * as rows of a Markdown table.
 */

export const mdEscape = (s) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
export const code = (s) => "`" + String(s).replace(/`/g, "'") + "`";

export function short(value, max = 48) {
  const s = JSON.stringify(value);
  if (s === undefined) return "";
  return s.length > max ? s.slice(0, max - 1) + "\u2026" : s;
}

/** `#/$defs/run-provenance.schema.json...` -> the family whose own doc describes it, if any. */
export function embeddedFamily(ref, familyNames) {
  const m = /^#\/\$defs\/([^/]+)\.schema\.json(\/.*)?$/.exec(ref);
  if (!m || !familyNames.has(m[1])) return undefined;
  return { family: m[1], pointer: m[2] ?? "" };
}

export function typeOf(s, resolve, familyNames) {
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

export function constraints(s, resolve) {
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

export function describeCondition(cond) {
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
export function conditionals(s) {
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

export function exampleAt(doc, segments) {
  let node = doc;
  for (const seg of segments) {
    if (node === undefined || node === null) return undefined;
    if (seg === "[]") node = Array.isArray(node) ? node[0] : undefined;
    else if (seg === "*") node = typeof node === "object" && !Array.isArray(node) ? Object.values(node)[0] : undefined;
    else node = typeof node === "object" && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : undefined;
  }
  return node;
}

export function propertyRows(schema, resolve, familyNames, example) {
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
export function isBlockDef(node) {
  return !!node && Array.isArray(node.allOf) && node.allOf.some((x) => x && x.$ref === "#/$defs/run-provenance.schema.json");
}

export function table(rows) {
  if (rows.length === 0) return "_No properties listed: see the schema._\n";
  const lines = ["| Property | Type | Presence | Allowed values | Description | Example |", "| --- | --- | --- | --- | --- | --- |"];
  for (const r of rows) {
    lines.push(
      `| ${code(r.path)} | ${mdEscape(r.type)} | ${mdEscape(r.presence)} | ${mdEscape(r.allowed)} | ${mdEscape(r.description)} | ${mdEscape(r.example)} |`,
    );
  }
  return lines.join("\n") + "\n";
}
