#!/usr/bin/env node
/**
 * Build step: precompile every schema variant into a standalone Ajv validator module of its own
 * (dist/validators/<version>/<schema file>/<export>.js: `root`, and `def_<name>` for each
 * variant the schema's root lists), so that `runprov` starts without generating validator code
 * at run time (Ajv's compile of one family costs ~300 ms) and loads only the variant a document
 * needs (a pre-commit run on one sidecar parses one variant's code, not all eleven).
 * `manifest.json` records a digest of the schema sources and the modules written; the
 * validator falls back to compiling at run time when the sources changed since the build, or for
 * a definition that is not a variant.
 *
 * Nothing is rewritten when the validators are current: `build` in the manifest is a digest of
 * everything the generated code depends on (the schemas, the compiled Ajv set-up, this script,
 * Ajv's version), so a repeated build (`npm ci` then `npm test`, or pre-commit's install then
 * pack) costs a few milliseconds here.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import standaloneCode from "ajv/dist/standalone/index.js";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { readSchemaFiles, schemaSourceDigest, SCHEMA_MAJOR_VERSIONS, exportName, moduleDir, FIRST_ERROR_SUFFIX } = await import(
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
    const exists = (f, n) =>
      existsSync(path.join(outDir, moduleDir(f), `${n}.js`)) && existsSync(path.join(outDir, moduleDir(f), `${n}${FIRST_ERROR_SUFFIX}.js`));
    return manifest.build === key && Object.entries(manifest.files).every(([f, names]) => names.every((n) => exists(f, n)));
  } catch {
    return false;
  }
}

/** The root and the variants a schema's root lists (`anyOf`/`oneOf` of local `$defs` references). */
function exportedDefs(schema) {
  const alternatives = schema.anyOf ?? schema.oneOf ?? [];
  const variants = alternatives.map((a) => /^#\/\$defs\/([^/]+)$/.exec(a?.$ref ?? "")?.[1]).filter((d) => d !== undefined && schema.$defs?.[d]);
  return ["", ...variants];
}

for (const version of SCHEMA_MAJOR_VERSIONS) {
  const outDir = path.join(project, "dist", "validators", version);
  const key = buildKey(version);
  if (current(outDir, key)) continue;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Two flavours per variant: every error (what reports show), and the first error only (for
  // documents too large to collect every error of: see SchemaStore.get).
  const flavours = [
    { suffix: "", ajv: createAjv({ code: { source: true, esm: true } }) },
    { suffix: FIRST_ERROR_SUFFIX, ajv: createAjv({ code: { source: true, esm: true }, allErrors: false }) },
  ];
  const files = readSchemaFiles(version);
  for (const schema of files.values()) for (const f of flavours) f.ajv.addSchema(schema);
  const manifest = { digest: schemaSourceDigest(version), build: key, files: {} };
  for (const [file, schema] of files) {
    const dir = path.join(outDir, moduleDir(file));
    mkdirSync(dir, { recursive: true });
    const exported = [];
    for (const def of exportedDefs(schema)) {
      const name = exportName(def);
      const ref = def ? `${schema.$id}#/$defs/${def}` : schema.$id;
      for (const f of flavours) {
        // Ajv's ESM output still require()s its small runtime helpers (equal, ucs2length): give
        // the module a require of its own.
        const code = `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${standaloneCode.default(f.ajv, { validate: ref })}`;
        writeFileSync(path.join(dir, `${name}${f.suffix}.js`), code);
      }
      exported.push(name);
    }
    manifest.files[file] = exported;
  }
  writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
}
