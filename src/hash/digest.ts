/**
 * Streaming SHA-256 of files, each file hashed at most once per run however many artifacts
 * name it. Small files are hashed inline (a worker round trip costs more than the hash);
 * larger ones go to a pool of worker threads so that every core hashes. Memory does not grow
 * with file size: each worker reads into one reused 4 MiB buffer.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";
import { readConfined, RefusedFile } from "../files/confined.js";
import { packagePath } from "../paths.js";
import type { HashProgress } from "../types.js";
import type { DigestCache, Lookup } from "./cache.js";
import { maybeLfsPointer, parseLfsPointer, type LfsPointer } from "./lfs.js";
import type { HashReply, HashRequest } from "./worker.js";

/**
 * The worker module, always the build's (dist/hash/worker.js): the library, the CLI bundle and
 * the sources run by the tests share it (the test suite builds dist/ from the same sources first).
 */
const WORKER_FILE = packagePath("dist", "hash", "worker.js");

/** Files up to this size are read and hashed inline. */
const INLINE_MAX_BYTES = 512 * 1024;

export interface FileDigest {
  sha256: string;
  size: number;
  /** Present when the file is a Git LFS pointer; `sha256` is then the pointer file's own digest. */
  lfs?: LfsPointer;
}

interface Pending {
  resolve: (d: FileDigest) => void;
  reject: (e: Error) => void;
}

export class Hasher {
  private readonly cache = new Map<string, Promise<FileDigest>>();
  private readonly jobs: number;
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: HashRequest[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private progress: HashProgress = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };

  /**
   * `realRoot`: every file hashed must be a regular file whose real path lies inside it
   * (checked on the open descriptor, see files/confined.ts). Failures reject with `RefusedFile`.
   * `persistent`: the digest cache of `validate --cache` (./cache.ts), consulted before a file
   * is opened; absent everywhere else (the registry-flip gate never uses one).
   */
  constructor(
    private readonly realRoot: string,
    jobs?: number,
    private readonly onProgress?: (p: HashProgress) => void,
    private readonly persistent?: DigestCache,
  ) {
    // Anything but a positive integer means "one per CPU" (a NaN here would leave every large file queued forever).
    this.jobs = typeof jobs === "number" && Number.isInteger(jobs) && jobs >= 1 ? jobs : Math.max(1, availableParallelism());
  }

  /** Digest of a regular file known to be `size` bytes. Cached by absolute path. */
  digest(absPath: string, size: number): Promise<FileDigest> {
    let p = this.cache.get(absPath);
    if (!p) {
      this.progress.filesTotal++;
      this.progress.bytesTotal += size;
      const known = this.persistent?.lookup(absPath);
      const counted = known?.digest !== undefined || size <= INLINE_MAX_BYTES;
      p = (known?.digest ? Promise.resolve(known.digest) : this.compute(absPath, size, known)).then((d) => {
        this.progress.filesDone++;
        if (counted) this.progress.bytesDone += d.size;
        this.onProgress?.({ ...this.progress });
        return d;
      });
      this.cache.set(absPath, p);
    }
    return p;
  }

  /** Hash the file; after a missed cache lookup, offer the result to the cache. */
  private compute(absPath: string, size: number, missed: Lookup | undefined): Promise<FileDigest> {
    const p = size <= INLINE_MAX_BYTES ? this.inline(absPath) : this.viaWorker(absPath);
    const cache = this.persistent;
    if (!cache || !missed) return p;
    return p.then((d) => {
      cache.record(absPath, missed, d);
      return d;
    });
  }

  /** Stop the worker threads (idempotent). */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    this.idle = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private async inline(absPath: string): Promise<FileDigest> {
    // A file that grew past the inline limit since it was listed is hashed by a worker.
    let buf: Buffer;
    try {
      buf = readConfined(absPath, this.realRoot, INLINE_MAX_BYTES);
    } catch (e) {
      if (e instanceof RefusedFile && e.reason === "too-large") return this.viaWorker(absPath);
      throw e;
    }
    const sha256 = createHash("sha256").update(buf).digest("hex");
    const lfs = maybeLfsPointer(buf.length) ? parseLfsPointer(buf) : undefined;
    return lfs ? { sha256, size: buf.length, lfs } : { sha256, size: buf.length };
  }

  private viaWorker(absPath: string): Promise<FileDigest> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, path: absPath, root: this.realRoot });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w && this.workers.length < this.jobs) w = this.spawn();
      if (!w) return;
      w.postMessage(this.queue.shift());
    }
  }

  private spawn(): Worker {
    // node:worker_threads is loaded with the first large file: runs that hash small files only never need it.
    const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
    const w: Worker = new Worker(WORKER_FILE);
    w.unref();
    w.on("message", (m: HashReply) => {
      if ("progress" in m) {
        this.progress.bytesDone += m.progress;
        this.onProgress?.({ ...this.progress });
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (p) {
        if (m.ok) p.resolve({ sha256: m.sha256, size: m.size });
        else p.reject(new RefusedFile(m.reason, m.error));
      }
      this.idle.push(w);
      this.pump();
    });
    w.on("error", (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    this.workers.push(w);
    return w;
  }
}
