/**
 * `runprov trace` on an ensemble refresh chain (./chain.ts): every link from a seed ONNX to the
 * corpus, judged, with its position; a tampered ONNX; every output format; hostile file names;
 * the registry-flip helper; and the integrity claims of the real lusoris/vmaf corpus.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { itReal, realCorpus } from "../real-corpus.js";
import { registryFlip } from "../../src/gate/registry-flip.js";
import { traceGateEntries } from "../../src/lineage/gate.js";
import { traceMermaid } from "../../src/lineage/render-trace.js";
import { renderTrace } from "../../src/report/formats.js";
import { trace, type TraceResult } from "../../src/lineage/trace.js";
import { validate } from "../../src/pipeline.js";
import { commitAll, flipByte, gitInit, manifest, scratch, sha256, write } from "../hostile/lib.js";
import {
  buildChain,
  CORPUS,
  CORPUS_ROOT,
  EXPORTER,
  LOSO_DIR,
  losoReport,
  REGISTRY,
  seedOnnx,
  seedSidecar,
  TRAINER,
  valueAt,
  VALIDATOR,
  VERDICT,
  type Chain,
} from "./chain.js";

/** Claims as `artifact pointer -> file: role status`, sorted. */
const links = (r: TraceResult): string[] => r.claims.map((c) => `${c.artifact} ${c.pointer} -> ${c.file}: ${c.role} ${c.status}`).sort();

let chain: Chain;
let seed0: TraceResult;
beforeAll(async () => {
  chain = buildChain();
  seed0 = await trace(seedOnnx(0), { root: chain.root, cwd: chain.root });
});

