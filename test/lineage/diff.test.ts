/**
 * `runprov diff`: a re-exported seed sidecar against its committed version (`HEAD:path`), block
 * first; NaN-safe comparison and valid JSON; operands that are refused.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diff, type DiffResult } from "../../src/lineage/diff.js";
import { renderDiff } from "../../src/report/formats.js";
import { UsageError } from "../../src/types.js";
import { scratch, sha256, write } from "../hostile/lib.js";
import { buildChain, CORPUS, EXPORTER, pyJson, seedOnnx, seedSidecar, type Chain } from "./chain.js";

let chain: Chain;
let reexport: DiffResult;
beforeAll(async () => {
  chain = buildChain();
  // Re-export seed 0 with the edited exporter (HEAD), more epochs, and a refreshed corpus.
  const root = chain.root;
  const corpus = chain.corpus + '{"adm2": 0.7, "cq": 40, "src": "CrowdRun_25fps"}\n';
  write(root, CORPUS, corpus);
  const onnx = "onnx-bytes-of-seed-0, re-exported\n";
  write(root, seedOnnx(0), onnx);
  const doc = JSON.parse(chain.text.get(seedSidecar(0))!);
  const b = doc.run_provenance;
  b.args.epochs = 300;
  b.argv = ["--seeds", "0,1", "--epochs", "300"];
  b.entrypoint.sha256 = sha256(readFileSync(path.join(root, EXPORTER)));
  b.inputs.corpus.sha256 = sha256(corpus);
  doc.corpus.sha256 = sha256(corpus);
  doc.corpus.n_rows = 3;
  doc.training_recipe.epochs = 300;
  doc.sha256 = sha256(onnx);
  write(root, seedSidecar(0), pyJson(doc));
  reexport = await diff(`HEAD:${seedSidecar(0)}`, seedSidecar(0), { root, cwd: root });
});

describe("diff of a re-exported sidecar against HEAD", () => {
  it("names the changed entrypoint, argv, args and input digests first, then the family's keys", () => {
    expect(reexport.equal).toBe(false);
    expect(reexport.changes.map((c) => `${c.section} ${c.kind} ${c.pointer}`)).toEqual([
      "entrypoint changed /run_provenance/entrypoint/sha256",
      "argv changed /run_provenance/argv",
      "args changed /run_provenance/args/epochs",
      "inputs changed /run_provenance/inputs/corpus/sha256",
      "document changed /corpus/n_rows",
      "document changed /corpus/sha256",
      "document changed /sha256",
      "document changed /training_recipe/epochs",
    ]);
    const epochs = reexport.changes.find((c) => c.pointer.endsWith("/args/epochs"))!;
    expect([epochs.before, epochs.after]).toEqual([200, 300]);
    const corpus = reexport.changes.find((c) => c.section === "inputs")!;
    expect(corpus.before).toBe(sha256(chain.corpus));
  });

  it("says which commits each entrypoint digest matches", () => {
    expect(reexport.entrypoint.a).toEqual({ path: EXPORTER, sha256: sha256(chain.exporterV1), commits: [chain.commits.scripts] });
    expect(reexport.entrypoint.b?.commits).toEqual([chain.commits.edit]);
  });

  it("text and markdown read under the block's headings, in order", () => {
    const text = renderDiff(reexport, "text");
    const order = ["\nentrypoint\n", "\nargv\n", "\nargs\n", "\ninputs\n", "\noutputs\n", "\nother keys\n"].map((h) => text.indexOf(h));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    expect(text).toContain("  ~ epochs: 200 -> 300\n");
    expect(text).toContain(`  ~ corpus.sha256: "${sha256(chain.corpus)}" -> `);
    expect(text).toContain(`matches commit ${chain.commits.scripts}`);
    expect(text.trimEnd().split("\n").at(-1)).toBe("8 difference(s): 8 changed, 0 added, 0 removed");
    const md = renderDiff(reexport, "markdown");
    expect(md).toContain("#### args\n\n| | key | a | b |\n| --- | --- | --- | --- |\n| changed | `epochs` | `200` | `300` |");
  });

  it("json is the pinned shape", () => {
    const j = JSON.parse(renderDiff(reexport, "json"));
    expect(j.a).toBe(`HEAD:${seedSidecar(0)}`);
    expect(j.b).toBe(seedSidecar(0));
    for (const c of j.changes) expect(Object.keys(c)).toEqual(expect.arrayContaining(["pointer", "kind", "before", "after"]));
  });
});

describe("diff: values and operands", () => {
  const docs = (a: string, b: string): string => {
    const dir = scratch("runprov-diff-");
    write(dir, "a.json", a);
    write(dir, "b.json", b);
    return dir;
  };

  it('NaN equals NaN; a difference to NaN is written as the string "NaN" in JSON', async () => {
    let dir = docs('{"x": NaN, "y": [1, Infinity]}', '{"y": [1, Infinity], "x": NaN}');
    expect((await diff("a.json", "b.json", { root: dir, cwd: dir })).equal).toBe(true);
    dir = docs('{"x": NaN}', '{"x": -Infinity, "z": null}');
    const r = await diff("a.json", "b.json", { root: dir, cwd: dir });
    const j = JSON.parse(renderDiff(r, "json"));
    expect(j.changes).toEqual([
      { pointer: "/x", kind: "changed", before: "NaN", after: "-Infinity", section: "document" },
      { pointer: "/z", kind: "added", before: null, after: null, section: "document" },
    ]);
    expect(renderDiff(r, "text")).toContain("  ~ x: NaN -> -Infinity\n  + z: null\n");
  });

  it("argv and each args value compare whole; a document without a block is all 'other keys'", async () => {
    const block = (argv: string[], seeds: number[]) => JSON.stringify({ run_provenance: { argv, args: { seeds } } });
    const dir = docs(block(["--a"], [0, 1]), block(["--a", "--b"], [0, 2]));
    const r = await diff("a.json", "b.json", { root: dir, cwd: dir });
    expect(r.changes.map((c) => c.pointer)).toEqual(["/run_provenance/argv", "/run_provenance/args/seeds"]);
  });

  it("refuses what it cannot read: a revision written like an option, a path absent at the revision, a file that is not JSON", async () => {
    const root = chain.root;
    await expect(diff("-c:x.json", seedSidecar(1), { root, cwd: root })).rejects.toThrow(UsageError);
    await expect(diff("HEAD:runs/nope.json", seedSidecar(1), { root, cwd: root })).rejects.toThrow(/does not exist at HEAD/);
    await expect(diff("no-such-rev:x.json", seedSidecar(1), { root, cwd: root })).rejects.toThrow(/no commit/);
    writeFileSync(path.join(root, "broken.json"), "{");
    await expect(diff("broken.json", seedSidecar(1), { root, cwd: root })).rejects.toThrow(/not JSON/);
    await expect(diff("missing.json", seedSidecar(1), { root, cwd: root })).rejects.toThrow(/no such file/);
  });
});
