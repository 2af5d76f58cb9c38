/**
 * The persistent digest cache of `validate --cache` (docs/contract.md, "Scale"): the SHA-256 of
 * each file hashed, keyed as git's index keys a file, by device, inode, size, modification time
 * and change time in nanoseconds. A later run that finds a file with the same five values takes
 * the digest from the cache and never opens the file. A same-size edit whose old modification
 * time is put back is still seen: the edit moved the change time, which nothing but the kernel
 * sets.
 *
 * Trust:
 *
 * - The file is read whole, through the one opener (`files/confined.ts`: a regular file, never
 *   a symbolic link, never a FIFO), and accepted only when its header names this format, this
 *   runprov version and this root, and the SHA-256 in the header matches the body. Anything
 *   else (corrupt, truncated, from another version, half-written by a concurrent run) is
 *   ignored and the cache is rebuilt from scratch; a cache is never partly trusted.
 * - Racy entries are never stored (git's "racy clean" problem): a file whose modification or
 *   change time is within RACY_WINDOW_NS of the moment it was looked at could be changed again
 *   within the same timestamp tick without either time moving. Such a file is hashed every run
 *   until it is older than the window. The window (2 s) covers coarse file-system clocks (FAT's
 *   2 s, HFS+'s and ext3's 1 s) and a small skew between the file system's clock and ours.
 * - An entry is stored only when the file's stat before hashing equals its stat after (a file
 *   being written while it is hashed is not cached).
 * - It is written once, at the end of a run, to a temporary file that is then renamed over the
 *   cache (atomic: a reader sees the old cache or the new one, never a mix). Two runs that
 *   write at once leave one complete cache (the last rename wins).
 *
 * Where (`cacheDirectory`): `--cache-location DIR`, else `<git-dir>/runprov/` of the root's
 * repository, else `$XDG_CACHE_HOME/runprov` (`~/.cache/runprov`); never in the working tree.
 * One file per root: `digests-<16 hex digits of the SHA-256 of the real root>`.
 *
 * The cache is as trustworthy as the folder it lives in: whoever can write there can make a
 * changed file pass. The registry-flip gate, `attest`, `trace` and `replay` never use it.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type BigIntStats } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { isInside, readConfined, RefusedFile } from "../files/confined.js";
import { runGit, workTreeTop } from "../git/run.js";
import { UsageError } from "../types.js";
import type { FileDigest } from "./digest.js";
import { SHA256_RE } from "./verify.js";

/** Format of the cache file; a file of another format is ignored. */
export const CACHE_FORMAT = 1;
const MAGIC = "runprov-digest-cache";
/** Files whose modification or change time is this close to the moment they were looked at are not cached. */
export const RACY_WINDOW_NS = 2_000_000_000n;
/** A cache file larger than this is ignored (about 2.5 million entries). */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;
/** Entries kept at most; those this run did not use are dropped first. */
const MAX_ENTRIES = 2_000_000;
/** Temporary files of a run that died between writing and renaming are removed after this long. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface CacheEntry {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  sha256: string;
  /** Present when the file is a Git LFS pointer. */
  lfs?: { oid: string; size: number };
}

/** What a lookup saw: the digest on a hit; on a miss, the stat (if any) and when it was taken, for `record`. */
export interface Lookup {
  digest?: FileDigest;
  stat?: BigIntStats;
  atNs: bigint;
}

export interface CacheCounts {
  /** Entries read from the cache file (0 when it was absent or ignored). */
  loaded: number;
  hits: number;
  misses: number;
  /** Files hashed but not stored: racy, changed while hashed, or not a regular file. */
  notStored: number;
}

export type CacheDiscard = "absent" | "corrupt" | "foreign-version" | "other-root" | "unreadable";

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;
const INT_RE = /^\d+$/;

/** An entry as read from the file (its fields before the path, parsed when first looked up), or parsed. */
type Stored = CacheEntry | string;

export class DigestCache {
  private readonly entries: Map<string, Stored>;
  /** Paths looked up or stored by this run (kept first when the cache must shrink). */
  private readonly used = new Set<string>();
  readonly counts: CacheCounts = { loaded: 0, hits: 0, misses: 0, notStored: 0 };
  /** Whether the entries differ from the file read (a warm run over unchanged inputs writes nothing). */
  private changed: boolean;

  private constructor(
    /** The cache file (absolute). */
    readonly file: string,
    private readonly realRoot: string,
    private readonly toolVersion: string,
    entries: Map<string, Stored>,
    /** Why the file on disk was not used (undefined: it was). */
    readonly discarded: CacheDiscard | undefined,
    /** When the file read was written (entries not older than this by RACY_WINDOW_NS are not trusted). */
    private readonly writtenAtNs: bigint,
    private readonly onWarning?: (message: string) => void,
  ) {
    this.entries = entries;
    this.counts.loaded = entries.size;
    this.changed = discarded !== undefined;
  }

