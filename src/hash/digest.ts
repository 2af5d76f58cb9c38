/**
 * Streaming SHA-256 of files, each file hashed at most once per run however many artifacts
 * name it. Small files are hashed inline (a worker round trip costs more than the hash);
 * larger ones go to a pool of worker threads so that every core hashes. Memory does not grow
 * with file size: each worker reads into one reused 4 MiB buffer.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { HashProgress } from "../types.js";
import { maybeLfsPointer, parseLfsPointer, type LfsPointer } from "./lfs.js";
import type { HashReply } from "./worker.js";

/** Files up to this size are read and hashed inline. */
const INLINE_MAX_BYTES = 512 * 1024;

/**
 * The worker is the compiled `worker.js` beside this module. Run from the TypeScript sources (the
 * test suite runs `src/` in-process) there is no such file: large files are then streamed and
 * hashed on this thread instead, through the same bounded buffer size.
 */
const FROM_SOURCES = import.meta.url.endsWith(".ts");
const STREAM_CHUNK = 4 * 1024 * 1024;

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
  private queue: { id: number; path: string }[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private progress: HashProgress = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };

  constructor(
    jobs?: number,
    private readonly onProgress?: (p: HashProgress) => void,
  ) {
    this.jobs = Math.max(1, Math.floor(jobs ?? availableParallelism()));
  }

  /** Digest of a regular file known to be `size` bytes. Cached by absolute path. */
  digest(absPath: string, size: number): Promise<FileDigest> {
    let p = this.cache.get(absPath);
    if (!p) {
      this.progress.filesTotal++;
      this.progress.bytesTotal += size;
      p = (size <= INLINE_MAX_BYTES ? this.inline(absPath) : this.viaWorker(absPath)).then((d) => {
        this.progress.filesDone++;
        if (size <= INLINE_MAX_BYTES) this.progress.bytesDone += d.size;
        this.onProgress?.({ ...this.progress });
        return d;
      });
      this.cache.set(absPath, p);
    }
    return p;
  }

  /** Stop the worker threads (idempotent). */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    this.idle = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private async inline(absPath: string): Promise<FileDigest> {
    // O_NONBLOCK: should the path have become a FIFO since it was checked, opening must not hang.
    const handle = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
    let buf: Buffer;
    try {
      if (!(await handle.stat()).isFile()) throw new Error("not a regular file any more");
      buf = await handle.readFile();
    } finally {
      await handle.close();
    }
    const sha256 = createHash("sha256").update(buf).digest("hex");
    const lfs = maybeLfsPointer(buf.length) ? parseLfsPointer(buf) : undefined;
    return lfs ? { sha256, size: buf.length, lfs } : { sha256, size: buf.length };
  }

  private viaWorker(absPath: string): Promise<FileDigest> {
    if (FROM_SOURCES) return this.streamed(absPath);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, path: absPath });
      this.pump();
    });
  }

  /** Large files without a worker (see FROM_SOURCES): one reused buffer, never the whole file. */
  private async streamed(absPath: string): Promise<FileDigest> {
    const handle = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const hash = createHash("sha256");
    const chunk = Buffer.allocUnsafe(STREAM_CHUNK);
    let size = 0;
    try {
      if (!(await handle.stat()).isFile()) throw new Error("not a regular file any more");
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, STREAM_CHUNK, null);
        if (bytesRead === 0) break;
        hash.update(chunk.subarray(0, bytesRead));
        size += bytesRead;
        this.progress.bytesDone += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return { sha256: hash.digest("hex"), size };
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
    const w = new Worker(new URL("./worker.js", import.meta.url));
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
        else p.reject(new Error(m.error));
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
