/** Family `verdict`: detection, variants, cross-field rules, verdictSeeds, and the committed legacy file. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detect, familyByFileName } from "../../src/detect.js";
import { HOLD_RECOMMENDATION_PREFIX, PROMOTE_RECOMMENDATION, verdict, verdictOfFileName, verdictSeeds } from "../../src/families/verdict.js";
import type { JsonObject } from "../../src/load/json-value.js";
import { describeReal, realCorpus } from "../real-corpus.js";
import { facts, schemaValidator as familySchemaValidator, nameTier, keyed } from "./fixtures.js";

const schemaValidator = (def: string) => familySchemaValidator("verdict", def);

function gate(per: Record<string, number>, min = 0.95, max = 0.005): JsonObject {
  const vals = Object.values(per);
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const spread = Math.max(...vals) - Math.min(...vals);
  const failing = Object.keys(per)
    .filter((k) => per[k] < min)
    .map(Number)
    .sort((a, b) => a - b);
  const mp = mean >= min;
  const sp = spread <= max;
  const pp = failing.length === 0;
  return {
    passed: mp && sp && pp,
    mean_plcc: mean,
    mean_plcc_threshold: min,
    mean_plcc_pass: mp,
    plcc_spread: spread,
    plcc_spread_max: max,
    plcc_spread_pass: sp,
    per_seed_plccs: per,
    per_seed_min: min,
    per_seed_pass: pp,
    failing_seeds: failing,
  };
}

function doc(g: JsonObject, seeds = [0, 1, 2, 3, 4], present = true): JsonObject {
  const kind = g.passed ? "PROMOTE" : "HOLD";
  const rec = g.passed
    ? PROMOTE_RECOMMENDATION
    : `${HOLD_RECOMMENDATION_PREFIX}${g.mean_plcc_pass ? "" : "mean_plcc 0.9 < 0.95, "}${g.plcc_spread_pass ? "" : "plcc_spread 0.1 > 0.005, "}${g.per_seed_pass ? "" : `failing seeds [${(g.failing_seeds as number[]).join(", ")}]`}`.replace(
        /, $/,
        "",
      );
  return {
    schema_version: 1,
    verdict: kind,
    generated_at_utc: "2026-06-02T14:07:31+00:00",
    loso_dir: "runs/ensemble_v2_real",
    seeds,
    gate: g,
    corpus: present
      ? {
          present: true,
          corpus_root: "/c",
          sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          ref_count: 0,
          dis_count: 0,
          yuv_count: 0,
        }
      : { present: false, corpus_root: "/c", sha256: null, ref_count: 0, dis_count: 0 },
    recommendation: rec,
    adr: "ADR-0309",
    parent_adr: "ADR-0303",
    run_provenance: {
      schema: "ai-run-provenance-v1",
      entrypoint: { path: "ai/scripts/validate_ensemble_seeds.py", exists: true, kind: "file", sha256: "a".repeat(64) },
      argv: [],
      args: { corpus_root: "/c", loso_dir: "runs/ensemble_v2_real", mean_threshold: 0.95, plcc_spread_max: 0.005, seeds },
      inputs: {
        corpus_root: present ? { path: ".corpus/netflix", exists: true, kind: "directory" } : { path: ".corpus/netflix", exists: false, kind: "missing" },
        loso_dir: { path: "runs/ensemble_v2_real", exists: true, kind: "directory" },
      },
      outputs: { verdict: { path: `runs/ensemble_v2_real/${kind}.json`, exists: false, kind: "missing" } },
    },
  };
}

const GOOD = { "0": 0.9963, "1": 0.9959, "2": 0.9962, "3": 0.9961, "4": 0.9961 };
const rules = (d: JsonObject, rel = `runs/ensemble_v2_real/${d.verdict}.json`) => verdict.consistency!(d, verdict.variantOf(d, facts(rel)), facts(rel));

describe("verdict detection", () => {
  it("names verdict files, with the highest specificity", () => {
    for (const n of ["PROMOTE.json", "HOLD.json", "x_PROMOTE.json", "fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json", "a_ensemble_v2_HOLD.json"]) {
      expect(nameTier(verdict, facts(`model/tiny/${n}`))).toBe("fixed");
    }
    for (const n of ["promote.json", "PROMOTE.md", "XPROMOTE.json", "PROMOTE.json.bak", "fr_regressor_v2_ensemble_v1.json"]) {
      expect(nameTier(verdict, facts(n))).toBeUndefined();
    }
    expect(familyByFileName(facts("model/tiny/fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json"))?.name).toBe("verdict");
    expect(verdictOfFileName("x_HOLD.json")).toBe("HOLD");
  });
  it("recognises a verdict by content and tells the variant from `verdict`", () => {
    const d = doc(gate(GOOD));
    expect(keyed(verdict, d)).toBe(true);
    expect(detect(d, facts("somewhere/out.json"))?.family.name).toBe("verdict");
    expect(verdict.variantOf(d, facts("out.json"))).toBe("PROMOTE");
    expect(verdict.variantOf({ ...d, verdict: "MAYBE" }, facts("x/HOLD.json"))).toBe("HOLD");
    expect(verdict.integrityDigests!(d, "PROMOTE", facts("PROMOTE.json"))).toEqual([]);
    expect(verdict.variants.every((v) => v.outputs?.verdict === "stale")).toBe(true);
  });
});

describe("verdict consistency", () => {
  it("accepts PROMOTE and HOLD as the emitter writes them", () => {
    expect(rules(doc(gate(GOOD)))).toEqual([]);
    const hold = doc(gate({ ...GOOD, "1": 0.94 }), [0, 1, 2, 3, 4], false);
    expect(hold.verdict).toBe("HOLD");
    expect(rules(hold)).toEqual([]);
  });
  it("does not flag a NaN seed missing from failing_seeds (NaN forces HOLD through the mean)", () => {
    const g = gate({ ...GOOD, "2": NaN });
    expect(g.failing_seeds).toEqual([]);
    expect(g.passed).toBe(false);
    expect(rules(doc(g))).toEqual([]);
  });
  it("compares per_seed_plccs keys with the distinct seeds as sets", () => {
    expect(rules(doc(gate(GOOD), [0, 1, 2, 3, 4, 4, 0]))).toEqual([]);
    const d = doc(gate(GOOD), [0, 1, 2, 3, 5]);
    expect(
      rules(d)
        .map((v) => v.pointer)
        .sort(),
    ).toEqual(["/gate/per_seed_plccs/4", "/seeds/4"]);
  });
  it("flags each broken rule at the offending value", () => {
    const cases: [string, (d: JsonObject) => void, string[]][] = [
      [
        "PROMOTE with a failed gate",
        (d) => {
          (d.gate as JsonObject).passed = false;
        },
        ["/gate/passed", "/verdict"],
      ],
      [
        "per_seed_pass without failing seeds",
        (d) => {
          (d.gate as JsonObject).per_seed_pass = false;
        },
        ["/gate/passed", "/gate/per_seed_pass"],
      ],
      [
        "failing seed not in seeds",
        (d) => {
          (d.gate as JsonObject).failing_seeds = [7];
          (d.gate as JsonObject).per_seed_pass = false;
          (d.gate as JsonObject).passed = false;
          d.verdict = "HOLD";
          d.recommendation = `${HOLD_RECOMMENDATION_PREFIX}failing seeds [7]`;
          ((d.run_provenance as JsonObject).outputs as JsonObject).verdict = { path: "runs/ensemble_v2_real/HOLD.json", exists: false, kind: "missing" };
        },
        ["/gate/failing_seeds/0"],
      ],
      [
        "per_seed_min apart",
        (d) => {
          (d.gate as JsonObject).per_seed_min = 0.9;
        },
        ["/gate/per_seed_min"],
      ],
      [
        "args.mean_threshold apart",
        (d) => {
          ((d.run_provenance as JsonObject).args as JsonObject).mean_threshold = 0.9;
        },
        ["/gate/mean_plcc_threshold"],
      ],
      [
        "corpus present vs missing input",
        (d) => {
          ((d.run_provenance as JsonObject).inputs as JsonObject).corpus_root = { path: "c", exists: false, kind: "missing" };
        },
        ["/corpus/present"],
      ],
      [
        "outputs.verdict path",
        (d) => {
          (((d.run_provenance as JsonObject).outputs as JsonObject).verdict as JsonObject).path = "runs/x/HOLD.json";
        },
        ["/run_provenance/outputs/verdict/path"],
      ],
      [
        "mean off",
        (d) => {
          (d.gate as JsonObject).mean_plcc = 0.5;
          (d.gate as JsonObject).mean_plcc_pass = false;
        },
        ["/gate/mean_plcc", "/gate/passed"],
      ],
    ];
    for (const [name, mutate, ptrs] of cases) {
      const d = structuredClone(doc(gate(GOOD)));
      mutate(d);
      expect(
        rules(d, "runs/ensemble_v2_real/PROMOTE.json".replace("PROMOTE", d.verdict as string))
          .map((v) => v.pointer)
          .sort(),
        name,
      ).toEqual(ptrs.sort());
    }
  });
  it("flags a verdict stored under the other verdict's name", () => {
    expect(rules(doc(gate(GOOD)), "runs/ensemble_v2_real/HOLD.json").map((v) => v.pointer)).toEqual(["/verdict"]);
  });
});

describe("verdictSeeds", () => {
  it("returns verdict, passed and the distinct seeds", () => {
    expect(verdictSeeds(doc(gate(GOOD), [3, 1, 3]))).toEqual({ verdict: "PROMOTE", passed: true, seeds: [3, 1] });
    expect(verdictSeeds(doc(gate({ ...GOOD, "1": 0.9 })))).toMatchObject({ verdict: "HOLD", passed: false });
  });
  it("is undefined for anything else", () => {
    expect(verdictSeeds(null)).toBeUndefined();
    expect(verdictSeeds({ verdict: "PROMOTE", gate: { passed: true }, seeds: [] })).toBeUndefined();
    expect(verdictSeeds({ verdict: "PROMOTE", gate: { passed: true }, seeds: [0.5] })).toBeUndefined();
    expect(verdictSeeds({ verdict: "SHIP", gate: { passed: true }, seeds: [0] })).toBeUndefined();
    expect(verdictSeeds({ verdict: "PROMOTE", seeds: [0] })).toBeUndefined();
  });
});

describeReal("the committed legacy verdict", () => {
  const rel = "model/tiny/fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json";
  let cached: JsonObject | undefined;
  const committed = (): JsonObject => (cached ??= JSON.parse(readFileSync(path.join(realCorpus(), rel), "utf8")) as JsonObject);
  it("is detected as a verdict by name although it contains _ensemble_v", () => {
    expect(detect(committed(), facts(rel))?.family.name).toBe("verdict");
    expect(verdict.variantOf(committed(), facts(rel))).toBe("PROMOTE");
  });
  it("passes the PROMOTE schema and every rule, without a block", () => {
    const v = schemaValidator("PROMOTE");
    expect(v(committed()), JSON.stringify(v.errors)).toBe(true);
    expect(verdict.consistency!(committed(), "PROMOTE", facts(rel))).toEqual([]);
    expect(verdictSeeds(committed())).toEqual({ verdict: "PROMOTE", passed: true, seeds: [0, 1, 2, 3, 4] });
  });
});

describe("emitter-shaped verdicts", () => {
  it("the schema accepts emitter-shaped PROMOTE/HOLD documents, NaN in HOLD included", () => {
    expect(schemaValidator("PROMOTE")(doc(gate(GOOD)))).toBe(true);
    expect(schemaValidator("HOLD")(doc(gate({ ...GOOD, "2": NaN }), [0, 1, 2, 3, 4], false))).toBe(true);
  });
});