describe("trace of a seed ONNX through an ensemble refresh chain", () => {
  it("the chain is realistic: every artifact in it validates (runs/ named, as CI names it)", async () => {
    const report = await validate(["model", "runs"], { root: chain.root, cwd: chain.root });
    expect(report.results.map((r) => r.file)).toEqual([REGISTRY, seedSidecar(0), seedSidecar(1), VERDICT, losoReport(0), losoReport(1)].sort());
    expect(report.results.filter((r) => !r.valid)).toEqual([]);
    expect(report.results.flatMap((r) => r.diagnostics).filter((d) => d.severity !== "info")).toEqual([]);
  });

  it("reaches the corpus through every link, each with the status the hash policy gives it", () => {
    const s = seedSidecar(0);
    expect(links(seed0)).toEqual(
      [
        `${s} /sha256 -> ${seedOnnx(0)}: integrity verified`,
        `${s} /corpus/sha256 -> ${CORPUS}: integrity verified`,
        `${s} /run_provenance/entrypoint/sha256 -> ${EXPORTER}: entrypoint historical-match`,
        `${s} /run_provenance/inputs/corpus/sha256 -> ${CORPUS}: input verified`,
        `${s} /run_provenance/inputs/promote_json/sha256 -> ${VERDICT}: input verified`,
        `${REGISTRY} /models/0/sha256 -> ${seedOnnx(0)}: integrity verified`,
        `${VERDICT} /run_provenance/entrypoint/sha256 -> ${VALIDATOR}: entrypoint verified`,
        `${VERDICT} /run_provenance/inputs/corpus_root -> ${CORPUS_ROOT}: input unverified`,
        `${VERDICT} /run_provenance/inputs/loso_dir -> ${LOSO_DIR}: input unverified`,
        `${VERDICT} /run_provenance/outputs/verdict -> ${VERDICT}: output missing`,
        ...[0, 1].flatMap((n) => [
          `${losoReport(n)} /run_provenance/entrypoint/sha256 -> ${TRAINER}: entrypoint verified`,
          `${losoReport(n)} /run_provenance/inputs/corpus/sha256 -> ${CORPUS}: input verified`,
        ]),
      ].sort(),
    );
    expect(seed0.ok).toBe(true);
    expect(seed0.subject).toBe(seedOnnx(0));
    // The other seed's sidecar uses the same corpus and verdict, but explains nothing about seed 0.
    expect(seed0.artifacts.map((a) => a.file)).not.toContain(seedSidecar(1));
    const entry = seed0.claims.find((c) => c.role === "entrypoint" && c.artifact === s)!;
    expect(entry.commit).toBe(chain.commits.scripts);
  });

  it("says where each claim is: artifact, pointer, line and column of the recorded value", () => {
    const at = (artifact: string, pointer: string) => {
      const c = seed0.claims.find((x) => x.artifact === artifact && x.pointer === pointer)!;
      return { line: c.line, column: c.column };
    };
    const text = (f: string) => chain.text.get(f)!;
    expect(at(seedSidecar(0), "/sha256")).toEqual(valueAt(text(seedSidecar(0)), '"seed": ', '"sha256": '));
    expect(at(seedSidecar(0), "/corpus/sha256")).toEqual(valueAt(text(seedSidecar(0)), '"corpus": {', '"sha256": '));
    expect(at(seedSidecar(0), "/run_provenance/inputs/promote_json/sha256")).toEqual(
      valueAt(text(seedSidecar(0)), '"inputs": ', '"promote_json": ', '"sha256": '),
    );
    expect(at(REGISTRY, "/models/0/sha256")).toEqual(valueAt(text(REGISTRY), '"models": ', '"sha256": '));
    expect(at(VERDICT, "/run_provenance/inputs/loso_dir")).toEqual(valueAt(text(VERDICT), '"inputs": ', '"loso_dir": '));
    expect(at(losoReport(1), "/run_provenance/inputs/corpus/sha256")).toEqual(valueAt(text(losoReport(1)), '"inputs": ', '"corpus": ', '"sha256": '));
  });

  it("explains why each artifact is on the trace", () => {
    const why = Object.fromEntries(seed0.artifacts.map((a) => [a.file, a.reasons]));
    expect(why[seedSidecar(0)]).toEqual([{ by: "records", file: seedOnnx(0), role: "integrity" }]);
    expect(why[VERDICT]).toEqual([{ by: "itself" }]);
    expect(why[losoReport(0)]).toEqual([{ by: "inside", directory: LOSO_DIR }]);
    expect(seed0.artifacts.find((a) => a.file === VERDICT)).toMatchObject({ family: "verdict", variant: "PROMOTE", followed: true });
  });

  it("the text tree nests each link under the claim that leads to it", () => {
    const text = renderTrace(seed0, "text");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(seedOnnx(0));
    const row = (needle: string) => lines.findIndex((l) => l.includes(needle));
    const depth = (i: number) => lines[i].search(/[├└]/);
    const promote = row(`input ${VERDICT}`);
    const loso = row(`input ${LOSO_DIR} `);
    const report = row(`${losoReport(0)} [loso-seed-report`);
    expect(promote).toBeGreaterThan(0);
    expect(depth(loso)).toBeGreaterThan(depth(promote));
    expect(depth(report)).toBeGreaterThan(depth(loso));
    expect(lines[row(`entrypoint ${EXPORTER}`)]).toContain(`historical-match entrypoint ${EXPORTER} (${seedSidecar(0)}:`);
    expect(lines.at(-1)).toBe(`trace of ${seedOnnx(0)}: 14 claim(s) on 5 artifact(s): 10 verified, 1 historical-match, 1 missing, 2 unverified`);
    expect(text).not.toMatch(/\u001b\[/); // no colour unless asked
  });

  it("a tampered ONNX is a mismatch on both claims that vouch for it (sidecar and registry row)", async () => {
    const c = buildChain();
    flipByte(path.join(c.root, seedOnnx(0)));
    const r = await trace(seedOnnx(0), { root: c.root, cwd: c.root });
    expect(r.ok).toBe(false);
    const bad = r.claims.filter((x) => x.status === "mismatched").map((x) => `${x.artifact} ${x.pointer} ${x.severity}`);
    expect(bad.sort()).toEqual([`${REGISTRY} /models/0/sha256 error`, `${seedSidecar(0)} /sha256 error`].sort());
    expect(r.summary.errors).toBe(2);
    // The rest of the chain is still traced and judged.
    expect(r.claims.filter((x) => x.status === "verified")).toHaveLength(8);
  });

  it("a trace from the corpus lists every artifact that records it, and follows none of its consumers", async () => {
    const r = await trace(path.join(chain.root, CORPUS), { root: chain.root, cwd: "/" });
    expect(r.subject).toBe(CORPUS);
    expect(new Set(r.claims.map((c) => c.artifact))).toEqual(new Set([seedSidecar(0), seedSidecar(1), losoReport(0), losoReport(1)]));
    expect(r.claims.every((c) => c.file === CORPUS)).toBe(true);
    expect(r.artifacts.every((a) => !a.followed)).toBe(true);
  });

  it("a trace from an artifact holds all its own claims (what it vouches for too), and what produced it", async () => {
    const r = await trace(seedSidecar(0), { root: chain.root, cwd: chain.root });
    const own = r.claims.filter((c) => c.artifact === seedSidecar(0)).map((c) => c.pointer);
    expect(own).toContain("/sha256");
    expect(r.artifacts.find((a) => a.file === seedSidecar(0))?.reasons).toEqual([{ by: "itself" }]);
    expect(r.artifacts.map((a) => a.file)).toEqual(expect.arrayContaining([VERDICT, losoReport(0), losoReport(1)]));
    const registry = await trace(REGISTRY, { root: chain.root, cwd: chain.root });
    expect(registry.claims.map((c) => c.file)).toEqual([seedOnnx(0), seedOnnx(1)]);
  });

  it("one claim index and one hasher serve several traces (the registry-flip helper)", async () => {
    const gate = await registryFlip({ registry: path.join(chain.root, REGISTRY), root: chain.root, cwd: chain.root });
    const traces = await traceGateEntries(gate);
    expect([...traces.keys()]).toEqual(["fr_regressor_v2_ensemble_v1_seed0", "fr_regressor_v2_ensemble_v1_seed1"]);
    expect(links(traces.get("fr_regressor_v2_ensemble_v1_seed0")!)).toEqual(links(seed0));
    const mermaid = traceMermaid(traces.get("fr_regressor_v2_ensemble_v1_seed1")!);
    expect(mermaid).toContain(seedOnnx(1));
  });
});

/** The structure every line of the Mermaid output must have (nothing from data can break out of a label). */
const MERMAID_LINE =
  /^(flowchart LR|  n\d+(\["[^"\n]*"\]|\("[^"\n]*"\))|  n\d+ (-->|-\.->)\|"[^"\n]*"\| n\d+|  linkStyle [\d,]+ stroke:#[0-9a-f]{6},color:#[0-9a-f]{6}|  classDef subject stroke-width:3px|  class n\d+ subject)$/;
const DOT_LINE =
  /^(digraph trace \{|  rankdir=LR;|  node \[shape=box, fontname="monospace"\];|  n\d+ (-> n\d+ )?\[label="(?:[^"\\\n]|\\.)*"(, [a-z]+=(?:"(?:[^"\\\n]|\\.)*"|[a-z0-9]+))*\];|\})$/;

