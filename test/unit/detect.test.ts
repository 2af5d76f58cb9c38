/** Detection order (docs/contract.md, "Detection"): --family, config globs, schema string, file name, content, fallback. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError, validate } from "../../src/index.js";
import { removeTree, tempDir } from "../helpers.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function ws(files: Record<string, unknown>): string {
  const root = tempDir("runprov-detect-");
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

const block = { args: {}, argv: [], entrypoint: { exists: false, kind: "missing", path: "ai/scripts/x.py" }, schema: "ai-run-provenance-v1" };

describe("detection order", () => {
  it("a top-level schema string naming a known variant wins over the file name", async () => {
    const root = ws({ "runs/PROMOTE.json": { schema: "ptq-dynamic-report-v1", run_provenance: block } });
    const r = await validate(["runs/PROMOTE.json"], { root, cwd: root, noHash: true });
    expect(r.results[0]).toMatchObject({ family: "quant-report", variant: "ptq-dynamic-report-v1" });
  });

  it("the project config's globs win over schema strings and names; --family wins over everything", async () => {
    const root = ws({
      ".runprov.json": { families: { "runs/**/odd-*.json": "run-manifest" } },
      "runs/a/odd-1.json": { schema: "ptq-dynamic-report-v1", run_provenance: block },
    });
    const r = await validate(["runs"], { root, cwd: root, noHash: true });
    expect(r.results[0]).toMatchObject({ file: "runs/a/odd-1.json", family: "run-manifest" });
    const forced = await validate(["runs/a/odd-1.json"], { root, cwd: root, noHash: true, family: "run-provenance" });
    expect(forced.results[0].family).toBe("run-provenance");
    expect(forced.results[0].valid).toBe(false);
  });

  it("config exclude globs drop walked files", async () => {
    const root = ws({
      ".runprov.json": { exclude: ["scratch/**"] },
      "scratch/x.json": { schema: "s", run_provenance: block },
      "runs/y.json": { schema: "s", run_provenance: block },
    });
    const r = await validate(["."], { root, cwd: root, noHash: true });
    expect(r.results.map((x) => x.file)).toEqual(["runs/y.json"]);
  });

  it("a config that names an unknown family is a usage error", async () => {
    const root = ws({ ".runprov.json": { families: { "*.json": "nope" } }, "a.json": {} });
    await expect(validate(["a.json"], { root, cwd: root })).rejects.toBeInstanceOf(UsageError);
  });

  it("an unknown document with a block is a run-manifest; without one, unknown-family when named", async () => {
    const root = ws({ "a.json": { schema: "anything-v9", run_provenance: block }, "b.json": { hello: 1 } });
    const r = await validate(["a.json", "b.json"], { root, cwd: root, noHash: true });
    expect(r.results.map((x) => [x.file, x.family, x.valid])).toEqual([
      ["a.json", "run-manifest", true],
      ["b.json", null, false],
    ]);
    expect(r.results[1].diagnostics[0]).toMatchObject({ code: "unknown-family", line: 1, column: 1 });
  });
});
