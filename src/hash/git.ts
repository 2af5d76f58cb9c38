/**
 * Git history, for judging provenance digests that no longer match the working tree: was
 * the recorded content ever committed (or staged)? Plain `git`, one `git log` per path (not
 * one process per version), and one long-lived `git cat-file --batch` that streams the blobs.
 */
import { spawn, execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { parseLfsPointer } from "./lfs.js";

const execFileP = promisify(execFile);
const MAX_BUFFER = 64 * 1024 * 1024;

export interface HistoryMatch {
  /** Where the matching content is: the index (staged) or a commit. */
  where: "staged" | "commit";
  commit?: string;
}

export type TrackState = "tracked" | "untracked";

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileP("git", args, { cwd, maxBuffer: MAX_BUFFER, encoding: "utf8", env: gitEnv() });
  return stdout;
}

function gitEnv(): NodeJS.ProcessEnv {
  // Never prompt, never page, never read a user's replacement refs into the verdict.
  return { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", GIT_NO_REPLACE_OBJECTS: "1", LC_ALL: "C" };
}

/** `git rev-parse --show-toplevel` of a folder, or undefined outside a repository. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ["rev-parse", "--show-toplevel"])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Digest of blob content: the LFS oid when the blob is a pointer, else the content's SHA-256. */
function blobDigests(content: Buffer): string[] {
  const out = [createHash("sha256").update(content).digest("hex")];
  const lfs = parseLfsPointer(content);
  if (lfs) out.push(lfs.oid);
  return out;
}

class BlobReader {
  private proc?: ReturnType<typeof spawn>;
  private buf = Buffer.alloc(0);
  private waiting: { resolve: (b: Buffer | undefined) => void }[] = [];
  private failed = false;

  constructor(private readonly cwd: string) {}

  read(oid: string): Promise<Buffer | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    if (!this.proc) this.start();
    return new Promise((resolve) => {
      this.waiting.push({ resolve });
      this.proc!.stdin!.write(`${oid}\n`);
    });
  }

  close(): void {
    this.proc?.stdin?.end();
    this.proc?.kill();
    this.proc = undefined;
  }

  private start(): void {
    this.proc = spawn("git", ["cat-file", "--batch"], { cwd: this.cwd, env: gitEnv(), stdio: ["pipe", "pipe", "ignore"] });
    this.proc.on("error", () => this.fail());
    this.proc.on("exit", () => this.fail());
    this.proc.stdin!.on("error", () => this.fail());
    this.proc.stdout!.on("data", (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      this.drain();
    });
  }

  private fail(): void {
    this.failed = true;
    for (const w of this.waiting.splice(0)) w.resolve(undefined);
  }

  private drain(): void {
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0 || !this.waiting.length) return;
      const header = this.buf.subarray(0, nl).toString("utf8");
      const m = /^[0-9a-f]+ \w+ (\d+)$/.exec(header);
      if (!m) {
        // "<oid> missing" or similar: no content for this request.
        this.buf = this.buf.subarray(nl + 1);
        this.waiting.shift()!.resolve(undefined);
        continue;
      }
      const size = Number(m[1]);
      if (this.buf.length < nl + 1 + size + 1) return;
      const content = Buffer.from(this.buf.subarray(nl + 1, nl + 1 + size));
      this.buf = this.buf.subarray(nl + 1 + size + 1);
      this.waiting.shift()!.resolve(content);
    }
  }
}

export class GitHistory {
  private readonly blobs: BlobReader;
  private readonly tracked = new Map<string, Promise<TrackState>>();
  private readonly found = new Map<string, Promise<Map<string, HistoryMatch>>>();

  /** `root` is the repository root the artifacts' paths are relative to (may be below the top level). */
  constructor(readonly root: string) {
    this.blobs = new BlobReader(root);
  }

  static async open(root: string): Promise<GitHistory | undefined> {
    return (await gitTopLevel(root)) ? new GitHistory(root) : undefined;
  }

  trackState(rel: string): Promise<TrackState> {
    let p = this.tracked.get(rel);
    if (!p) {
      p = git(this.root, ["ls-files", "-z", "--", `:(literal)${rel}`])
        .then((out): TrackState => (out.length ? "tracked" : "untracked"))
        .catch((): TrackState => "untracked");
      this.tracked.set(rel, p);
    }
    return p;
  }

  /**
   * Where a digest occurs in the file's history: the staged version first, then every commit
   * that changed the path, newest first. Every digest of every version is computed once.
   */
  async findDigest(rel: string, sha256: string): Promise<HistoryMatch | undefined> {
    let p = this.found.get(rel);
    if (!p) {
      p = this.collect(rel);
      this.found.set(rel, p);
    }
    return (await p).get(sha256);
  }

  close(): void {
    this.blobs.close();
  }

  private async collect(rel: string): Promise<Map<string, HistoryMatch>> {
    const out = new Map<string, HistoryMatch>();
    const spec = `:(literal)${rel}`;
    const staged = await git(this.root, ["ls-files", "-s", "-z", "--", spec]).catch(() => "");
    const stagedOid = /^\d+ ([0-9a-f]{40,64}) /.exec(staged)?.[1];
    const versions: { oid: string; match: HistoryMatch }[] = [];
    if (stagedOid) versions.push({ oid: stagedOid, match: { where: "staged" } });
    // --raw prints, per commit, the blob the path had after it; deletions show all-zero oids.
    const log = await git(this.root, ["log", "--all", "--format=commit %H", "--raw", "--no-abbrev", "--no-renames", "--", spec]).catch(() => "");
    let commit = "";
    for (const line of log.split("\n")) {
      if (line.startsWith("commit ")) commit = line.slice(7).trim();
      else if (line.startsWith(":")) {
        const fields = line.slice(1).split(/\s+/);
        const oid = fields[3];
        if (oid && !/^0+$/.test(oid)) versions.push({ oid, match: { where: "commit", commit } });
      }
    }
    const seen = new Set<string>();
    for (const v of versions) {
      if (seen.has(v.oid)) continue;
      seen.add(v.oid);
      const content = await this.blobs.read(v.oid);
      if (!content) continue;
      for (const d of blobDigests(content)) if (!out.has(d)) out.set(d, v.match);
    }
    return out;
  }
}