describe("output formats", () => {
  it("mermaid and dot are well formed, one node per file and one edge per claim", () => {
    const mermaid = renderTrace(seed0, "mermaid").trimEnd().split("\n");
    for (const l of mermaid) expect(l).toMatch(MERMAID_LINE);
    const edges = mermaid.filter((l) => /-->|-\.->/.test(l));
    expect(edges.filter((l) => l.includes("-->"))).toHaveLength(seed0.claims.length);
    expect(edges.filter((l) => l.includes("-.->"))).toHaveLength(2); // the LOSO folder holds two reports
    const dot = renderTrace(seed0, "dot").trimEnd().split("\n");
    for (const l of dot) expect(l).toMatch(DOT_LINE);
    expect(dot.filter((l) => l.includes(" -> "))).toHaveLength(seed0.claims.length + 2);
  });

  it("markdown: a verdict, the Mermaid graph in a fence, a table with a row per claim", () => {
    const md = renderTrace(seed0, "markdown");
    expect(md).toMatch(/^### runprov trace `model\/tiny\/fr_regressor_v2_ensemble_v1_seed0\.onnx`\n\n\*\*PASS\*\*/);
    expect(md).toContain("```mermaid\nflowchart LR\n");
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| status") && !l.startsWith("| ---"));
    expect(rows).toHaveLength(seed0.claims.length);
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length).toBe(8); // six cells
  });

  it("json: the pinned shape, paths relative to the root", () => {
    const j = JSON.parse(renderTrace(seed0, "json"));
    expect(j.subject).toBe(seedOnnx(0));
    for (const c of j.claims) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(["artifact", "file", "pointer", "role", "status", "line", "column"]));
      expect(path.isAbsolute(c.artifact) || path.isAbsolute(c.file)).toBe(false);
    }
  });
});

