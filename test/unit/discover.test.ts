import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discover } from "../../src/discover.js";
import { UsageError } from "../../src/types.js";
import { removeTree, tempDir } from "../helpers.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function tree(files: Record<string, string>): string {
  const root = tempDir("runprov-disc-");
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const rels = (root: string, files: { absPath: string }[]) => files.map((f) => path.relative(root, f.absPath)).sort();

describe("discover", () => {
  it("walks directories for JSON, honouring nested .gitignore files and skipping .git and node_modules", async () => {
    const root = tree({
      "a.json": "{}",
      "notes.txt": "x",
      ".gitignore": "runs/scratch/\n*.tmp.json\n",
      "runs/scratch/x.json": "{}",
      "runs/keep.json": "{}",
      "runs/y.tmp.json": "{}",
      "model/.gitignore": "private.json\n",
      "model/private.json": "{}",
      "model/x.json": "{}",
      "node_modules/p/package.json": "{}",
      ".git/config.json": "{}",
    });
    const d = await discover(["."], root, root);
    expect(rels(root, d.files)).toEqual(["a.json", "model/x.json", "runs/keep.json"]);
    expect(d.files.every((f) => !f.explicit)).toBe(true);
  });

  it("applies the root's .gitignore when a subfolder is walked", async () => {
    const root = tree({ ".gitignore": "model/tmp/\n", "model/tmp/a.json": "{}", "model/b.json": "{}" });
    const d = await discover(["model"], root, root);
    expect(rels(root, d.files)).toEqual(["model/b.json"]);
  });

  it("never follows symbolic links while walking", async () => {
    const outside = tree({ "secret.json": "{}" });
    const root = tree({ "a.json": "{}" });
    symlinkSync(outside, path.join(root, "linked-dir"));
    symlinkSync(path.join(outside, "secret.json"), path.join(root, "linked.json"));
    const d = await discover(["."], root, root);
    expect(rels(root, d.files)).toEqual(["a.json"]);
  });

  it("expands globs and keeps named files explicit whatever their extension", async () => {
    const root = tree({ "runs/a.json": "{}", "runs/b.json": "{}", "runs/c.txt": "{}" });
    const d = await discover(["runs/*.json", "runs/c.txt"], root, root);
    expect(rels(root, d.files)).toEqual(["runs/a.json", "runs/b.json", "runs/c.txt"]);
    expect(d.files.every((f) => f.explicit)).toBe(true);
  });

  it("replaces a named ONNX by its sidecar and the registries above it", async () => {
    const root = tree({
      "model/tiny/m.onnx": "graph",
      "model/tiny/m.json": "{}",
      "model/tiny/q.int8.onnx": "int8",
      "model/tiny/q.json": "{}",
      "model/tiny/registry.json": "{}",
      "model/tiny/lonely.onnx": "graph",
    });
    const d = await discover(["model/tiny/m.onnx", "model/tiny/q.int8.onnx"], root, root);
    expect(rels(root, d.files)).toEqual(["model/tiny/m.json", "model/tiny/q.json", "model/tiny/registry.json"]);
    const lonely = await discover(["model/tiny/lonely.onnx"], root, root);
    expect(rels(root, lonely.files)).toEqual(["model/tiny/registry.json"]);
    const orphan = tree({ "x.onnx": "graph" });
    expect((await discover(["x.onnx"], orphan, orphan)).orphanModels).toHaveLength(1);
  });

  it("refuses named paths that do not exist, globs that match nothing, and FIFOs", async () => {
    const root = tree({ "a.json": "{}" });
    await expect(discover(["nope.json"], root, root)).rejects.toBeInstanceOf(UsageError);
    await expect(discover(["runs/*.json"], root, root)).rejects.toBeInstanceOf(UsageError);
    execFileSync("mkfifo", [path.join(root, "pipe.json")]);
    await expect(discover(["pipe.json"], root, root)).rejects.toThrow(/FIFO/);
    // Walking a folder with a FIFO in it neither hangs nor opens it.
    const d = await discover(["."], root, root);
    expect(rels(root, d.files)).toEqual(["a.json"]);
  });
});
