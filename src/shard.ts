/**
 * `validate --shard I/N` (docs/contract.md, "Scale"): the I-th of N deterministic parts of a
 * selection, so that N CI jobs check a large repository between them and `runprov merge` joins
 * their reports into the report of one run.
 *
 * A file belongs to part `h mod N` (0-based), where `h` is the first four bytes (big-endian) of
 * the SHA-256 of its root-relative POSIX path, the path the report shows. The partition depends
 * on nothing but that path and N: not on the order of the walk, the machine, the other files or
 * the runprov version. Everything a run counts is counted in exactly one part:
 *
 * - artifacts and files skipped while walking, by their own path;
 * - a named model file is replaced by the artifacts that vouch for it before partitioning, so
 *   each of those goes by its own path; a model that nothing vouches for goes by its own;
 * - baseline entries, by the path they list (so `entries`, `applied` and `stale` add up).
 */
import { hash } from "node:crypto";
import { UsageError } from "./types.js";

export interface Shard {
  /** 1-based: 1 <= index <= count. */
  index: number;
  count: number;
}

/** Shards beyond this many are refused (a typo such as 1/10000000 would check nothing). */
export const MAX_SHARDS = 4096;

/** `I/N` as typed on the command line. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard ${text}: expected I/N, e.g. 3/8 (the third of eight parts)`);
  return checkShard({ index: Number(m[1]), count: Number(m[2]) });
}

/** A shard given to the library, checked as the command line checks it. */
export function checkShard(s: Shard): Shard {
  const { index, count } = s;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) throw new UsageError(`--shard: N must be an integer from 1 to ${MAX_SHARDS} (got ${count})`);
  if (!Number.isInteger(index) || index < 1 || index > count) throw new UsageError(`--shard: I must be an integer from 1 to N=${count} (got ${index})`);
  return { index, count };
}

/** The 0-based part of `count` that a root-relative POSIX path belongs to. */
export function shardOf(relPath: string, count: number): number {
  return hash("sha256", relPath, "buffer").readUInt32BE(0) % count; // a string is hashed as UTF-8
}

/** Whether a root-relative POSIX path belongs to the shard. */
export function inShard(relPath: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(relPath, shard.count) === shard.index - 1;
}