describe("hostile file names", () => {
  const NAME = 'data/we"ird|na`me\nline2 <b>#1;.bin';
  let r: TraceResult;
  beforeAll(async () => {
    const root = scratch("runprov-lineage-hostile-");
    gitInit(root);
    const script = { path: "ai/scripts/x.py", content: "print(1)\n" };
    write(root, script.path, script.content);
    write(root, NAME, "data");
    const doc = JSON.parse(manifest(script));
    doc.run_provenance.inputs = { data: { exists: true, kind: "file", path: NAME, sha256: sha256("data") } };
    write(root, 'runs/we`ird"|.json', JSON.stringify(doc, null, 2));
    commitAll(root);
    r = await trace(NAME, { root, cwd: root });
  });

  it("are traced like any other", () => {
    expect(links(r)).toEqual([`runs/we\`ird"|.json /run_provenance/inputs/data/sha256 -> ${NAME}: input verified`]);
  });

  it("cannot break out of a label, a string, a table cell or a line", () => {
    for (const l of renderTrace(r, "mermaid").trimEnd().split("\n")) expect(l).toMatch(MERMAID_LINE);
    for (const l of renderTrace(r, "dot").trimEnd().split("\n")) expect(l).toMatch(DOT_LINE);
    const md = renderTrace(r, "markdown").split("\n");
    const rows = md.filter((l) => l.startsWith("| ") && !l.startsWith("| status") && !l.startsWith("| ---"));
    expect(rows).toHaveLength(1);
    expect(rows[0].split(/(?<!\\)\|/).length).toBe(8);
    // Markup from data is inert: literal inside code spans, entities in prose.
    const prose = md.find((l) => l.startsWith("**PASS**"))!;
    expect(prose).toContain("&lt;b&gt;");
    expect(prose).not.toContain("<b>");
    const text = renderTrace(r, "text").trimEnd().split("\n");
    expect(text).toHaveLength(4); // subject, artifact, claim, summary: the newline in the name is shown as \x0a
    expect(text[0]).toBe('data/we"ird|na`me\\x0aline2 <b>#1;.bin');
  });
});

describe("the real lusoris/vmaf corpus (legacy files, no blocks)", () => {
  itReal("trace shows the integrity claims of the sidecar and the registry row", async () => {
    const dir = realCorpus();
    const r = await trace("model/tiny/fr_regressor_v2.onnx", { root: dir, cwd: dir });
    expect(r.ok).toBe(true);
    const integrity = r.claims.filter((c) => c.role === "integrity" && c.file === "model/tiny/fr_regressor_v2.onnx");
    expect(integrity.map((c) => `${c.artifact} ${c.status}`).sort()).toEqual(["model/tiny/fr_regressor_v2.json verified", "model/tiny/registry.json verified"]);
    for (const c of integrity) expect(c.line).toBeGreaterThan(1);
  });
});
