/**
 * Family `run-manifest`: the generic `write_run_manifest` envelope
 * `{schema: "<name>", ...sections, run_provenance}`. Also the fallback for any file
 * that matches no family but carries a `run_provenance` block (docs/contract.md, "Detection").
 */
import { defineFamily } from "./define.js";

export const runManifest = defineFamily({
  name: "run-manifest",
  filePatterns: ["any (a top-level `schema` string plus `run_provenance`)"],
  variantName: "envelope",
  variantOf: () => "envelope",
});
