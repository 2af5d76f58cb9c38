/**
 * docs/reference/: one page per family (every property with its type, presence, allowed values,
 * description and an example from the conformance vectors; per variant the run_provenance block its
 * emitters write) and the index page.
 */
import { makeResolver, pascal, variantsOf } from "./common.mjs";
import { code, constraints, isBlockDef, mdEscape, propertyRows, table, typeOf } from "./reference-properties.mjs";

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
  if (def?.description)
    out.push(`${def.description}
`);
  const scripts = (pins.emitters ?? []).map(code);
  out.push(
    `- Emitters (the basename of \`entrypoint.path\`; another script is an \`inconsistent\` error): ${scripts.length ? scripts.join(", ") : code(pins.entrypointPattern ?? "any")}.`,
  );
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
      rows.push([
        code(name),
        pin.required.includes(name) ? "required" : condNote(section, name),
        section === "args" ? "" : mdEscape(typeOf(sub, resolve, familyNames)),
        mdEscape(sub?.description ?? ""),
      ]);
    }
    for (const p of pin.patterns) {
      const sub = pin.patternSchemas.get(p);
      rows.push([
        `names matching ${code(p)}`,
        "optional",
        section === "args" ? "" : mdEscape(typeOf(sub, resolve, familyNames)),
        mdEscape(sub?.description ?? ""),
      ]);
    }
    const head = section === "args" ? ["Key", "Presence", "Description"] : ["Name", "Presence", "Value form", "Description"];
    out.push(`\`${section}\`:\n`);
    out.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
    for (const r of rows) out.push(`| ${(section === "args" ? [r[0], r[1], r[3]] : r).join(" | ")} |`);
    out.push("");
  }
  // The least an emitter writes: every required name, with a placeholder of its form.
  const script = (pins.emitters ?? ["<script>.py"])[0];
  const sk = {
    args: {},
    argv: ["<argument>"],
    entrypoint: { exists: true, kind: "file", path: script.includes("/") ? `ai/src/${script}` : `ai/scripts/${script}`, sha256: "<sha256 of the script>" },
  };
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
  const ordered = Object.fromEntries(
    Object.keys(sk)
      .sort()
      .map((k) => [k, sk[k]]),
  );
  out.push(`What a run of ${code(script)} writes at the least (required names only, placeholder values, keys sorted as the emitters sort them):\n`);
  out.push("```json\n" + JSON.stringify({ run_provenance: ordered }, null, 2) + "\n```\n");
  return out;
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
  out.push(
    `- Self-contained bundle: [\`generated/bundled/${family}.schema.json\`](../../generated/bundled/${family}.schema.json) (also \`runprov schema ${family}\`)`,
  );
  out.push(`- TypeScript type: \`${pascal(family)}\` in \`generated/types/${family}.d.ts\``);
  out.push(
    `- Conformance vectors: ${vectors ? `[\`corpus-fixtures/conformance/${family}.json\`](../../corpus-fixtures/conformance/${family}.json)` : "none yet"}\n`,
  );
  const sections = variants.length > 0 ? variants : [{ def: "", name: family, description: "" }];
  if (variants.length > 0) {
    out.push(`## Variants\n`);
    out.push("A document is valid when it matches one of these (`$defs` entry in parentheses).\n");
    for (const v of variants)
      out.push(`- [${v.name}](#variant-${v.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}) (\`${v.def}\`): ${mdEscape(v.description)}`);
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
  return (
    out
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n"
  );
}

function docIndex(families, bundles) {
  const out = ["<!-- Generated by `npm run generate`. Do not edit. -->", "# Schema reference\n"];
  out.push(
    "One page per artifact family, generated from `schema/v1/`. Each page lists every property with its type, whether it is required, conditional or optional, its allowed values, its description and an example taken from the conformance vectors; and, per variant, the `run_provenance` block its emitters write (the scripts, the `args` keys, the `inputs` and `outputs` names with their value forms, and the least block a run writes).\n",
  );
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
