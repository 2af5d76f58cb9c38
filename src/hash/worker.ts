/** Hashing worker: streams one file at a time and answers with its SHA-256 (runs on another core). */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { parentPort } from "node:worker_threads";

export interface HashRequest {
  id: number;
  path: string;
}
export type HashReply =
  | { id: number; ok: true; sha256: string; size: number }
  | { id: number; ok: false; error: string }
  | { id: number; progress: number };

const PROGRESS_EVERY = 8 * 1024 * 1024;

parentPort!.on("message", (req: HashRequest) => {
  const hash = createHash("sha256");
  let size = 0;
  let sinceReport = 0;
  const stream = createReadStream(req.path, { highWaterMark: 1 << 20 });
  stream.on("data", (chunk) => {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
    sinceReport += buf.length;
    if (sinceReport >= PROGRESS_EVERY) {
      parentPort!.postMessage({ id: req.id, progress: sinceReport } satisfies HashReply);
      sinceReport = 0;
    }
  });
  stream.on("error", (e) => parentPort!.postMessage({ id: req.id, ok: false, error: e.message } satisfies HashReply));
  stream.on("end", () => {
    if (sinceReport) parentPort!.postMessage({ id: req.id, progress: sinceReport } satisfies HashReply);
    parentPort!.postMessage({ id: req.id, ok: true, sha256: hash.digest("hex"), size } satisfies HashReply);
  });
});
