/** Families `chug-split-manifest` and `chug-hdr-audit`: detection by policy, shared block timing, counting rules. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { chugSplitManifest } from "../../src/families/chug-split-manifest.js";
import { chugHdrAudit } from "../../src/families/chug-hdr-audit.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixture, schemaValidator } from "./fixtures.js";

const SPLITS = ".corpus/chug/chug_splits.json";
const AUDIT = ".corpus/chug/chug_hdr_audit.json";

describe("CHUG detection", () => {
  it("policy strings tell the two files apart although they share entrypoint and block", () => {
    const s = fixture("chug-split-manifest", "valid-first-run", SPLITS);
    const a = fixture("chug-split-manifest", "valid-first-run", AUDIT);
    expect(JSON.stringify(s.run_provenance)).toBe(JSON.stringify(a.run_provenance));
    expect(detect(s, facts(SPLITS))?.family.name).toBe("chug-split-manifest");
    expect(detect(a, facts(AUDIT))?.family.name).toBe("chug-hdr-audit");
    expect(detect(a, facts(AUDIT))?.variant).toBe("chug-hdr-ffprobe-audit-v1");
  });

  it("all three outputs are written after the block", () => {
    for (const spec of [chugSplitManifest, chugHdrAudit]) {
      expect(spec.variants[0].outputs).toEqual({ split_manifest: "stale", audit: "stale", feature_jsonl: "stale" });
      // Both families list the shared script; detection breaks the tie by `policy`.
      expect(spec.variants[0].entrypoints).toEqual(["chug_extract_features.py"]);
    }
  });
});

describe("CHUG rules", () => {
  it("split counts tally the splits and n_contents counts them", () => {
    const s = fixture("chug-split-manifest", "valid-rerun", SPLITS);
    expect(chugSplitManifest.consistency!(s, undefined, facts(SPLITS))).toEqual([]);
    (s.splits as JsonObject).content_d = "val";
    expect(
      chugSplitManifest.consistency!(s, undefined, facts(SPLITS))
        .map((v) => v.pointer)
        .sort(),
    ).toEqual(["/counts/val", "/n_contents"]);
  });

  it("audit rows, probed counts and split counts sum", () => {
    const a = fixture("chug-split-manifest", "valid-rerun", AUDIT);
    expect(chugHdrAudit.consistency!(a, undefined, facts(AUDIT))).toEqual([]);
    a.probed = 19;
    a.missing_files = 2;
    expect(
      chugHdrAudit.consistency!(a, undefined, facts(AUDIT))
        .map((v) => v.pointer)
        .sort(),
    ).toEqual(["/pix_fmt_counts", "/primaries_counts", "/transfer_counts"]);
  });
});

describe("CHUG schemas", () => {
  it("accept the fixtures", () => {
    const s = schemaValidator("chug-split-manifest", "contentNameBlake2s801010");
    expect(s(fixture("chug-split-manifest", "valid-split-only", SPLITS)), JSON.stringify(s.errors)).toBe(true);
    const a = schemaValidator("chug-hdr-audit", "chugHdrFfprobeAuditV1");
    expect(a(fixture("chug-hdr-audit", "valid-audit-only", AUDIT)), JSON.stringify(a.errors)).toBe(true);
  });
});
