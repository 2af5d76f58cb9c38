/** Shared test helpers: run the built CLI as a user would, and make throw-away workspaces. */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The command-line program as users run it: the bundle of the build (package.json `bin`). */
export const CLI = path.join(PROJECT, "dist", "bin", "runprov.mjs");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "runprov-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function copyTree(from: string, prefix?: string): string {
  const dir = tempDir(prefix);
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** SHA-256 of every regular file under a folder, to prove a run wrote nothing. */
export function treeDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.set(path.relative(dir, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  visit(dir);
  return out;
}

export function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: "runprov test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "runprov test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/**
 * A committed copy of this repository's working tree (tracked and untracked files, minus ignored
 * ones: no node_modules, no dist) in a new git repository at `dest`, tagged `tag` when given;
 * returns the commit. What pre-commit and the Actions runner fetch when they check out a revision.
 */
export function snapshotProject(dest: string, tag?: string): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dest, encoding: "utf8", env: { ...process.env, ...GIT_ENV } });
  const listed = execFileSync("git", ["ls-files", "-z", "-co", "--exclude-standard"], { cwd: PROJECT, encoding: "utf8" });
  for (const rel of listed.split("\0").filter(Boolean)) {
    const to = path.join(dest, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    try {
      copyFileSync(path.join(PROJECT, rel), to);
    } catch {
      /* listed but deleted in the working tree */
    }
  }
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "--no-verify", "-m", "snapshot");
  if (tag) git("tag", tag);
  return git("rev-parse", "HEAD").trim();
}
