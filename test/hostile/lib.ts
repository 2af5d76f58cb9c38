/**
 * Helpers of the hostile suite: throw-away workspaces, git repositories, and the marker files
 * that prove a command from repository configuration never ran.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { PROJECT, removeTree, sha256, tempDir } from "../helpers.js";

export const DEMO = path.join(PROJECT, "corpus-fixtures", "demo");
/** The demo's exporter sidecar and the ONNX whose digest it records twice (integrity claims). */
export const DEMO_SIDECAR = "model/tiny/vmaf_tiny_v4.json";
export const DEMO_ONNX = "model/tiny/vmaf_tiny_v4.onnx";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

/** A fresh temporary folder, removed after the file's tests. */
export function scratch(prefix = "runprov-hostile-"): string {
  const d = tempDir(prefix);
  temps.push(d);
  return d;
}

/** A copy of the bundled demo workspace. */
export function demoCopy(): string {
  const d = scratch("runprov-hostile-demo-");
  cpSync(DEMO, d, { recursive: true });
  return d;
}

export function write(root: string, rel: string, content: string | Buffer): string {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

/** Flip one byte of a file in place. */
export function flipByte(abs: string, at = 0): void {
  const b = readFileSync(abs);
  if (at >= b.length) throw new Error(`${abs} has only ${b.length} bytes`);
  b[at] ^= 0xff;
  writeFileSync(abs, b);
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.invalid",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, ...GIT_ENV } });
}

export function gitInit(dir: string): void {
  git(dir, "init", "-q", "-b", "main");
}

export function commitAll(dir: string, message = "commit"): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--no-verify", "-m", message);
}

/** A run manifest (family run-manifest) whose block records `script` as its entrypoint. */
export function manifest(script: { path: string; content: string }, extra: Record<string, unknown> = {}): string {
  const block = {
    args: {},
    argv: [],
    entrypoint: { exists: true, kind: "file", path: script.path, sha256: sha256(script.content) },
    schema: "ai-run-provenance-v1",
  };
  return JSON.stringify({ run_provenance: block, schema: "hostile-report-v1", ...extra }, null, 2) + "\n";
}

/**
 * An executable that records that it ran by creating `marker` (used as fsmonitor, pager,
 * gpg program, hook ...). Returns its path.
 */
export function markerScript(dir: string, name: string, marker: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\ntouch '${marker}'\nexit 0\n`);
  chmodSync(p, 0o755);
  return p;
}

export { existsSync, sha256 };
