#!/usr/bin/env node
/**
 * Build step: precompile every schema variant into standalone Ajv validator modules
 * (dist/validators/<version>/<schema file>.js), so that `runprov` starts without generating
 * validator code at run time (Ajv's compile of one family costs ~300 ms; loading the
 * precompiled module, ~30 ms). `manifest.json` records a digest of the schema sources; the
 * validator falls back to compiling at run time when the sources changed since the build.
 *
 * Nothing is rewritten when the validators are current: `build` in the manifest is a digest of
 * everything the generated code depends on (the schemas, the compiled Ajv set-up, this script,
 * Ajv's version), so a repeated build (`npm ci` then `npm test`, or pre-commit's install then
 * pack) costs a few milliseconds here.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import standaloneCode from "ajv/dist/standalone/index.js";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { readSchemaFiles, schemaSourceDigest, SCHEMA_MAJOR_VERSIONS, exportName } = await import(
  path.join(project, "dist", "validate", "schemas.js")
);
const { createAjv } = await import(path.join(project, "dist", "validate", "ajv.js"));

function buildKey(version) {
  const h = createHash("sha256");
  h.update(schemaSourceDigest(version)).update("\0");
  h.update(readFileSync(path.join(project, "dist", "validate", "ajv.js"))).update("\0");
  h.update(readFileSync(fileURLToPath(import.meta.url))).update("\0");
  h.update(createRequire(import.meta.url)("ajv/package.json").version);
  return h.digest("hex");
}

function current(outDir, key) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(outDir, "manifest.json"), "utf8"));
    return manifest.build === key && Object.keys(manifest.files).every((f) => existsSync(path.join(outDir, f.replace(/\.json$/, ".js"))));
  } catch {
    return false;
  }
}

for (const version of SCHEMA_MAJOR_VERSIONS) {
  const outDir = path.join(project, "dist", "validators", version);
  const key = buildKey(version);
  if (current(outDir, key)) continue;
  mkdirSync(outDir, { recursive: true });
  const ajv = createAjv({ code: { source: true, esm: true } });
  const files = readSchemaFiles(version);
  for (const schema of files.values()) ajv.addSchema(schema);
  const manifest = { digest: schemaSourceDigest(version), build: key, files: {} };
  for (const [file, schema] of files) {
    const refs = { [exportName("")]: schema.$id };
    for (const def of Object.keys(schema.$defs ?? {})) refs[exportName(def)] = `${schema.$id}#/$defs/${def}`;
    // Ajv's ESM output still require()s its small runtime helpers (equal, ucs2length): give the
    // module a require of its own.
    const code = `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${standaloneCode.default(ajv, refs)}`;
    writeFileSync(path.join(outDir, file.replace(/\.json$/, ".js")), code);
    manifest.files[file] = Object.keys(refs);
  }
  writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
}
