/** Family `run-provenance`: a bare block, for emitters that test the block alone. */
import { defineFamily } from "./define.js";

export const runProvenance = defineFamily({
  name: "run-provenance",
  filePatterns: ['any (detected by `schema: "ai-run-provenance-v1"` at the top level)'],
  variantOf: () => "ai-run-provenance-v1",
});
