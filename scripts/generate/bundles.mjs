/**
 * generated/bundled/: one self-contained schema per family, every `$ref` bundled, made by the
 * bundler the CLI uses (`runprov schema FAMILY`, src/schema/bundle.ts).
 */
import path from "node:path";

/**
 * The schema set of `schema/v1/`, its families and their bundles.
 * @param {string} root project root
 * @param {object} bundler dist/schema/bundle.js
 * @returns {{ set: object, families: string[], bundles: Map<string, object>, files: Map<string, string> }}
 *   `files`: project-relative path -> content of each bundle
 */
export function generateBundles(root, bundler) {
  const set = bundler.loadSchemaSet(path.join(root, "schema/v1"));
  const families = bundler
    .familyFiles(set)
    .map((f) => bundler.familyOfFile(f))
    .sort();
  const bundles = new Map();
  const files = new Map();
  for (const family of families) {
    const bundle = bundler.bundleFamily(family, set);
    bundles.set(family, bundle);
    files.set(`generated/bundled/${family}.schema.json`, bundler.bundleText(bundle));
  }
  return { set, families, bundles, files };
}
