/** Family `table-audit`: detection by entrypoint and key set, rules per audit. */
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import { tableAudit } from "../../src/families/table-audit.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { facts, fixture, pointers } from "./fixtures.js";

const FAM = "table-audit";
const rules = (doc: JsonObject) => pointers(tableAudit, doc, "runs/a.json");
const CASES: [string, string, string][] = [
  ["valid-mos-label-audit", "runs/konvid_mos_audit.json", "mos-label-audit"],
  ["valid-mos-label-audit-programmatic", "runs/konvid_mos_audit.json", "mos-label-audit"],
  ["valid-second-opinion-audit", "runs/so_audit.json", "second-opinion-audit"],
  ["valid-saliency-audit", "runs/sal_audit.json", "saliency-features-audit"],
  ["valid-signal-mix", "runs/signal_mix.json", "signal-mix-audit"],
];

describe("table-audit detection", () => {
  it.each(CASES)("%s is %s", (c, rel, variant) => {
    const doc = fixture(FAM, c, rel);
    const d = detect(doc, facts(rel));
    expect([d?.family.name, d?.variant]).toEqual([FAM, variant]);
    expect(rules(doc)).toEqual([]);
  });

  it("the programmatic MOS audit (no block) is told by its key set", () => {
    const doc = fixture(FAM, "valid-mos-label-audit-programmatic", "runs/konvid_mos_audit.json");
    expect(detect(doc, facts("runs/konvid_mos_audit.json"))?.by).toBe("content");
  });

  it("the saliency table is written before its block (output before), every audit names itself after", () => {
    const sal = tableAudit.variants.find((v) => v.name === "saliency-features-audit")!;
    expect(sal.outputs).toEqual({ output: "integrity", audit_json: "stale" });
  });
});

describe("table-audit rules", () => {
  it("MOS: match_rate with zero keys is 0.0", () => {
    const d = fixture(FAM, "valid-mos-label-audit", "runs/konvid_mos_audit.json");
    Object.assign(d, { total_feature_keys: 0, matched_feature_keys: 0, match_rate: 0, min_match_rate: 0 });
    expect(rules(d)).toEqual([]);
  });

  it("saliency: config copies args, NaN ema_alpha equals NaN", () => {
    const d = fixture(FAM, "valid-saliency-audit", "runs/sal_audit.json");
    expect(Number.isNaN((d.config as JsonObject).ema_alpha as number)).toBe(true);
    expect(rules(d)).toEqual([]);
    (d.config as JsonObject).root = "/other";
    expect(rules(d)).toEqual(["/config/root"]);
  });

  it("signal mix: NaN |pearson| is not a mismatch; weak_families follows family_health", () => {
    const d = fixture(FAM, "valid-signal-mix", "runs/signal_mix.json");
    (d.tables as JsonObject[])[0].weak_families = [];
    expect(rules(d)).toEqual(["/tables/0/weak_families"]);
  });
});
