/** Family `run-provenance`: a bare block, for emitters that test the block alone. */
import { isObject } from "../load/json-value.js";
import type { FamilySpec } from "./types.js";

export const runProvenance: FamilySpec = {
  name: "run-provenance",
  description: "A bare ai-run-provenance-v1 block (what build_run_provenance returns), for emitters testing the block alone.",
  schemaFile: "run-provenance.schema.json",
  carriesProvenance: false,
  filePatterns: ["any (detected by `schema: \"ai-run-provenance-v1\"` at the top level)"],
  variants: [{ name: "ai-run-provenance-v1", def: "", description: "The v1 block.", schemaStrings: ["ai-run-provenance-v1"] }],
  matchContent: (doc) => (doc.schema === "ai-run-provenance-v1" && isObject(doc.entrypoint) ? 1 : 0),
  variantOf: () => "ai-run-provenance-v1",
};
