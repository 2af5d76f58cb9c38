/**
 * Family `chug-hdr-audit`: the CHUG HDR ffprobe audit written by
 * ai/scripts/chug_extract_features.py --audit-output. Discriminator: `policy`
 * "chug-hdr-ffprobe-audit-v1". Shares its block (byte for byte) with the split manifest of
 * the same run; see chug-split-manifest.ts for the output timing.
 *
 * Counting rules kept by audit_chug_hdr_metadata(): every row is missing, probe-failed or
 * probed; each probed row adds one to transfer, primaries and pix_fmt counts; every row adds
 * one to split_row_counts; malformed rows are PQ/HLG rows with non-BT.2020 primaries.
 */
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { RuleViolation } from "./types.js";
import { defineFamily } from "./define.js";
import { at } from "./util.js";
import { CHUG_OUTPUTS } from "./chug-split-manifest.js";

const POLICY = "chug-hdr-ffprobe-audit-v1";
const BT2020 = new Set(["bt2020", "bt2020nc", "bt2020-ncl", "bt2020c", "bt2020-cl"]);

const p = (...parts: (string | number)[]): string => parts.reduce<string>((acc, k) => childPointer(acc, k), "");

/** Sum of a count map; undefined when it is not an object of numbers. */
function sum(v: JsonValue | undefined): number | undefined {
  if (!isObject(v)) return undefined;
  let total = 0;
  for (const k of Object.keys(v)) {
    const n = own(v, k);
    if (typeof n !== "number") return undefined;
    total += n;
  }
  return total;
}

export const chugHdrAudit = defineFamily({
  name: "chug-hdr-audit",
  filePatterns: ["--audit-output PATH of chug_extract_features.py (no default name; working directory $VMAF_CHUG_DIR or .corpus/chug/)"],
  variants: {
    [POLICY]: { outputs: CHUG_OUTPUTS },
  },
  // The emitter's main artifact is the split manifest (one block for both files).
  detection: { keys: [{ equals: { policy: POLICY } }], secondaryWriter: true },
  variantOf: () => POLICY,
  particular(doc: JsonObject): RuleViolation[] {
    const out: RuleViolation[] = [];
    const { rows, probed, missing_files: missing, probe_failed: failed } = doc;
    if (
      typeof rows === "number" &&
      typeof probed === "number" &&
      typeof missing === "number" &&
      typeof failed === "number" &&
      probed + missing + failed !== rows
    ) {
      out.push({ pointer: "/rows", message: `rows ${rows} must equal probed ${probed} + missing_files ${missing} + probe_failed ${failed}` });
    }
    if (typeof probed === "number") {
      for (const key of ["transfer_counts", "primaries_counts", "pix_fmt_counts"]) {
        const total = sum(own(doc, key));
        if (total !== undefined && total !== probed) {
          out.push({ pointer: `/${key}`, message: `${key} sums to ${total} but ${probed} rows were probed (each probed row is counted once)` });
        }
      }
    }
    const splitTotal = sum(doc.split_row_counts);
    if (typeof rows === "number" && splitTotal !== undefined && splitTotal !== rows) {
      out.push({
        pointer: "/split_row_counts",
        message: `split_row_counts sums to ${splitTotal} but the audit covers ${rows} rows (every row is counted once)`,
      });
    }
    const malformed = Array.isArray(doc.malformed_hdr_rows) ? doc.malformed_hdr_rows : [];
    const hdr = (Number(at(doc, "transfer_counts", "pq") ?? 0) || 0) + (Number(at(doc, "transfer_counts", "hlg") ?? 0) || 0);
    if (isObject(doc.transfer_counts) && malformed.length > hdr) {
      out.push({ pointer: "/malformed_hdr_rows", message: `${malformed.length} malformed HDR rows but only ${hdr} PQ/HLG rows were probed` });
    }
    malformed.forEach((r, i) => {
      const prim = isObject(r) ? own(r, "color_primaries") : undefined;
      if (typeof prim === "string" && BT2020.has(prim)) {
        out.push({
          pointer: p("malformed_hdr_rows", i, "color_primaries"),
          message: `malformed_hdr_rows[${i}] has BT.2020 primaries (${prim}); only non-BT.2020 PQ/HLG rows are malformed`,
        });
      }
    });
    const seed = at(doc, "run_provenance", "args", "split_seed");
    if (typeof seed === "string" && typeof doc.split_seed === "string" && seed !== doc.split_seed) {
      out.push({
        pointer: "/split_seed",
        message: `split_seed ${JSON.stringify(doc.split_seed)} differs from run_provenance.args.split_seed ${JSON.stringify(seed)}`,
      });
    }
    return out;
  },
});
