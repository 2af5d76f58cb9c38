/**
 * Git history, for judging provenance digests that no longer match the working tree: was
 * the recorded content ever committed (or staged)? One `git log` per path (not one process
 * per version), and one long-lived `git cat-file --batch` whose output is hashed as it
 * streams: a 100 MB blob in history is never held in memory. Git runs through the hardened
 * runner of `src/git/run.ts`.
 */
import { createHash, type Hash } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { gitTopLevel, mayBeRepository, runGit, spawnGit } from "../git/run.js";
import { parseLfsPointer } from "./lfs.js";

export interface HistoryMatch {
  /** Where the matching content is: the index (staged) or a commit. */
  where: "staged" | "commit";
  commit?: string;
}

export type TrackState = "tracked" | "untracked";

/** What a blob digests to: its content's SHA-256, and the LFS oid when the blob is a pointer. */
interface BlobDigests {
  sha256: string;
  lfsOid?: string;
}

/** Bytes of a blob kept to recognise a Git LFS pointer (pointers are at most 1 KiB). */
const LFS_PREFIX = 1024;

interface BlobRequest {
  resolve: (d: BlobDigests | undefined) => void;
}

/** Streaming parser of `git cat-file --batch` output: header line, content, newline. */
class BlobReader {
  private proc?: ChildProcess;
  private waiting: BlobRequest[] = [];
  private failed = false;
  // Parser state.
  private header: Buffer[] = [];
  private remaining = -1; // bytes of content still expected; -1 while reading a header
  private trailer = false; // the newline after the content is still expected
  private hash?: Hash;
  /** The content of a blob small enough to be an LFS pointer; undefined for larger blobs. */
  private small?: Buffer[];

  constructor(private readonly cwd: string) {}

  read(oid: string): Promise<BlobDigests | undefined> {
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
    const proc = spawnGit(this.cwd, ["cat-file", "--batch"]);
    this.proc = proc;
    proc.on("error", () => this.fail());
    proc.on("exit", () => this.fail());
    proc.stdin!.on("error", () => this.fail());
    proc.stdout!.on("data", (chunk: Buffer) => this.feed(chunk));
  }

  private fail(): void {
    this.failed = true;
    for (const w of this.waiting.splice(0)) w.resolve(undefined);
  }

  private feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.trailer) {
        at++; // the newline that ends each object
        this.trailer = false;
        this.finishBlob();
        continue;
      }
      if (this.remaining < 0) {
        const nl = chunk.indexOf(0x0a, at);
        if (nl < 0) {
          this.header.push(chunk.subarray(at));
          return;
        }
        this.header.push(chunk.subarray(at, nl));
        at = nl + 1;
        const line = Buffer.concat(this.header).toString("utf8");
        this.header = [];
        const m = /^[0-9a-f]+ \w+ (\d+)$/.exec(line);
        if (!m) {
          // "<oid> missing" (or ambiguous): no content follows.
          this.waiting.shift()?.resolve(undefined);
          continue;
        }
        this.remaining = Number(m[1]);
        this.hash = createHash("sha256");
        this.small = this.remaining <= LFS_PREFIX ? [] : undefined;
        if (this.remaining === 0) {
          this.remaining = -1;
          this.trailer = true;
        }
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      const piece = chunk.subarray(at, at + take);
      this.hash!.update(piece);
      this.small?.push(Buffer.from(piece));
      this.remaining -= take;
      at += take;
      if (this.remaining === 0) {
        this.remaining = -1;
        this.trailer = true;
      }
    }
  }

  private finishBlob(): void {
    const sha256 = this.hash!.digest("hex");
    const lfs = this.small ? parseLfsPointer(Buffer.concat(this.small)) : undefined;
    this.hash = undefined;
    this.small = undefined;
    this.waiting.shift()?.resolve(lfs ? { sha256, lfsOid: lfs.oid } : { sha256 });
  }
}

export class GitHistory {
  private readonly blobs: BlobReader;
  private readonly tracked = new Map<string, Promise<TrackState>>();
  private readonly found = new Map<string, Promise<Map<string, HistoryMatch[]>>>();

  /** Whether git accepts the repository; asked on first use (most runs never need history). */
  private usable?: Promise<boolean>;

  /** `root` is the repository root the artifacts' paths are relative to (may be below the top level). */
  constructor(
    readonly root: string,
    private readonly onRefused?: (message: string) => void,
  ) {
    this.blobs = new BlobReader(root);
  }

