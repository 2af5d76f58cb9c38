#!/usr/bin/env node
/**
 * Build step: precompile every schema variant into standalone Ajv validator modules
 * (dist/validators/<version>/<schema file>.js), so that `runprov` starts without generating
 * validator code at run time (Ajv's compile of one family costs ~300 ms; loading the
 * precompiled module, ~30 ms). `manifest.json` records a digest of the schema sources; the
 * validator falls back to compiling at run time when the sources changed since the build.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import standaloneCode from "ajv/dist/standalone/index.js";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { readSchemaFiles, schemaSourceDigest, SCHEMA_MAJOR_VERSIONS, exportName } = await import(
  path.join(project, "dist", "validate", "schemas.js")
);
const { createAjv } = await import(path.join(project, "dist", "validate", "ajv.js"));

for (const version of SCHEMA_MAJOR_VERSIONS) {
  const outDir = path.join(project, "dist", "validators", version);
  mkdirSync(outDir, { recursive: true });
  const ajv = createAjv({ code: { source: true, esm: true } });
  const files = readSchemaFiles(version);
  for (const schema of files.values()) ajv.addSchema(schema);
  const manifest = { digest: schemaSourceDigest(version), files: {} };
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
