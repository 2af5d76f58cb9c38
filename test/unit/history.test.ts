/**
 * The hash policy's judgement of provenance digests against git history (docs/contract.md, "Hash
 * policy"), on throw-away repositories.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validate } from "../../src/index.js";
import type { Diagnostic } from "../../src/types.js";
import { removeTree, sha256, tempDir } from "../helpers.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" },
  }).trim();
}

/** Stage everything and commit it. */
function commitAll(dir: string, message: string): void {
  git(dir, "add", ".");
  git(dir, "commit", "-qm", message);
}

function repo(): string {
  const dir = tempDir("runprov-git-");
  temps.push(dir);
  git(dir, "init", "-q");
  return dir;
}

function write(root: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

/** An envelope whose block records `scriptContent` as the entrypoint and `input` as an input. */
function artifact(root: string, scriptContent: string, input?: { rel: string; content: string }, output?: { rel: string; content: string }): string {
  const block: Record<string, unknown> = {
    args: {},
    argv: [],
    entrypoint: { exists: true, kind: "file", path: "ai/scripts/train.py", sha256: sha256(scriptContent) },
    schema: "ai-run-provenance-v1",
  };
  if (input) block.inputs = { data: { exists: true, kind: "file", path: input.rel, sha256: sha256(input.content) } };
  if (output) block.outputs = { extra: { exists: true, kind: "file", path: output.rel, sha256: sha256(output.content) } };
  write(root, "runs/report.json", JSON.stringify({ run_provenance: block, schema: "x-report-v1" }, null, 2) + "\n");
  return "runs/report.json";
}

async function diags(root: string, opts: Record<string, unknown> = {}): Promise<Diagnostic[]> {
  const report = await validate(["runs/report.json"], { root, cwd: root, ...opts });
  return report.results[0].diagnostics;
}

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}:${d.code}:${d.pointer}`);

describe("provenance digests judged against git history", () => {
  it("a script changed since the run, whose recorded version was committed: historical-match naming the commit", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    commitAll(root, "v1");
    const v1 = git(root, "rev-parse", "HEAD");
    write(root, "ai/scripts/train.py", "v2\n");
    git(root, "commit", "-qam", "v2");
    artifact(root, "v1\n");
    const ds = await diags(root);
    expect(codes(ds)).toEqual(["info:historical-match:/run_provenance/entrypoint/sha256"]);
    expect(ds[0].message).toContain(v1);
    expect(ds[0].line).toBeGreaterThan(1);
  });

  it("the same under --strict-drift is an error", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    commitAll(root, "v1");
    write(root, "ai/scripts/train.py", "v2\n");
    git(root, "commit", "-qam", "v2");
    artifact(root, "v1\n");
    expect(codes(await diags(root, { strictDrift: true }))).toEqual(["error:hash-mismatch:/run_provenance/entrypoint/sha256"]);
  });

  it("a tracked script whose recorded digest no version ever had: error", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    commitAll(root, "v1");
    artifact(root, "never committed\n");
    const ds = await diags(root);
    expect(codes(ds)).toEqual(["error:hash-mismatch:/run_provenance/entrypoint/sha256"]);
    expect(ds[0].message).toMatch(/no committed or staged version/);
  });

  it("the staged version matching counts as history", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    commitAll(root, "v1");
    write(root, "ai/scripts/train.py", "staged\n");
    git(root, "add", "ai/scripts/train.py");
    write(root, "ai/scripts/train.py", "working tree\n");
    artifact(root, "staged\n");
    const ds = await diags(root);
    expect(codes(ds)).toEqual(["info:historical-match:/run_provenance/entrypoint/sha256"]);
    expect(ds[0].message).toMatch(/staged/);
  });

  it("an untracked (local) input that changed: warning, nothing can prove either way", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    write(root, ".gitignore", "data/\n");
    commitAll(root, "v1");
    write(root, "data/table.csv", "rebuilt\n");
    artifact(root, "v1\n", { rel: "data/table.csv", content: "original\n" });
    expect(codes(await diags(root))).toEqual(["warning:hash-mismatch:/run_provenance/inputs/data/sha256"]);
  });

  it("an output of unknown timing that no history vouches for is a warning, not an error", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    write(root, "runs/extra.txt", "now\n");
    commitAll(root, "v1");
    artifact(root, "v1\n", undefined, { rel: "runs/extra.txt", content: "then\n" });
    expect(codes(await diags(root))).toEqual(["warning:hash-mismatch:/run_provenance/outputs/extra/sha256"]);
  });

  it("matching files are verified and counted", async () => {
    const root = repo();
    write(root, "ai/scripts/train.py", "v1\n");
    write(root, "data/t.csv", "rows\n");
    commitAll(root, "v1");
    artifact(root, "v1\n", { rel: "data/t.csv", content: "rows\n" });
    const report = await validate(["runs/report.json"], { root, cwd: root });
    expect(report.results[0].diagnostics).toEqual([]);
    expect(report.summary.hashes).toEqual({ verified: 2, mismatched: 0, unverified: 0 });
  });

  it("a root below the git top level resolves paths against the root, not the top level", async () => {
    const top = repo();
    const root = path.join(top, "sub");
    write(root, "ai/scripts/train.py", "v1\n");
    commitAll(top, "v1");
    write(root, "ai/scripts/train.py", "v2\n");
    git(top, "commit", "-qam", "v2");
    artifact(root, "v1\n");
    expect(codes(await diags(root))).toEqual(["info:historical-match:/run_provenance/entrypoint/sha256"]);
  });
});
