/**
 * Hashing worker: hashes one file at a time on its own core and answers with the SHA-256.
 * A dedicated thread may block, so it reads synchronously into one reused 4 MiB buffer: no
 * stream machinery, no per-chunk allocation, and memory fixed whatever the file size.
 */
import { createHash } from "node:crypto";
import { closeSync, readSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { openConfined, RefusedFile, type RefusalReason } from "../files/confined.js";

export interface HashRequest {
  id: number;
  path: string;
  /** The real root the file must lie inside (checked on the open descriptor). */
  root: string;
}
export type HashReply =
  { id: number; ok: true; sha256: string; size: number } | { id: number; ok: false; reason: RefusalReason; error: string } | { id: number; progress: number };

const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY = 16 * 1024 * 1024;
const buffer = Buffer.allocUnsafe(CHUNK);

function hashFile(req: HashRequest): HashReply {
  const hash = createHash("sha256");
  let size = 0;
  let sinceReport = 0;
  const { fd } = openConfined(req.path, req.root);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, CHUNK, null);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new RefusedFile("unreadable", `cannot be read (${err.code ?? err.message})`);
      }
      if (n === 0) break;
      hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
      size += n;
      sinceReport += n;
      if (sinceReport >= PROGRESS_EVERY) {
        parentPort!.postMessage({ id: req.id, progress: sinceReport } satisfies HashReply);
        sinceReport = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  if (sinceReport) parentPort!.postMessage({ id: req.id, progress: sinceReport } satisfies HashReply);
  return { id: req.id, ok: true, sha256: hash.digest("hex"), size };
}

parentPort!.on("message", (req: HashRequest) => {
  let reply: HashReply;
  try {
    reply = hashFile(req);
  } catch (e) {
    const reason: RefusalReason = e instanceof RefusedFile ? e.reason : "unreadable";
    reply = { id: req.id, ok: false, reason, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
