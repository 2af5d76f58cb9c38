/**
 * Hashing worker: hashes one file at a time on its own core and answers with the SHA-256.
 * A dedicated thread may block, so it reads synchronously into one reused 4 MiB buffer: no
 * stream machinery, no per-chunk allocation, and memory fixed whatever the file size.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { parentPort } from "node:worker_threads";

export interface HashRequest {
  id: number;
  path: string;
}
export type HashReply =
  | { id: number; ok: true; sha256: string; size: number }
  | { id: number; ok: false; error: string }
  | { id: number; progress: number };

const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY = 16 * 1024 * 1024;
const buffer = Buffer.allocUnsafe(CHUNK);

function hashFile(req: HashRequest): HashReply {
  const hash = createHash("sha256");
  let size = 0;
  let sinceReport = 0;
  // O_NONBLOCK: should the path have become a FIFO since it was checked, opening must not hang.
  const fd = openSync(req.path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new Error("not a regular file any more");
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
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
    reply = { id: req.id, ok: false, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
