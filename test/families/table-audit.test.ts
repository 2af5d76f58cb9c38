/** Family `table-audit`: detection by entrypoint and key set, rules per audit. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { detect } from "../../src/detect.js";
import type { FamilySpec, FileFacts } from "../../src/families/types.js";
import { isObject, type JsonObject } from "../../src/load/json-value.js";
import { parseJson } from "../../src/load/parse.js";
import { PROJECT } from "../helpers.js";

function facts(relPath: string): FileFacts {
  return { relPath, absPath: `/repo/${relPath}`, baseName: path.posix.basename(relPath), siblingExists: () => false };
}

/** A document of a golden case, read with the project's NaN-tolerant parser. */
function fixture(family: string, c: string, rel: string): JsonObject {
  const r = parseJson(readFileSync(path.join(PROJECT, "corpus-fixtures", family, c, "repo", rel), "utf8"));
  if (!("value" in r) || !isObject(r.value)) throw new Error(`cannot read ${family}/${c}/${rel}`);
  return r.value;
}

function schemaValidator(family: string, def: string) {
  const ajv = new Ajv2020({ strict: true, strictNumbers: false, allowUnionTypes: true, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const f of ["run-provenance", "common", family]) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(PROJECT, "schema/v1", `${f}.schema.json`), "utf8")));
  }
  return ajv.getSchema(`https://run-provenance.dev/schema/v1/${family}.schema.json#/$defs/${def}`)!;
}

const clone = <T>(v: T): T => structuredClone(v);
const pointers = (spec: FamilySpec, doc: JsonObject, rel: string): string[] =>
  spec.consistency!(doc, spec.variantOf(doc, facts(rel)), facts(rel)).map((v) => v.pointer);
import { tableAudit } from "../../src/families/table-audit.js";

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
    expect(sal.outputs).toEqual({ output: "before", audit_json: "after" });
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
    ((d.tables as JsonObject[])[0]).weak_families = [];
    expect(rules(d)).toEqual(["/tables/0/weak_families"]);
  });
});
