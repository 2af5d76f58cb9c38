/**
 * Workspaces made from the bundled demo (corpus-fixtures/demo) for the end-to-end tests, so that
 * they need nothing outside this repository: a plain copy, and a git repository whose registry
 * flips the demo's vmaf_tiny_v4 from smoke to production.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT, copyTree } from "../helpers.js";

export const DEMO = path.join(PROJECT, "corpus-fixtures", "demo");
export const SIDECAR = "model/tiny/vmaf_tiny_v4.json";
export const ONNX = "model/tiny/vmaf_tiny_v4.onnx";
export const REGISTRY = "model/tiny/registry.json";

/** A writable copy of the demo; the caller removes it. */
export function demoWorkspace(prefix = "runprov-e2e-"): string {
  return copyTree(DEMO, prefix);
}

/** Flip one bit of the last byte of a file. */
export function flipByte(file: string): void {
  const buf = readFileSync(file);
  buf[buf.length - 1] ^= 0x01;
  writeFileSync(file, buf);
}

export function git(dir: string, ...args: string[]): string {
  return gitWithEnv(dir, {}, ...args);
}

/** git in `dir` as a fixed author, without the system configuration; `env` adds to the environment. */
export function gitWithEnv(dir: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.invalid",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.invalid",
      GIT_CONFIG_NOSYSTEM: "1",
      ...env,
    },
  });
}

/**
 * The demo as a git repository (branch `main`) with a registry whose vmaf_tiny_v4 row is smoke
 * in the commit and production in the working tree: the pull request a registry-flip gate checks.
 */
export function demoRegistryRepo(): string {
  const ws = demoWorkspace("runprov-e2e-gate-");
  const side = JSON.parse(readFileSync(path.join(ws, SIDECAR), "utf8"));
  const row = {
    id: side.id,
    int8_sha256: side.int8_sha256,
    kind: side.kind,
    license: "BSD-3-Clause-Plus-Patent",
    notes: "demo",
    onnx: path.basename(ONNX),
    opset: side.opset,
    quant_mode: side.quant_mode,
    sha256: side.sha256,
    smoke: true,
  };
  const write = () => writeFileSync(path.join(ws, REGISTRY), JSON.stringify({ models: [row], schema_version: 1 }, null, 2) + "\n");
  write();
  git(ws, "init", "-q", "-b", "main");
  git(ws, "add", "-A");
  git(ws, "commit", "-q", "--no-verify", "-m", "base");
  row.smoke = false;
  write();
  return ws;
}
