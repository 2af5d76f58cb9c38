/** Family `chug-hdr-audit`: malformed-row rules (the shared detection tests live in chug-split-manifest.test.ts). */
import { describe, expect, it } from "vitest";
import { chugHdrAudit } from "../../src/families/chug-hdr-audit.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts as factsOf } from "./fixtures.js";

const facts = factsOf("a.json");

function audit(): JsonObject {
  return {
    policy: "chug-hdr-ffprobe-audit-v1",
    split_policy: "content-name-blake2s-80-10-10",
    split_seed: "chug-hdr-v1",
    rows: 3,
    probed: 2,
    missing_files: 1,
    probe_failed: 0,
    transfer_counts: { pq: 1, sdr: 1 },
    primaries_counts: { bt709: 2 },
    pix_fmt_counts: { yuv420p: 2 },
    split_row_counts: { train: 2, unknown: 1 },
    malformed_hdr_rows: [{ src: "a.mp4", chug_content_name: "a", split: "train", color_transfer: "smpte2084", color_primaries: "bt709", pix_fmt: "yuv420p" }],
  };
}

describe("chug-hdr-audit rules", () => {
  it("a consistent audit (with an unknown-split row) passes", () => {
    expect(chugHdrAudit.consistency!(audit(), undefined, facts)).toEqual([]);
  });

  it("more malformed rows than PQ/HLG rows is inconsistent", () => {
    const a = audit();
    (a.malformed_hdr_rows as JsonObject[]).push({ ...(a.malformed_hdr_rows as JsonObject[])[0], src: "b.mp4" });
    expect(chugHdrAudit.consistency!(a, undefined, facts).map((v) => v.pointer)).toEqual(["/malformed_hdr_rows"]);
  });

  it("BT.2020 spellings are never malformed", () => {
    const a = audit();
    (a.malformed_hdr_rows as JsonObject[])[0].color_primaries = "bt2020nc";
    expect(chugHdrAudit.consistency!(a, undefined, facts).map((v) => v.pointer)).toEqual(["/malformed_hdr_rows/0/color_primaries"]);
  });

  it("split_seed is --split-seed", () => {
    const a = audit();
    a.run_provenance = {
      schema: "ai-run-provenance-v1",
      entrypoint: { path: "ai/scripts/chug_extract_features.py", exists: false, kind: "missing" },
      argv: [],
      args: { split_seed: "x" },
    };
    expect(chugHdrAudit.consistency!(a, undefined, facts).map((v) => v.pointer)).toEqual(["/split_seed"]);
  });
});
