/**
 * Detection is declared evidence with an explicit precedence (docs/contract.md, "Detection"), and
 * within one step at most one family can match, so the order of FAMILIES decides nothing. This
 * proves it on every JSON document the project knows: the golden cases (with their real file
 * names and siblings), the snapshots, the demo, the real lusoris/vmaf corpus when present, and the
 * conformance vectors under every file-name convention, with and without an ONNX beside them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detect } from "../src/detect.js";
import { keyedBy, namedBy } from "../src/families/evidence.js";
import { FAMILIES } from "../src/families/index.js";
import { NAME_TIERS, type FileFacts } from "../src/families/types.js";
import { isObject, type JsonObject } from "../src/load/json-value.js";
import { parseJson } from "../src/load/parse.js";
import { fileFacts } from "../src/pipeline.js";
import { PROJECT } from "./helpers.js";
import { REAL_CORPUS, REAL_CORPUS_REST } from "./real-corpus.js";

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) jsonFiles(p, out);
    else if (n.endsWith(".json")) out.push(p);
  }
  return out;
}

/** Every JSON object document on disk, with the facts of its real place (its root: the case's `repo/`). */
const onDisk: { where: string; doc: JsonObject | undefined; facts: FileFacts }[] = [];
for (const base of [path.join(PROJECT, "corpus-fixtures"), REAL_CORPUS, REAL_CORPUS_REST]) {
  if (!base) continue;
  for (const f of jsonFiles(base)) {
    const r = parseJson(readFileSync(f, "utf8"));
    const root = /^(.*[\\/]repo)[\\/]/.exec(f)?.[1] ?? base;
    onDisk.push({ where: path.relative(PROJECT, f), doc: r.ok && isObject(r.value) ? r.value : undefined, facts: fileFacts(f, root) });
  }
}

/** The documents of the conformance vectors (valid or not: detection runs before validation). */
const vectorDocs: { where: string; doc: JsonObject }[] = [];
for (const f of readdirSync(path.join(PROJECT, "corpus-fixtures/conformance")).filter((n) => n.endsWith(".json"))) {
  for (const g of JSON.parse(readFileSync(path.join(PROJECT, "corpus-fixtures/conformance", f), "utf8")) as {
    tests: { description: string; data: unknown }[];
  }[]) {
    for (const t of g.tests) if (isObject(t.data as never)) vectorDocs.push({ where: `${f}: ${t.description}`, doc: t.data as JsonObject });
  }
}

/** A name of every convention, and names of one convention placed where another's would be. */
const NAMES = [
  "out/artifact.json",
  "model/tiny/x.json",
  "runs/x/loso_seed3.json",
  "PROMOTE.json",
  "runs/a_HOLD.json",
  "model/tiny/registry.json",
  "model/tiny/a_ensemble_v1.json",
  "model/tiny/a_ensemble_v1_seed2.json",
  "runs/fr_regressor_v1_metrics.json",
  "model/fr_regressor_v2_smoke_metrics.json",
  "runs/predictor_v2_realcorpus/report.json",
  "runs/quant-eps-2026-01-01/results.json",
  "runs/phase3_subset_sweep.json",
  "runs/full_features_konvid.manifest.json",
  "runs/loso_3arch_eval.json",
  "runs/loso_mlp_small_eval.json",
  "ai/data/phase_f_recipes_calibrated.json",
  "runs/vmaf_tiny_v3_stats.json",
  "runs/saliency_student_v2_metrics.json",
  "model/tiny/loso_seed0.json",
  "model/tiny/x_ensemble_v2_seed1_PROMOTE.json",
];
const synthetic = (rel: string, beside: boolean): FileFacts => ({
  relPath: rel,
  absPath: `/r/${rel}`,
  baseName: path.posix.basename(rel),
  siblingExists: () => beside,
});

const SPECIFIC = FAMILIES.filter((f) => f.name !== "run-manifest" && f.name !== "run-provenance");

describe("detection", () => {
  it("finds documents to prove itself on", () => {
    expect(onDisk.length).toBeGreaterThan(1000);
    expect(vectorDocs.length).toBeGreaterThan(1000);
  });

  it("names at most one family per file-name tier, for every file and every convention", () => {
    const conflicts: string[] = [];
    const check = (where: string, facts: FileFacts) => {
      for (const tier of NAME_TIERS) {
        const named = FAMILIES.filter((f) => namedBy(f, tier, facts)).map((f) => f.name);
        if (named.length > 1) conflicts.push(`${where} (${tier}): ${named.join(", ")}`);
      }
    };
    for (const { where, facts } of onDisk) check(where, facts);
    for (const rel of NAMES) for (const beside of [false, true]) check(`${rel}${beside ? " beside an ONNX" : ""}`, synthetic(rel, beside));
    expect(conflicts).toEqual([]);
  });

  it("lets at most one family's key sets hold for any document", () => {
    const conflicts: string[] = [];
    for (const { where, doc } of [...onDisk, ...vectorDocs]) {
      if (!doc) continue;
      const keyed = FAMILIES.filter((f) => keyedBy(f, doc)).map((f) => f.name);
      if (keyed.length > 1) conflicts.push(`${where}: ${keyed.join(", ")}`);
    }
    expect(conflicts).toEqual([]);
  });

  it("gives the generic families no evidence of their own: they are the schema string and the fallback", () => {
    for (const f of FAMILIES.filter((x) => !SPECIFIC.includes(x))) expect(f.detection, f.name).toBeUndefined();
  });

  it("has one main writer for every script that writes two families", () => {
    const writers = new Map<string, Set<string>>();
    for (const f of FAMILIES) for (const v of f.variants) for (const e of v.entrypoints ?? []) writers.set(e, (writers.get(e) ?? new Set()).add(f.name));
    const shared = [...writers].filter(([, fams]) => fams.size > 1);
    expect(shared.map(([script]) => script).sort()).toEqual(["chug_extract_features.py", "train_fr_regressor.py", "train_fr_regressor_v2.py"]);
    for (const [script, fams] of shared) {
      const main = [...fams].filter((name) => !FAMILIES.find((f) => f.name === name)!.detection?.secondaryWriter);
      expect(main, script).toHaveLength(1);
    }
  });

  it("gives the same answer whatever the order of FAMILIES", () => {
    const reversed = [...FAMILIES].reverse();
    const answer = (doc: JsonObject | undefined, facts: FileFacts) => {
      const d = doc ? detect(doc, facts) : undefined;
      return d ? `${d.family.name}/${d.variant ?? "-"}/${d.by}` : "none";
    };
    const sample = [
      ...onDisk.map((x) => [x.doc, x.facts] as const),
      ...vectorDocs.flatMap((x) => NAMES.slice(0, 8).map((n) => [x.doc, synthetic(n, true)] as const)),
    ];
    const before = sample.map(([doc, facts]) => answer(doc, facts));
    (FAMILIES as FamilySpecList).splice(0, FAMILIES.length, ...reversed);
    try {
      expect(sample.map(([doc, facts]) => answer(doc, facts))).toEqual(before);
    } finally {
      (FAMILIES as FamilySpecList).reverse();
    }
  });
});

type FamilySpecList = (typeof FAMILIES)[number][];
