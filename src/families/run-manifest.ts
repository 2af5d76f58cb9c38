/**
 * Family `run-manifest`: the generic `write_run_manifest` envelope
 * `{schema: "<name>", ...sections, run_provenance}`. Also the fallback for any file
 * that matches no family but carries a `run_provenance` block (docs/contract.md, "Detection").
 */
import { isObject } from "../load/json-value.js";
import type { FamilySpec } from "./types.js";

export const runManifest: FamilySpec = {
  name: "run-manifest",
  description: "Generic envelope {schema: <name>, <sections>, run_provenance} written by write_run_manifest; the fallback for unknown artifacts that carry a block.",
  schemaFile: "run-manifest.schema.json",
  carriesProvenance: true,
  filePatterns: ["any (a top-level `schema` string plus `run_provenance`)"],
  variants: [{ name: "envelope", def: "", description: "Any named envelope." }],
  matchContent: (doc) => (typeof doc.schema === "string" && isObject(doc.run_provenance) ? 1 : 0),
  variantOf: () => "envelope",
};
