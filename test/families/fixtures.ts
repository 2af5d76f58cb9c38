/** Shared helpers of the family tests: FileFacts stubs, golden documents, schema validators. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { keyedBy, namedBy } from "../../src/families/evidence.js";
import { NAME_TIERS, type FamilySpec, type FileFacts, type NameTier } from "../../src/families/types.js";
import { isObject, type JsonObject } from "../../src/load/json-value.js";
import { parseJson } from "../../src/load/parse.js";
import { createAjv } from "../../src/validate/ajv.js";
import { readSchemaFiles, schemaId } from "../../src/validate/schemas.js";
import { PROJECT } from "../helpers.js";

/**
 * A FileFacts stub for a path below a repository root. `siblings` answers `siblingExists`:
 * a fixed answer, or the names of the files beside it (default: none).
 */
export function facts(relPath: string, siblings: boolean | readonly string[] = false): FileFacts {
  const siblingExists = typeof siblings === "boolean" ? () => siblings : (name: string) => siblings.includes(name);
  return { relPath, absPath: `/repo/${relPath}`, baseName: path.posix.basename(relPath), siblingExists };
}

/** A JSON object file read with the project's NaN-tolerant parser, or undefined if it is not one. */
function readDocument(file: string): JsonObject | undefined {
  const r = parseJson(readFileSync(file, "utf8"));
  return r.ok && isObject(r.value) ? r.value : undefined;
}

const fixtureDir = (family: string): string => path.join(PROJECT, "corpus-fixtures", family);

/** A document of a golden case, read with the project's NaN-tolerant parser. */
export function fixture(family: string, c: string, rel: string): JsonObject {
  const doc = readDocument(path.join(fixtureDir(family), c, "repo", rel));
  if (!doc) throw new Error(`cannot read ${family}/${c}/${rel}`);
  return doc;
}

interface CaseSpec {
  targets?: string[];
  expect: { file: string; variant: string | null; schemaValid?: boolean; diagnostics: { code: string; pointer: string }[] }[];
}

/** Where a variant's schema pins the script that wrote it: a mismatch is `inconsistent`, but the schema's finding. */
const ENTRYPOINT = "/run_provenance/entrypoint/path";

/** The `inconsistent` pointers a family module's own rules give: one entrypoint finding is the schema's when the case says the schema fails. */
function rulePointers(e: CaseSpec["expect"][number]): string[] {
  const pointers = e.diagnostics.filter((d) => d.code === "inconsistent").map((d) => d.pointer);
  const i = e.schemaValid === false ? pointers.indexOf(ENTRYPOINT) : -1;
  if (i >= 0) pointers.splice(i, 1);
  return pointers.sort();
}

export interface FixtureCase {
  name: string;
  file: string;
  doc: JsonObject;
  variant: string | null;
  inconsistent: string[];
}

/**
 * Every document a golden case of a family expects a result for (corpus-fixtures/<family>/<case>/case.json),
 * with its expected variant and the sorted pointers of the `inconsistent` diagnostics its rules give.
 */
export function fixtureCases(family: string): FixtureCase[] {
  const dir = fixtureDir(family);
  const out: FixtureCase[] = [];
  for (const name of readdirSync(dir).sort()) {
    const caseFile = path.join(dir, name, "case.json");
    if (!existsSync(caseFile)) continue;
    const spec = JSON.parse(readFileSync(caseFile, "utf8")) as CaseSpec;
    for (const e of spec.expect) {
      const doc = readDocument(path.join(dir, name, "repo", e.file));
      if (!doc) continue;
      out.push({ name, file: e.file, doc, variant: e.variant, inconsistent: rulePointers(e) });
    }
  }
  return out;
}

let ajv: Ajv2020 | undefined;

/** The validator of `$defs/<def>` in schema/v1/<family>.schema.json, with the project's Ajv configuration. */
export function schemaValidator(family: string, def: string) {
  if (!ajv) {
    ajv = createAjv();
    for (const schema of readSchemaFiles("v1").values()) ajv.addSchema(schema);
  }
  const id = `${schemaId("v1", `${family}.schema.json`)}#/$defs/${def}`;
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`schema ${id} is not registered`);
  return validate;
}

export const clone = <T>(v: T): T => structuredClone(v);

/** The pointers of the cross-field rules a document breaks, its variant told from the document. */
export const pointers = (spec: FamilySpec, doc: JsonObject, rel: string): string[] =>
  spec.consistency!(doc, spec.variantOf(doc, facts(rel)), facts(rel)).map((v) => v.pointer);

/** The tier at which a family's declared file-name evidence names a file, or undefined. */
export function nameTier(family: FamilySpec, file: FileFacts): NameTier | undefined {
  return NAME_TIERS.find((tier) => namedBy(family, tier, file));
}

/** Whether one of a family's declared key sets holds for a document. */
export function keyed(family: FamilySpec, doc: JsonObject): boolean {
  return keyedBy(family, doc);
}