  /** Read the cache of `realRoot` from `dir`; never throws on what the file holds (it is ignored instead). */
  static load(dir: string, realRoot: string, toolVersion: string, onWarning?: (message: string) => void): DigestCache {
    const file = cacheFile(dir, realRoot);
    const read = readCacheFile(file, realRoot, toolVersion);
    if (read.discarded === "corrupt" || read.discarded === "unreadable") {
      onWarning?.(`digest cache ${file}: ${read.why}; ignored, and rebuilt by this run`);
    }
    return new DigestCache(file, realRoot, toolVersion, read.entries ?? new Map(), read.discarded, read.writtenAtNs ?? 0n, onWarning);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The trusted entry of a real path (an entry read from the file is parsed here, once). */
  entry(abs: string): CacheEntry | undefined {
    const e = this.entries.get(abs);
    if (typeof e !== "string") return e;
    const parsed = parseEntry(e);
    // Defence in depth: nothing racy is ever written, so such an entry is not trusted either.
    if (!parsed || isRacy(parsed.mtimeNs, parsed.ctimeNs, this.writtenAtNs)) {
      this.entries.delete(abs);
      this.changed = true;
      return undefined;
    }
    this.entries.set(abs, parsed);
    return parsed;
  }

  /**
   * The digest of `abs` when the file has the identity the cache recorded (a regular file, same
   * device, inode, size, modification and change time); the file is not opened. `abs` is a real
   * path that the caller has already confined to the root.
   */
  lookup(abs: string): Lookup {
    this.used.add(abs);
    const atNs = nowNs();
    let stat: BigIntStats | undefined;
    try {
      stat = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    const e = this.entry(abs);
    if (e && stat && stat.isFile() && sameIdentity(e, stat)) {
      this.counts.hits++;
      const digest: FileDigest = { sha256: e.sha256, size: Number(e.size) };
      if (e.lfs) digest.lfs = { ...e.lfs };
      return { digest, atNs };
    }
    this.counts.misses++;
    if (e) {
      this.entries.delete(abs);
      this.changed = true;
    }
    return { stat, atNs };
  }

  /**
   * Remember the digest just computed for `abs` after a missed lookup, when it is safe to: the
   * file was a regular file, is not racy, and its stat after hashing equals its stat before.
   */
  record(abs: string, before: Lookup, d: FileDigest): void {
    const s = before.stat;
    if (!s || !s.isFile() || isRacy(s.mtimeNs, s.ctimeNs, before.atNs) || Number(s.size) !== d.size) {
      this.counts.notStored++;
      return;
    }
    let after: BigIntStats | undefined;
    try {
      after = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    } catch {
      after = undefined;
    }
    const entry: CacheEntry = { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, sha256: d.sha256 };
    if (d.lfs) entry.lfs = { oid: d.lfs.oid, size: d.lfs.size };
    if (!after || !after.isFile() || !sameIdentity(entry, after)) {
      this.counts.notStored++;
      return;
    }
    this.entries.set(abs, entry);
    this.changed = true;
  }

  /** Store an entry as it is (tests and tools that prepare a cache). */
  set(abs: string, entry: CacheEntry): void {
    this.entries.set(abs, entry);
    this.changed = true;
  }

  /**
   * Write the cache: a temporary file beside it, renamed over it. A failure (a read-only git
   * directory, a full disk) is a warning: the run's result does not depend on the cache.
   * Nothing is written when no entry changed since the file was read.
   */
  save(): boolean {
    if (!this.changed) return true;
    try {
      writeCacheFile(this.file, this.realRoot, this.toolVersion, this.keptEntries());
      return true;
    } catch (e) {
      this.onWarning?.(`digest cache ${this.file}: not written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return false;
    }
  }

  private keptEntries(): Map<string, Stored> {
    if (this.entries.size <= MAX_ENTRIES) return this.entries;
    const kept = new Map<string, Stored>();
    for (const [k, e] of this.entries) if (this.used.has(k) && kept.size < MAX_ENTRIES) kept.set(k, e);
    for (const [k, e] of this.entries) if (kept.size < MAX_ENTRIES && !kept.has(k)) kept.set(k, e);
    return kept;
  }
}

function sameIdentity(e: CacheEntry, s: BigIntStats): boolean {
  return e.dev === s.dev && e.ino === s.ino && e.size === s.size && e.mtimeNs === s.mtimeNs && e.ctimeNs === s.ctimeNs;
}

/** Whether a file looked at `atNs` with these times could still change without either time moving. */
export function isRacy(mtimeNs: bigint, ctimeNs: bigint, atNs: bigint): boolean {
  const limit = atNs - RACY_WINDOW_NS;
  return mtimeNs >= limit || ctimeNs >= limit;
}

/** The cache file of a root inside a cache folder. */
export function cacheFile(dir: string, realRoot: string): string {
  return path.join(dir, `digests-${createHash("sha256").update(realRoot).digest("hex").slice(0, 16)}`);
}

// ---------------------------------------------------------------------------------------
// The file: one header line, then one line per entry, all tab-separated.
//
//   runprov-digest-cache <format> <runprov version> <real root, JSON> <written at, ns> <entries> <sha256 of the body>
//   <sha256> <dev> <ino> <size> <mtime ns> <ctime ns> <lfs oid or -> <lfs size or -> <real path, JSON>

interface ReadCache {
  entries?: Map<string, Stored>;
  writtenAtNs?: bigint;
  discarded?: CacheDiscard;
  why?: string;
}

/** The fields of an entry before its path (`sha256 dev ino size mtime ctime lfs-oid lfs-size`); undefined when malformed. */
function parseEntry(fields: string): CacheEntry | undefined {
  const f = fields.split("\t");
  if (f.length !== 8 || !SHA256_RE.test(f[0]) || !f.slice(1, 6).every((x) => INT_RE.test(x))) return undefined;
  const e: CacheEntry = { sha256: f[0], dev: BigInt(f[1]), ino: BigInt(f[2]), size: BigInt(f[3]), mtimeNs: BigInt(f[4]), ctimeNs: BigInt(f[5]) };
  if (f[6] !== "-" || f[7] !== "-") {
    if (!SHA256_RE.test(f[6]) || !INT_RE.test(f[7])) return undefined;
    e.lfs = { oid: f[6], size: Number(f[7]) };
  }
  return e;
}

function entryFields(e: Stored): string {
  if (typeof e === "string") return e;
  const lfs = e.lfs ? `${e.lfs.oid}\t${e.lfs.size}` : "-\t-";
  return `${e.sha256}\t${e.dev}\t${e.ino}\t${e.size}\t${e.mtimeNs}\t${e.ctimeNs}\t${lfs}`;
}

export function readCacheFile(file: string, realRoot: string, toolVersion: string): ReadCache {
  let buf: Buffer;
  try {
    buf = readConfined(file, undefined, MAX_CACHE_BYTES, { noFollow: true });
  } catch (e) {
    if (e instanceof RefusedFile && e.reason === "missing") return { discarded: "absent" };
    return { discarded: "unreadable", why: e instanceof Error ? e.message : String(e) };
  }
  const corrupt = (why: string): ReadCache => ({ discarded: "corrupt", why: `corrupt (${why})` });
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return corrupt("no header");
  const header = buf.subarray(0, nl).toString("utf8").split("\t");
  if (header[0] !== MAGIC) return corrupt("not a runprov digest cache");
  if (header[1] !== String(CACHE_FORMAT) || header[2] !== toolVersion) return { discarded: "foreign-version" };
  if (header.length !== 7) return corrupt("malformed header");
  let root: unknown;
  try {
    root = JSON.parse(header[3]);
  } catch {
    return corrupt("malformed header");
  }
  if (root !== realRoot) return { discarded: "other-root" };
  const [writtenAt, count, checksum] = header.slice(4);
  if (!INT_RE.test(writtenAt) || !INT_RE.test(count) || !SHA256_RE.test(checksum)) return corrupt("malformed header");
  const body = buf.subarray(nl + 1);
  if (createHash("sha256").update(body).digest("hex") !== checksum) return corrupt("checksum mismatch: truncated, or written by two runs at once");
  // Each entry is checked when it is first looked up (most runs look up a few of many); the
  // checksum has already said that the body is what a runprov of this version wrote.
  const entries = new Map<string, Stored>();
  const text = body.toString("utf8");
  let at = 0;
  let lines = 0;
  while (at < text.length) {
    const end = text.indexOf("\n", at);
    if (end < 0) return corrupt("unterminated entry");
    const tab = text.lastIndexOf("\t", end);
    if (tab < at) return corrupt("malformed entry");
    const quoted = text.slice(tab + 1, end);
    let abs: unknown;
    if (quoted.length > 2 && quoted.startsWith('"') && quoted.endsWith('"') && !quoted.includes("\\")) abs = quoted.slice(1, -1);
    else {
      try {
        abs = JSON.parse(quoted);
      } catch {
        return corrupt("malformed entry");
      }
    }
    if (typeof abs !== "string" || !path.isAbsolute(abs)) return corrupt("malformed entry");
    entries.set(abs, text.slice(at, tab));
    at = end + 1;
    lines++;
  }
  if (lines !== Number(count)) return corrupt("entry count differs from the header");
  return { entries, writtenAtNs: BigInt(writtenAt) };
}

export function writeCacheFile(file: string, realRoot: string, toolVersion: string, entries: Map<string, Stored>, writtenAtNs: bigint = nowNs()): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStaleTemps(dir, path.basename(file));
  const lines: string[] = [];
  for (const [abs, e] of entries) lines.push(`${entryFields(e)}\t${JSON.stringify(abs)}\n`);
  const body = Buffer.from(lines.join(""), "utf8");
  const checksum = createHash("sha256").update(body).digest("hex");
  const header = [MAGIC, String(CACHE_FORMAT), toolVersion, JSON.stringify(realRoot), String(writtenAtNs), String(entries.size), checksum].join("\t");
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  // O_EXCL: a name someone planted (a link, a FIFO) is never written through.
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeAll(fd, Buffer.from(`${header}\n`, "utf8"));
    writeAll(fd, body);
  } catch (e) {
    closeSync(fd);
    tryUnlink(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    tryUnlink(tmp);
    throw e;
  }
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}

function tryUnlink(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    /* already gone */
  }
}

/** Temporary files of runs that died before renaming (a live run's is young: left alone). */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - STALE_TEMP_MS;
  for (const n of names) {
    if (!n.startsWith(`${base}.`) || !n.endsWith(".tmp")) continue;
    const p = path.join(dir, n);
    try {
      const st = lstatSync(p);
      if (st.isFile() && st.mtimeMs < cutoff) unlinkSync(p);
    } catch {
      /* raced with another run */
    }
  }
}

// ---------------------------------------------------------------------------------------
// Where the cache lives

/** `$XDG_CACHE_HOME/runprov`, else `~/.cache/runprov` (the XDG default). */
export function userCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), ".cache");
  return path.join(base, "runprov");
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended (for a folder not made yet). */
function realOrNearest(p: string): string {
  const rest: string[] = [];
  for (let d = p; ; d = path.dirname(d)) {
    try {
      return path.join(realpathSync(d), ...rest.reverse());
    } catch {
      if (path.dirname(d) === d) return p;
      rest.push(path.basename(d));
    }
  }
}

async function absoluteGitDir(root: string): Promise<string | undefined> {
  // The common case without starting git: a work tree whose `.git` is the git directory itself
  // (a linked work tree or a submodule has a `.git` file, and git is asked).
  if (!process.env.GIT_DIR && !process.env.GIT_WORK_TREE && !process.env.GIT_CEILING_DIRECTORIES) {
    const top = await workTreeTop(root);
    if (top === undefined) return undefined;
    const dotGit = path.join(top, ".git");
    if (statSync(dotGit, { throwIfNoEntry: false })?.isDirectory()) return realOrNearest(dotGit);
  }
  const r = await runGit(root, ["rev-parse", "--absolute-git-dir"]);
  const dir = r.ok ? r.stdout.toString("utf8").trim() : "";
  return dir && path.isAbsolute(dir) ? realOrNearest(dir) : undefined;
}

/**
 * The folder the cache of `realRoot` lives in. `given` (`--cache-location`, relative to `cwd`)
 * must not lie in the root's working tree: inside the root it must be inside the git directory
 * or ignored by git, else it is a usage error (the cache would show in `git status`).
 */
export async function cacheDirectory(realRoot: string, cwd: string, given?: string): Promise<string> {
  const gitDir = await absoluteGitDir(realRoot);
  if (given === undefined) return gitDir ? path.join(gitDir, "runprov") : userCacheDirectory();
  if (given === "") throw new UsageError("--cache-location: empty path");
  const dir = realOrNearest(path.resolve(cwd, given));
  if (isInside(dir, realRoot) && !(gitDir && isInside(dir, gitDir))) {
    const rel = path.relative(realRoot, cacheFile(dir, realRoot)).split(path.sep).join("/");
    // check-ignore takes plain paths (no pathspec magic); exit 0 means ignored.
    const ignored = gitDir ? (await runGit(realRoot, ["check-ignore", "-q", "--", rel])).ok : false;
    if (!ignored) {
      throw new UsageError(
        `--cache-location ${given}: lies in the working tree of the root ${realRoot}, where the cache would dirty git status; ` +
          `choose a folder outside the root, inside the git directory, or one git ignores`,
      );
    }
  }
  return dir;
}
