/** FIFOs and other special files named by descriptors are never opened (a FIFO would hang a reader). */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validate } from "../../src/index.js";
import { removeTree, sha256, tempDir } from "../helpers.js";
import { mkfifoSync } from "./mkfifo.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function workspace(inputs: Record<string, unknown>): string {
  const root = tempDir("runprov-special-");
  temps.push(root);
  mkdirSync(path.join(root, "ai/scripts"), { recursive: true });
  writeFileSync(path.join(root, "ai/scripts/run.py"), "x\n");
  mkfifoSync(path.join(root, "data/pipe"));
  const doc = {
    run_provenance: {
      args: {},
      argv: [],
      entrypoint: { exists: true, kind: "file", path: "ai/scripts/run.py", sha256: sha256("x\n") },
      inputs,
      schema: "ai-run-provenance-v1",
    },
    schema: "special-v1",
  };
  writeFileSync(path.join(root, "report.json"), JSON.stringify(doc, null, 2));
  return root;
}

describe("special files", () => {
  it("a FIFO where a file was recorded is reported, not opened", async () => {
    const root = workspace({ stream: { exists: true, kind: "file", path: "data/pipe", sha256: "a".repeat(64) } });
    const report = await validate(["report.json"], { root, cwd: root });
    expect(report.results[0].diagnostics.map((d) => [d.severity, d.code, d.pointer])).toEqual([
      ["warning", "kind-changed", "/run_provenance/inputs/stream/sha256"],
    ]);
    expect(report.results[0].diagnostics[0].message).toMatch(/FIFO/);
  });

  it("a FIFO recorded as exists:true, kind:missing (what describe_path writes for one) is legal and left alone", async () => {
    const root = workspace({ stream: { exists: true, kind: "missing", path: "data/pipe" } });
    const report = await validate(["report.json"], { root, cwd: root });
    expect(report.results[0]).toMatchObject({ valid: true, diagnostics: [] });
  });

  it("a FIFO in a walked folder is never opened", async () => {
    const root = workspace({ x: null });
    mkfifoSync(path.join(root, "runs/out.json"));
    const report = await validate(["."], { root, cwd: root });
    expect(report.results.map((r) => r.file)).toEqual(["report.json"]);
  });
});
