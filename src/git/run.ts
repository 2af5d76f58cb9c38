/**
 * The one way runprov runs git, shared by the hash stage, the registry-flip gate and the lineage
 * commands.
 *
 * runprov only reads repositories it did not write, so nothing in a repository's own
 * configuration may turn a read into a command: the file-system monitor, hooks, pagers,
 * signature checks, external diff and textconv drivers are switched off on the command line
 * (which overrides every configuration file), no protocol is allowed (a partial clone must
 * not fetch missing blobs over the network), prompts are off, and optional index locks are
 * never taken (a read never writes `.git/index`). See docs/contract.md, "Selection and
 * confinement".
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// node:child_process (with net, dgram and streams) is loaded when git first runs: most runs never start it.
const requireBuiltin = createRequire(import.meta.url);
const childProcess = (): typeof import("node:child_process") => requireBuiltin("node:child_process") as typeof import("node:child_process");

/** `-c` settings that neutralise every repository setting known to run a program on a read. */
const SAFE_CONFIG = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "core.pager=cat",
  "core.askPass=",
  "core.sshCommand=",
  "log.showSignature=false",
  "protocol.allow=never",
  "credential.helper=",
];

/** Variables a caller's environment might hold that make git run a program. */
const UNSAFE_ENV = [
  "GIT_EXTERNAL_DIFF",
  "GIT_ASKPASS",
  "SSH_ASKPASS",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "GIT_EDITOR",
  "GIT_SEQUENCE_EDITOR",
  "GIT_PROXY_COMMAND",
  "GIT_PAGER",
];

export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of UNSAFE_ENV) delete env[k];
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    GIT_NO_REPLACE_OBJECTS: "1",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_NO_LAZY_FETCH: "1",
    LC_ALL: "C",
  };
}

export function gitArgs(args: string[]): string[] {
  return [...SAFE_CONFIG.flatMap((c) => ["-c", c]), "--no-pager", ...args];
}

export interface GitRun {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

/** Run one git command to completion. Never throws; `ok` is false on any failure. */
export function runGit(cwd: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<GitRun> {
  return new Promise((resolve) => {
    childProcess().execFile("git", gitArgs(args), { cwd, encoding: "buffer", maxBuffer, env: gitEnv(), windowsHide: true }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: (stdout as Buffer) ?? Buffer.alloc(0), stderr: (stderr as Buffer)?.toString("utf8") ?? "" });
    });
  });
}

/** A revision git cannot take for an option or split into words: what `--base REF` and `REV:path` accept. */
export function isSafeRev(rev: string): boolean {
  return rev !== "" && !rev.startsWith("-") && !/[\s\0]/.test(rev);
}

/** The commit `rev` names in the repository of `cwd` (`rev^{commit}`), or undefined when this clone has none. */
export async function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  const r = await runGit(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return r.ok ? r.stdout.toString("utf8").trim() : undefined;
}

/** The bytes of `file` at `commit` (`git cat-file blob`), or undefined when it is no file there (or is larger than `maxBuffer`). */
export async function readBlob(cwd: string, commit: string, file: string, maxBuffer?: number): Promise<Buffer | undefined> {
  const r = await runGit(cwd, ["cat-file", "blob", `${commit}:${file}`], maxBuffer);
  return r.ok ? r.stdout : undefined;
}

/** Start a long-lived git command (e.g. `cat-file --batch`) with the same protections. */
export function spawnGit(cwd: string, args: string[]): ChildProcess {
  return childProcess().spawn("git", gitArgs(args), { cwd, env: gitEnv(), stdio: ["pipe", "pipe", "ignore"], windowsHide: true });
}

export type TopLevel = { top: string; refused?: undefined } | { top?: undefined; refused?: string };

const DUBIOUS = /dubious ownership/i;

/**
 * `git rev-parse --show-toplevel` of a folder. `refused` is set when git declines the
 * repository ("dubious ownership" in a CI container), with the fix to print.
 */
export async function gitTopLevel(dir: string): Promise<TopLevel> {
  if (!mayBeRepository(dir)) return {};
  const r = await runGit(dir, ["rev-parse", "--show-toplevel"]);
  const top = r.ok ? r.stdout.toString("utf8").trim() : "";
  if (top) return { top };
  if (DUBIOUS.test(r.stderr)) {
    const repo = /repository at '([^'\n]+)'/.exec(r.stderr)?.[1] ?? dir;
    return {
      refused:
        `git refuses the repository at ${repo} (dubious ownership: it belongs to another user), so no git ` +
        `history can vouch for a changed file. Fix: git config --global --add safe.directory ${repo}`,
    };
  }
  return {};
}

/**
 * Whether git could see a repository at `dir`: a `.git` entry in it or a folder above, or an
 * environment that points git elsewhere. When neither holds, no git process is started (most
 * runs outside a repository are tests and scratch folders, where a spawn costs more than the check).
 */
export function mayBeRepository(dir: string): boolean {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return true;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, ".git"))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/**
 * The work tree that holds `dir`, found the way git looks for it (the nearest folder above with
 * a `.git` folder holding HEAD, or a `.git` file naming one), without starting git: the root of
 * a run is wanted before anything else, and a pre-commit hook pays for every process. When the
 * environment points git elsewhere (GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES), git is asked.
 */
export async function workTreeTop(dir: string): Promise<string | undefined> {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE || process.env.GIT_CEILING_DIRECTORIES) return (await gitTopLevel(dir)).top;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, ".git");
    try {
      const st = statSync(dotGit);
      if (st.isDirectory() ? existsSync(path.join(dotGit, "HEAD")) : st.isFile() && readFileSync(dotGit, "utf8").startsWith("gitdir:")) return d;
    } catch {
      /* nothing here: look further up */
    }
    if (path.dirname(d) === d) return undefined;
  }
}