  /**
   * The history of `root`, or undefined when no repository can be there. No git process starts
   * here: whether git accepts the repository (it refuses one of another owner, `onRefused` is told
   * why, with the fix) is asked on first use, so a run that meets no changed file never spawns git.
   */
  static async open(root: string, onRefused?: (message: string) => void): Promise<GitHistory | undefined> {
    return mayBeRepository(root) ? new GitHistory(root, onRefused) : undefined;
  }

  /** Whether the root is in a repository git accepts: without one, no history can vouch for anything. */
  available(): Promise<boolean> {
    this.usable ??= gitTopLevel(this.root).then((t) => {
      if (t.refused) this.onRefused?.(t.refused);
      return t.top !== undefined;
    });
    return this.usable;
  }

  trackState(rel: string): Promise<TrackState> {
    let p = this.tracked.get(rel);
    if (!p) {
      p = this.available()
        .then((ok) => (ok ? runGit(this.root, ["ls-files", "-z", "--", `:(literal)${rel}`]) : undefined))
        .then((r): TrackState => (r?.ok && r.stdout.length ? "tracked" : "untracked"));
      this.tracked.set(rel, p);
    }
    return p;
  }

  /**
   * Where a digest occurs in the file's history: the staged version first, then every commit
   * that changed the path, newest first. Every digest of every version is computed once.
   */
  async findDigest(rel: string, sha256: string): Promise<HistoryMatch | undefined> {
    return (await this.matches(rel, sha256))[0];
  }

  /**
   * Every commit that put a version with this digest at the path (newest first; the staged
   * version is not a commit). `runprov replay` and `diff` name them.
   */
  async findCommits(rel: string, sha256: string): Promise<string[]> {
    return (await this.matches(rel, sha256)).flatMap((m) => (m.commit ? [m.commit] : []));
  }

  private async matches(rel: string, sha256: string): Promise<HistoryMatch[]> {
    let p = this.found.get(rel);
    if (!p) {
      p = this.available().then((ok) => (ok ? this.collect(rel) : new Map<string, HistoryMatch[]>()));
      this.found.set(rel, p);
    }
    return (await p).get(sha256) ?? [];
  }

  close(): void {
    this.blobs.close();
  }

  private async collect(rel: string): Promise<Map<string, HistoryMatch[]>> {
    const out = new Map<string, HistoryMatch[]>();
    const add = (digest: string, m: HistoryMatch): void => {
      const list = out.get(digest);
      if (list) list.push(m);
      else out.set(digest, [m]);
    };
    const spec = `:(literal)${rel}`;
    const staged = await runGit(this.root, ["ls-files", "-s", "-z", "--", spec]);
    const stagedOid = staged.ok ? /^\d+ ([0-9a-f]{40,64}) /.exec(staged.stdout.toString("utf8"))?.[1] : undefined;
    const versions: { oid: string; match: HistoryMatch }[] = [];
    if (stagedOid) versions.push({ oid: stagedOid, match: { where: "staged" } });
    // --raw prints, per commit, the blob the path had after it; deletions show all-zero oids.
    const log = await runGit(this.root, [
      "log",
      "--all",
      "--no-ext-diff",
      "--no-textconv",
      "--format=commit %H",
      "--raw",
      "--no-abbrev",
      "--no-renames",
      "--",
      spec,
    ]);
    let commit = "";
    for (const line of log.ok ? log.stdout.toString("utf8").split("\n") : []) {
      if (line.startsWith("commit ")) commit = line.slice(7).trim();
      else if (line.startsWith(":")) {
        const fields = line.slice(1).split(/\s+/);
        const oid = fields[3];
        if (oid && !/^0+$/.test(oid)) versions.push({ oid, match: { where: "commit", commit } });
      }
    }
    // Each blob is read once, however many commits hold it.
    const read = new Map<string, Promise<BlobDigests | undefined>>();
    for (const v of versions) {
      let pending = read.get(v.oid);
      if (!pending) {
        pending = this.blobs.read(v.oid);
        read.set(v.oid, pending);
      }
      const d = await pending;
      if (!d) continue;
      add(d.sha256, v.match);
      if (d.lfsOid && d.lfsOid !== d.sha256) add(d.lfsOid, v.match);
    }
    return out;
  }
}
