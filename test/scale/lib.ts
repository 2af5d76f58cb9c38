/**
 * Workspaces of the scale suite (the digest cache, shards and merge): git repositories of run
 * manifests that reference data files, made once per test file.
 */
import { cpSync, lstatSync, realpathSync, utimesSync, type BigIntStats } from "node:fs";
import path from "node:path";
import { cacheDirectory, cacheFile, DigestCache, writeCacheFile, type CacheEntry } from "../../src/hash/cache.js";
import { TOOL_VERSION } from "../../src/pipeline.js";
import { commitAll, DEMO as DEMO_DIR, gitInit, manifest, scratch, sha256, write } from "../hostile/lib.js";

export const SCRIPT = { path: "ai/scripts/run.py", content: "print('run')\n" };
/** A modification time every data file gets, so that a test can put it back exactly after an edit. */
export const OLD_MTIME_S = 1_700_000_000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Long enough for every file made before it to leave the cache's racy window (2 s). */
export const PAST_RACY_WINDOW_MS = 2_300;

export interface DataFile {
  rel: string;
  abs: string;
  bytes: Buffer;
}

export interface CacheWorkspace {
  root: string;
  data: Record<string, DataFile>;
}

/**
 * A committed git repository: one script, data files (small ones hashed inline, one past the
 * inline limit hashed by a worker, a Git LFS pointer recorded by its oid) and one run manifest
 * per data file, recording the script and the file.
 */
export function cacheWorkspace(): CacheWorkspace {
  const root = realpathSync(scratch("runprov-cache-"));
  write(root, SCRIPT.path, SCRIPT.content);
  const data: Record<string, DataFile> = {};
  const add = (name: string, bytes: Buffer, recorded = sha256(bytes)): void => {
    const rel = `data/${name}`;
    const abs = write(root, rel, bytes);
    utimesSync(abs, OLD_MTIME_S, OLD_MTIME_S);
    data[name] = { rel, abs, bytes };
    const m = JSON.parse(manifest(SCRIPT));
    m.run_provenance.inputs = { data: { exists: true, kind: "file", path: rel, sha256: recorded } };
    write(root, `runs/${name}.json`, `${JSON.stringify(m, null, 2)}\n`);
  };
  for (let i = 0; i < 4; i++) add(`small-${i}.bin`, Buffer.from(`small file ${i}\n`.repeat(50 + i)));
  const big = Buffer.alloc(1024 * 1024 + 3);
  for (let i = 0; i < big.length; i += 509) big[i] = i % 253;
  add("big.bin", big);
  const content = Buffer.from("the weights the pointer stands for\n");
  const oid = sha256(content);
  add("lfs.bin", Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`), oid);
  gitInit(root);
  commitAll(root, "workspace");
  return { root, data };
}

/** The cache file `validate --cache` uses for a root by default (in its git directory). */
export async function defaultCacheFile(root: string): Promise<string> {
  return cacheFile(await cacheDirectory(root, root), root);
}

/** The entries of a cache file as a run of this version would trust them (undefined: ignored). */
export function loadCache(file: string, root: string): DigestCache {
  return DigestCache.load(path.dirname(file), root, TOOL_VERSION);
}

/**
 * Write a well-formed cache whose entries claim `sha256` for the files named, with the identity
 * those files have now: a cache that would make a changed file pass if it were trusted.
 * `writtenAtNs` in the future makes even just-changed files trusted entries.
 */
export function forgeCache(file: string, root: string, claims: { abs: string; sha256: string }[], opts: { version?: string; writtenAtNs?: bigint } = {}): void {
  const entries = new Map<string, CacheEntry>();
  for (const c of claims) {
    const s = statBig(c.abs);
    entries.set(c.abs, { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, sha256: c.sha256 });
  }
  writeCacheFile(file, root, opts.version ?? TOOL_VERSION, entries, opts.writtenAtNs);
}

export function statBig(abs: string): BigIntStats {
  return lstatSync(abs, { bigint: true });
}

export const NOT_THE_DIGEST = "0".repeat(63) + "1";

/**
 * A few hundred artifacts of every outcome, in a committed git repository made from the bundled
 * demo: valid run manifests, manifests whose entrypoint digest never matched (errors), inputs
 * changed since the commit (historical matches), walked JSON that is no artifact (skipped),
 * verdicts that do not parse (errors a baseline accepts), and a baseline with applied, stale and
 * vanished entries. `PATHS` selects it all, and names a model nothing vouches for.
 */
export const SHARD_PATHS = ["runs", "model", "model/tiny/vmaf_tiny_v4.onnx", "extra/orphan.onnx"];

export function shardWorkspace(count = 320): string {
  const root = realpathSync(scratch("runprov-shard-"));
  cpSync(DEMO_DIR, root, { recursive: true });
  write(root, SCRIPT.path, SCRIPT.content);
  write(root, "extra/orphan.onnx", "not vouched for\n");
  const baseline: Record<string, { sha256: string; errors: Record<string, number> }> = {};
  const changed: string[] = [];
  for (let i = 0; i < count; i++) {
    const dir = `runs/gen/${String(i % 37).padStart(2, "0")}`;
    const kind = i % 10;
    if (kind === 0) {
      write(root, `${dir}/notes-${i}.json`, `${JSON.stringify({ note: i })}\n`);
    } else if (kind === 3) {
      const rel = `runs/gen/v${i}/PROMOTE.json`;
      const text = `{"gate": {"passed": true}, "seeds": [${i}`; // truncated: a parse error
      write(root, rel, text);
      baseline[rel] = { sha256: i < count / 2 ? sha256(text) : "f".repeat(64), errors: { "parse-error": 1 } };
    } else {
      const m = JSON.parse(manifest(SCRIPT));
      if (kind === 1) m.run_provenance.entrypoint.sha256 = NOT_THE_DIGEST;
      if (kind === 2 || kind === 5) {
        const data = `data/gen/${i}.bin`;
        const bytes = `input ${i}\n`;
        write(root, data, bytes);
        m.run_provenance.inputs = { data: { exists: true, kind: "file", path: data, sha256: sha256(bytes) } };
        if (kind === 2) changed.push(data);
      }
      write(root, `${dir}/run-${i}.json`, `${JSON.stringify(m, null, 2)}\n`);
    }
  }
  baseline["runs/gone/vanished.json"] = { sha256: "e".repeat(64), errors: { schema: 1 } };
  write(root, ".runprov-baseline.json", `${JSON.stringify({ version: 1, artifacts: baseline }, null, 2)}\n`);
  gitInit(root);
  commitAll(root, "workspace");
  for (const data of changed) write(root, data, "changed since the run\n"); // historical matches
  return root;
}
