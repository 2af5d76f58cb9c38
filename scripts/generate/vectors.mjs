/**
 * Conformance vectors (JSON-Schema-Test-Suite format) for `corpus-fixtures/conformance/`.
 *
 * Two sources, both deterministic:
 * 1. hand-written vectors for the block (`run-provenance`) and the envelope (`run-manifest`),
 *    in vectors-handwritten.mjs;
 * 2. vectors harvested from the golden fixtures (`corpus-fixtures/<family>/<case>/`): every
 *    artifact the case expects to pass the schema (valid, or invalid for non-schema reasons
 *    only) is a valid vector; every artifact expected to fail with a `schema` diagnostic is an
 *    invalid vector. Each harvested valid document also yields two invalid vectors with a
 *    broken block (the block's rules are final, so they are invalid by construction).
 *    Documents whose case expects a parse error or a duplicate key are left out; in documents
 *    with bare NaN/Infinity (the emitters' dialect) those tokens become 0, so that the vector is
 *    strict JSON and still exercises the same schema paths (the dialect itself is tested by the
 *    CLI's own tests).
 *
 * Expectations never come from a validator: they come from the block rules written here or
 * from the fixture author's case.json.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { makeResolver, variantsOf } from "./common.mjs";
import { BASE, blockGroups, manifestGroups } from "./vectors-handwritten.mjs";

function listDirs(dirPath) {
  if (!existsSync(dirPath)) return [];
  return readdirSync(dirPath)
    .filter((n) => !n.startsWith(".") && !n.startsWith("_") && statSync(path.join(dirPath, n)).isDirectory())
    .sort();
}

function strictParse(text) {
  // JSON.parse rejects NaN/Infinity tokens: exactly the strict-JSON rule of the vectors.
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, "")), replaced: false };
  } catch {
    // The emitters write bare NaN/Infinity where a metric is undefined. Such a document becomes a
    // vector with every one of those tokens replaced by 0 (a number for the schema, like NaN).
    const swapped = text.replace(/("(?:[^"\\]|\\.)*")|-?\b(?:NaN|Infinity)\b/g, (m, str) => (str ? str : "0"));
    try {
      return { ok: true, value: JSON.parse(swapped.replace(/^\uFEFF/, "")), replaced: swapped !== text };
    } catch {
      return { ok: false };
    }
  }
}

const SKIP_CODES = new Set(["parse-error", "duplicate-key", "unknown-family"]);

/** What each folder of a `block-<variant>` case changes in the valid artifact's block (corpus-fixtures/_lib/block_mutants.py). */
const BLOCK_MUTATIONS = {
  "entrypoint-swapped": "with its entrypoint naming another script",
  "args-key-deleted": "without an args key its emitters always record",
  "args-key-renamed": "with an args key its emitters always record renamed",
  "inputs-key-renamed": "with an input name renamed",
  "outputs-key-renamed": "with an output name renamed",
  "inputs-deleted": "without inputs",
  "args-new-flag": "with an args key from a newer emitter",
};

/**
 * The behaviour a harvested document pins, in words: the golden case's description, or for a
 * `block-<variant>` case the change its folder makes to the source case's valid artifact.
 */
