/**
 * Family `chug-split-manifest`: the CHUG content-level split manifest written by
 * ai/scripts/chug_extract_features.py --split-manifest. Discriminator: `policy`
 * "content-name-blake2s-80-10-10". The same block is written into the HDR audit of the
 * same run: each file's own descriptor is a self-reference, the other file's descriptor is
 * stale (written after the block), and `feature_jsonl` shows the state before the run
 * (the file is appended to). The entrypoint is shared with `chug-hdr-audit`; detection breaks
 * that tie with `policy` (its key evidence); without one, the split manifest is the main artifact.
 */
import { childPointer, isObject, own, type JsonObject } from "../load/json-value.js";
import type { DeclaredStakes, RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { copiedFromArgs, when } from "./rules/index.js";

export const CHUG_SPLIT_POLICY = "content-name-blake2s-80-10-10";
/** Outputs of chug_extract_features.py: all written after the block (or appended to). */
export const CHUG_OUTPUTS: Record<string, DeclaredStakes> = { split_manifest: "stale", audit: "stale", feature_jsonl: "stale" };
const SPLITS = ["train", "val", "test"];

const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");

export const chugSplitManifest = defineFamily({
  name: "chug-split-manifest",
  filePatterns: ["--split-manifest PATH of chug_extract_features.py (no default name; working directory $VMAF_CHUG_DIR or .corpus/chug/)"],
  variants: {
    [CHUG_SPLIT_POLICY]: { outputs: CHUG_OUTPUTS },
  },
  detection: { keys: [{ equals: { policy: CHUG_SPLIT_POLICY }, where: (doc) => isObject(doc.splits) }] },
  variantOf: () => CHUG_SPLIT_POLICY,
  rules: [when((doc) => isObject(doc.splits), copiedFromArgs("/seed", { arg: "split_seed", type: "string" }))],
  particular(doc: JsonObject): RuleViolation[] {
    const out: RuleViolation[] = [];
    const splits = doc.splits;
    if (!isObject(splits)) return out;
    const names = Object.keys(splits);
    if (typeof doc.n_contents === "number" && doc.n_contents !== names.length) {
      out.push({ pointer: "/n_contents", message: `n_contents ${doc.n_contents} differs from the ${names.length} contents in splits` });
    }
    const counts = doc.counts;
    if (isObject(counts)) {
      for (const s of SPLITS) {
        const expected = names.filter((n) => own(splits, n) === s).length;
        const got = own(counts, s);
        if (typeof got === "number" && got !== expected) {
          out.push({ pointer: p("counts", s), message: `counts.${s} is ${got} but splits assigns ${expected} content(s) to ${s}` });
        }
      }
    }
    return out;
  },
});
