/**
 * What every generator of `npm run generate` shares: the project root, modules of dist/, and the
 * families and variants as the schemas declare them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A module of dist/ (`schema/bundle`), built first when missing or older than its source. */
export async function loadDist(root, name) {
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

/** A resolver of the local `$ref`s (`#/...`) of one bundle. */
export function makeResolver(bundle) {
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