function subjectOf(spec, caseName, file) {
  if (caseName.startsWith("block-")) {
    const source = /the valid artifact of (\S+) \(/.exec(spec.description ?? "")?.[1] ?? caseName.slice("block-".length);
    const mutation = file.split("/")[0];
    return `the ${source} document ${BLOCK_MUTATIONS[mutation] ?? `changed (${mutation})`}`;
  }
  return String(spec.description ?? caseName)
    .trim()
    .replace(/\.$/, "");
}

/** Descriptions that repeat within a group get the document's name, then a number. */
function uniqueDescriptions(tests) {
  const seen = new Map();
  for (const t of tests) seen.set(t.description, (seen.get(t.description) ?? 0) + 1);
  const used = new Set();
  for (const t of tests) {
    if (seen.get(t.description) === 1) continue;
    let d = `${t.description} [${t.document}]`;
    for (let i = 2; used.has(d); i++) d = `${t.description} [${t.document}] (${i})`;
    used.add(d);
    t.description = d;
  }
  for (const t of tests) delete t.document;
  return tests;
}

/**
 * Harvests vectors from the golden fixtures.
 * @param {string} root project root
 * @param {Map<string, {schemaFile: string, variants: {name: string, def: string}[]}>} families
 * @returns {Map<string, object[]>} family -> groups
 */
function harvest(root, families, standardBlock, pinnedEmitters) {
  const out = new Map();
  const entrypointVectors = new Set();
  const base = path.join(root, "corpus-fixtures");
  for (const famDir of listDirs(base)) {
    if (famDir === "conformance" || famDir === "snapshots" || famDir === "demo") continue;
    for (const caseName of listDirs(path.join(base, famDir))) {
      const caseDir = path.join(base, famDir, caseName);
      const caseFile = path.join(caseDir, "case.json");
      if (!existsSync(caseFile)) continue;
      let spec;
      try {
        spec = JSON.parse(readFileSync(caseFile, "utf8"));
      } catch {
        continue;
      }
      for (const exp of spec.expect ?? []) {
        const fam = families.get(exp.family);
        if (!fam || typeof exp.file !== "string") continue;
        const codes = (exp.diagnostics ?? []).map((d) => d.code);
        if (codes.some((c) => SKIP_CODES.has(c))) continue;
        const docPath = path.join(caseDir, "repo", exp.file);
        if (!existsSync(docPath)) continue;
        const parsed = strictParse(readFileSync(docPath, "utf8"));
        if (!parsed.ok) continue;
        // The case author says so when the schema fails without a `schema` diagnostic (a variant's
        // entrypoint pattern is reported as `inconsistent`); otherwise a `schema` diagnostic is the sign.
        const schemaValid = typeof exp.schemaValid === "boolean" ? exp.schemaValid : !codes.includes("schema");
        const variant = fam.variants.find((v) => v.name === exp.variant);
        const id = `${BASE}${fam.schemaFile}`;
        const ref = variant && variant.def ? `${id}#/$defs/${variant.def}` : id;
        const groupKey = `${exp.family}|${ref}`;
        let groups = out.get(exp.family);
        if (!groups) out.set(exp.family, (groups = new Map()));
        let group = groups.get(groupKey);
        if (!group) {
          group = {
            description: `${exp.family}${variant && variant.def ? ` variant ${variant.name}` : ""}: documents from the golden fixtures`,
            schema: { $ref: ref },
            tests: [],
          };
          groups.set(groupKey, group);
        }
        const subject = `${subjectOf(spec, caseName, exp.file)}${parsed.replaced ? " (NaN and Infinity written as 0)" : ""}`;
        const verdict = (valid) => (valid ? "the schema accepts" : "the schema rejects");
        const document = exp.file.split("/").pop();
        // Vectors keep the order of their documents' places (case, then file), whatever their descriptions say.
        const where = `${famDir}/${caseName}/repo/${exp.file}${parsed.replaced ? " (NaN/Infinity replaced by 0)" : ""}`;
        group.tests.push({
          description: `${verdict(schemaValid)}: ${subject}`,
          data: parsed.value,
          valid: schemaValid,
          document,
          order: `${where}${schemaValid ? "" : " (schema error)"}`,
        });
        if (
          schemaValid &&
          parsed.value &&
          typeof parsed.value === "object" &&
          !Array.isArray(parsed.value) &&
          "run_provenance" in parsed.value &&
          standardBlock(exp.family, variant?.def ?? "")
        ) {
          group.tests.push({
            description: `the schema rejects: ${subject}, with an unknown key added to run_provenance`,
            data: { ...parsed.value, run_provenance: { ...parsed.value.run_provenance, extra_key: 1 } },
            valid: false,
            document,
            order: `${where} with an unknown key in run_provenance`,
          });
          group.tests.push({
            description: `the schema rejects: ${subject}, with run_provenance.entrypoint lacking sha256`,
            document,
            order: `${where} with run_provenance.entrypoint lacking sha256`,
            data: {
              ...parsed.value,
              run_provenance: { ...parsed.value.run_provenance, entrypoint: { exists: true, kind: "file", path: "a.py" } },
            },
            valid: false,
          });
        }
        // Once per variant that pins its emitters: the basename decides, in any folder, and
        // exactly (a longer name or a trailing newline is another script).
        const doc = parsed.value;
        const ep = doc && typeof doc === "object" && !Array.isArray(doc) ? doc.run_provenance?.entrypoint : undefined;
        if (schemaValid && typeof ep?.path === "string" && !entrypointVectors.has(groupKey) && pinnedEmitters(exp.family, variant?.def ?? "")?.length) {
          entrypointVectors.add(groupKey);
          const base = ep.path.split("/").pop();
          const withPath = (p) => ({ ...doc, run_provenance: { ...doc.run_provenance, entrypoint: { ...ep, path: p } } });
          group.tests.push(
            {
              description: `the schema accepts: ${subject}, with its entrypoint under an absolute folder`,
              data: withPath(`/opt/checkout/${ep.path}`),
              valid: true,
              document,
              order: `${where} with its entrypoint under an absolute folder`,
            },
            {
              description: `the schema accepts: ${subject}, with its entrypoint under a Windows folder`,
              data: withPath(`C:\\checkout\\${ep.path.replace(/\//g, "\\")}`),
              valid: true,
              document,
              order: `${where} with its entrypoint under a Windows folder`,
            },
            {
              description: `the schema rejects: ${subject}, with a longer entrypoint basename (another script)`,
              data: withPath(ep.path.replace(/[^/]*$/, `my_${base}`)),
              valid: false,
              document,
              order: `${where} with a longer entrypoint basename (another script)`,
            },
            {
              description: `the schema rejects: ${subject}, with a newline after the entrypoint basename`,
              data: withPath(`${ep.path}\n`),
              valid: false,
              document,
              order: `${where} with a newline after the entrypoint basename`,
            },
          );
        }
      }
    }
  }
  const result = new Map();
  for (const [family, groups] of out) {
    result.set(
      family,
      [...groups.values()]
        .sort((a, b) => a.schema.$ref.localeCompare(b.schema.$ref))
        .map((g) => ({
          ...g,
          tests: uniqueDescriptions(g.tests.sort((a, b) => a.order.localeCompare(b.order))).map(({ order: _order, ...t }) => t),
        })),
    );
  }
  return result;
}

/**
 * Every vector file: family -> array of groups. Families without any vector are left out.
 * @param {string} root
 * @param {Map<string, {schemaFile: string, variants: {name: string, def: string}[]}>} families
 * @param {(family: string, def: string) => boolean} standardBlock whether the variant's
 *   `run_provenance` is the ai-run-provenance-v1 block (mutated-block vectors only then)
 * @param {(family: string, def: string) => string[] | undefined} pinnedEmitters the emitters a
 *   variant's block pins (entrypoint vectors only then)
 */
export function buildVectors(root, families, standardBlock = () => true, pinnedEmitters = () => undefined) {
  const out = new Map();
  out.set("run-provenance", blockGroups());
  out.set("run-manifest", manifestGroups());
  for (const [family, groups] of harvest(root, families, standardBlock, pinnedEmitters)) {
    out.set(family, [...(out.get(family) ?? []), ...groups]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export function vectorText(groups) {
  return JSON.stringify(groups, null, 2) + "\n";
}

/**
 * Every file of corpus-fixtures/conformance/, and the groups by family (the reference docs take
 * their examples from them).
 * @param {string} root project root
 * @param {string[]} families family names
 * @param {Map<string, object>} bundles family -> bundle
 * @param {object} blocks dist/validate/block.js
 * @returns {{ vectors: Map<string, object[]>, files: Map<string, string> }}
 */
export function generateVectors(root, families, bundles, blocks) {
  // Variant name -> def from each schema's own $defs titles.
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
  const files = new Map();
  for (const [family, groups] of vectors) files.set(`corpus-fixtures/conformance/${family}.json`, vectorText(groups));
  return { vectors, files };
}
