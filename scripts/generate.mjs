#!/usr/bin/env node
/**
 * `npm run generate`: everything derived from `schema/v1/` (and the golden fixtures), one
 * generator per kind of output in scripts/generate/:
 *
 *   bundles.mjs    generated/bundled/<family>.schema.json   one self-contained schema per family (src/schema/bundle.ts)
 *   catalog.mjs    src/families/catalog.generated.ts       families and variants as the schemas declare them
 *   types.mjs      generated/types/<family>.d.ts, index.d.ts TypeScript types (json-schema-to-typescript)
 *   vectors.mjs    corpus-fixtures/conformance/<family>.json conformance vectors (vectors-handwritten.mjs:
 *                                                            the block's and the envelope's own)
 *   reference.mjs  docs/reference/<family>.md, README.md     reference docs (examples from the vectors;
 *                                                            reference-properties.mjs: the property tables)
 *   contract.mjs   docs/contract.md (the family table only)  the families and variants the contract pins
 *
 * `node scripts/generate.mjs --check` writes nothing and exits 1 when any of those files is
 * stale, missing or unexpected (the CI drift check; test/generated.test.ts runs the same check).
 * Deterministic: the same inputs give byte-identical outputs.
 *
 * The bundler and the block reader are the ones the CLI uses, imported from dist/; when dist/ is
 * missing or older than its source, this script builds it first.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateBundles } from "./generate/bundles.mjs";
import { buildCatalog, generateCatalog } from "./generate/catalog.mjs";
import { loadDist, ROOT } from "./generate/common.mjs";
import { generateContract } from "./generate/contract.mjs";
import { generateReference } from "./generate/reference.mjs";
import { generateTypes } from "./generate/types.mjs";
import { generateVectors } from "./generate/vectors.mjs";

export { ROOT };

/** Folders whose content is entirely generated, with the file names they own. */
const OWNED = [
  { dir: "generated/bundled", match: (n) => n.endsWith(".schema.json") },
  { dir: "generated/types", match: (n) => n.endsWith(".d.ts") },
  { dir: "docs/reference", match: (n) => n.endsWith(".md") },
  { dir: "corpus-fixtures/conformance", match: (n) => n.endsWith(".json") },
];

/** Every generated file: project-relative path -> content. */
export async function generateAll(root = ROOT) {
  const bundler = await loadDist(root, "schema/bundle");
  const blocks = await loadDist(root, "validate/block");
  const { set, families, bundles, files: bundleFiles } = generateBundles(root, bundler);
  const { vectors, files: vectorFiles } = generateVectors(root, families, bundles, blocks);
  const sharedBundle = (m) => bundler.bundleSchema(set, set.idByFile.get(`${m}.schema.json`));
  const catalog = buildCatalog(families, bundles, blocks);
  // The pinned variant names are the schema's titles, but for a schema without variants whose module names its one variant.
  const { FAMILIES } = await loadDist(root, "families/index");
  const variantNames = (f) => FAMILIES.find((x) => x.name === f)?.variants.map((v) => v.name) ?? catalog[f].variants.map((v) => v.name);
  return new Map([
    ...bundleFiles,
    ...generateCatalog(families, bundles, blocks, catalog),
    ...generateContract(root, catalog, variantNames),
    ...vectorFiles,
    ...(await generateTypes(families, bundles, sharedBundle)),
    ...generateReference(families, bundles, vectors, blocks),
  ]);
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
