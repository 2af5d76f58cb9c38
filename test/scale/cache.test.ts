/**
 * The digest cache of `validate --cache` (docs/contract.md, "Scale"; src/hash/cache.ts): a warm
 * run takes digests from it without opening the files; a same-size edit with the old
 * modification time put back is caught (the change time moved); a corrupt, truncated,
 * foreign-version or concurrently written cache is ignored and rebuilt; the working tree stays
 * clean; the registry-flip gate never uses it.
 *
 * Most checks use a *forged* cache: well-formed, with the identity the files have now, but
 * claiming a digest they do not have. A run that trusts it reports exactly those files as
 * changed, which proves a hit (the file was not read); a run that ignores it reports the truth.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheDirectory, cacheFile, isRacy, RACY_WINDOW_NS, userCacheDirectory } from "../../src/hash/cache.js";
import { registryFlip } from "../../src/gate/registry-flip.js";
import { TOOL_VERSION, validate } from "../../src/pipeline.js";
import { renderJson } from "../../src/report/json.js";
import { UsageError, type Report, type ValidateOptions } from "../../src/types.js";
import { CLI, sha256 } from "../helpers.js";
import { demoRegistryRepo, ONNX, REGISTRY, flipByte } from "../e2e/demo-repo.js";
import { git, scratch, write } from "../hostile/lib.js";
import { parseRegistryFlip } from "../inprocess.js";
import { mkfifoSync } from "../unit/mkfifo.js";
import {
  cacheWorkspace,
  defaultCacheFile,
  forgeCache,
  loadCache,
  NOT_THE_DIGEST,
  OLD_MTIME_S,
  PAST_RACY_WINDOW_MS,
  sleep,
  statBig,
  type CacheWorkspace,
} from "./lib.js";

const STRICT: ValidateOptions = { strictDrift: true }; // every digest difference is an error: nothing hides behind history

const run = (ws: CacheWorkspace, opts: ValidateOptions = {}): Promise<Report> => validate([], { root: ws.root, cwd: ws.root, ...STRICT, ...opts });
const mismatched = (r: Report): string[] => r.results.filter((x) => x.diagnostics.some((d) => d.code === "hash-mismatch")).map((x) => x.file);

let warm: CacheWorkspace;
let edit: CacheWorkspace;
let ignored: CacheWorkspace;
let concurrent: CacheWorkspace;
let clean: CacheWorkspace;

beforeAll(async () => {
  [warm, edit, ignored, concurrent, clean] = [cacheWorkspace(), cacheWorkspace(), cacheWorkspace(), cacheWorkspace(), cacheWorkspace()];
  // Files younger than the racy window are never stored; the workspaces must age once.
  await sleep(PAST_RACY_WINDOW_MS);
});

describe("a warm run", () => {
  it("stores every file it hashed in <git-dir>/runprov/ and, next time, takes the digests from there without reading the files", async () => {
    const cold = await run(warm, { cache: true });
    expect(cold.summary).toMatchObject({ artifacts: 6, invalid: 0, hashes: { verified: 12, mismatched: 0 } });
    const file = await defaultCacheFile(warm.root);
    expect(path.dirname(file)).toBe(path.join(warm.root, ".git", "runprov"));
    const cache = loadCache(file, warm.root);
    expect(cache.discarded).toBeUndefined();
    expect(cache.size).toBe(7); // the script and six data files
    expect(cache.entry(warm.data["lfs.bin"].abs)?.lfs).toEqual({ oid: expect.stringMatching(/^[0-9a-f]{64}$/), size: 35 });
    expect(cache.entry(warm.data["big.bin"].abs)?.sha256).toBe(sha256(warm.data["big.bin"].bytes));

    const written = statBig(file);
    const again = await run(warm, { cache: true });
    expect(renderJson(again)).toBe(renderJson(cold));
    // No entry changed, so nothing is written: the file is still the one the cold run wrote.
    expect([statBig(file).ino, statBig(file).mtimeNs]).toEqual([written.ino, written.mtimeNs]);

    // Forged: the same identities, other digests. A trusting run reports exactly those files changed.
    const forged = ["small-1.bin", "big.bin"].map((n) => ({ abs: warm.data[n].abs, sha256: NOT_THE_DIGEST }));
    forgeCache(file, warm.root, forged);
    const trusting = await run(warm, { cache: true });
    expect(mismatched(trusting)).toEqual(["runs/big.bin.json", "runs/small-1.bin.json"]);
    expect(trusting.results.find((r) => r.file === "runs/big.bin.json")!.diagnostics.find((d) => d.code === "hash-mismatch")!.message).toContain(
      "found 000000000000...",
    );
    // Without --cache nothing is read from it.
    expect(mismatched(await run(warm))).toEqual([]);
  });

  it("does not store a file changed within the racy window: it is hashed every run until it is older", async () => {
    const file = await defaultCacheFile(warm.root);
    rmSync(file); // the forged one of the test above
    await run(warm, { cache: true });
    const fresh = write(warm.root, "data/fresh.bin", "written just now\n");
    write(
      warm.root,
      "runs/fresh.json",
      JSON.stringify({
        schema: "fresh-v1",
        run_provenance: {
          schema: "ai-run-provenance-v1",
          entrypoint: { exists: true, kind: "file", path: "ai/scripts/run.py", sha256: sha256("print('run')\n") },
          argv: [],
          args: {},
          inputs: { d: { exists: true, kind: "file", path: "data/fresh.bin", sha256: sha256("written just now\n") } },
        },
      }),
    );
    const r = await run(warm, { cache: true });
    expect(r.summary.invalid).toBe(0);
    const cache = loadCache(file, warm.root);
    expect(cache.entry(fresh)).toBeUndefined();
    expect(cache.entry(warm.data["small-0.bin"].abs)).toBeDefined();
    // The rule itself: a time within the window of the moment the file was looked at is racy.
    const now = 10_000_000_000_000n;
    expect(isRacy(now - RACY_WINDOW_NS - 1n, now - RACY_WINDOW_NS - 1n, now)).toBe(false);
    expect(isRacy(now - RACY_WINDOW_NS, 0n, now)).toBe(true);
    expect(isRacy(0n, now - 1n, now)).toBe(true);
    expect(isRacy(now + 5n, 0n, now)).toBe(true); // a time in the future
  });
});

describe("a same-size edit with the old modification time put back", () => {
  it("is caught: the change time moved, so the cached digest is not used", async () => {
    const f = edit.data["small-2.bin"];
    const cold = await run(edit, { cache: true });
    expect(cold.summary.invalid).toBe(0);
    const entry = loadCache(await defaultCacheFile(edit.root), edit.root).entry(f.abs)!;
    expect(entry.sha256).toBe(sha256(f.bytes));

    const changed = Buffer.from(f.bytes);
    changed[0] ^= 0x20;
    writeFileSync(f.abs, changed);
    utimesSync(f.abs, OLD_MTIME_S, OLD_MTIME_S);
    const now = statBig(f.abs);
    // Everything the cache keys on is as recorded but the change time.
    expect([now.dev, now.ino, now.size, now.mtimeNs]).toEqual([entry.dev, entry.ino, entry.size, entry.mtimeNs]);
    expect(now.ctimeNs).not.toBe(entry.ctimeNs);

    const r = await run(edit, { cache: true });
    expect(mismatched(r)).toEqual(["runs/small-2.bin.json"]);
    expect(r.summary.hashes.mismatched).toBe(1);
  });
});

describe("a cache that cannot be trusted is ignored and rebuilt", () => {
  /** Make the cache file bad in one way, run, and expect the truth and a sound cache afterwards. */
  async function ignoredAndRebuilt(spoil: (file: string) => void, warns: boolean): Promise<void> {
    const file = await defaultCacheFile(ignored.root);
    const truth = renderJson(await run(ignored));
    forgeCache(
      file,
      ignored.root,
      Object.values(ignored.data).map((d) => ({ abs: d.abs, sha256: NOT_THE_DIGEST })),
    );
    expect(mismatched(await run(ignored, { cache: true })), "the forged cache, intact, is trusted").toHaveLength(6);
    forgeCache(
      file,
      ignored.root,
      Object.values(ignored.data).map((d) => ({ abs: d.abs, sha256: NOT_THE_DIGEST })),
    );
    spoil(file);
    const warnings: string[] = [];
    const r = await run(ignored, { cache: true, onWarning: (m) => warnings.push(m) });
    expect(renderJson(r)).toBe(truth);
    expect(warnings.some((w) => /digest cache .*ignored, and rebuilt/.test(w))).toBe(warns);
    const rebuilt = loadCache(file, ignored.root);
    expect(rebuilt.discarded).toBeUndefined();
    for (const d of Object.values(ignored.data)) expect(rebuilt.entry(d.abs)?.sha256, d.rel).not.toBe(NOT_THE_DIGEST);
    expect(rebuilt.size).toBe(7);
  }

  it("corrupt: one byte of the body changed", () =>
    ignoredAndRebuilt((file) => {
      const b = readFileSync(file);
      b[b.length - 10] ^= 0x01;
      writeFileSync(file, b);
    }, true));

  it("truncated", () => ignoredAndRebuilt((file) => truncateSync(file, Math.floor(readFileSync(file).length * 0.6)), true));

  it("not a cache at all, or empty", async () => {
    await ignoredAndRebuilt((file) => writeFileSync(file, "{}\n"), true);
    await ignoredAndRebuilt((file) => writeFileSync(file, ""), true);
  });

  it("from another runprov version, or another cache format (well-formed, checksum and all)", async () => {
    await ignoredAndRebuilt((file) => {
      forgeCache(
        file,
        ignored.root,
        Object.values(ignored.data).map((d) => ({ abs: d.abs, sha256: NOT_THE_DIGEST })),
        { version: "0.9.0" },
      );
    }, false);
    await ignoredAndRebuilt(
      (file) => writeFileSync(file, readFileSync(file, "utf8").replace(/^runprov-digest-cache\t1\t/, "runprov-digest-cache\t2\t")),
      false,
    );
  });

  it("written by two runs at once, in place (halves of two caches)", () =>
    ignoredAndRebuilt((file) => {
      const a = readFileSync(file);
      forgeCache(file, ignored.root, [{ abs: ignored.data["big.bin"].abs, sha256: NOT_THE_DIGEST }]);
      const b = readFileSync(file);
      writeFileSync(file, Buffer.concat([a.subarray(0, Math.floor(a.length / 2)), b.subarray(Math.floor(b.length / 2))]));
    }, true));

  it("of another root", () =>
    ignoredAndRebuilt((file) => writeFileSync(file, readFileSync(file, "utf8").replace(JSON.stringify(ignored.root), JSON.stringify("/elsewhere"))), false));

  it("not a regular file: a symbolic link to a good cache, a FIFO, a folder", async () => {
    const file = await defaultCacheFile(ignored.root);
    const elsewhere = path.join(scratch("runprov-cache-link-"), "planted");
    forgeCache(
      elsewhere,
      ignored.root,
      Object.values(ignored.data).map((d) => ({ abs: d.abs, sha256: NOT_THE_DIGEST })),
    );
    await ignoredAndRebuilt((f) => {
      rmSync(f);
      symlinkSync(elsewhere, f);
    }, true);
    // A FIFO is never opened (the run would hang; the rename then replaces it); a folder can be
    // neither read nor replaced (a second warning). Either way the run goes on, and is right.
    for (const make of [(f: string) => mkfifoSync(f), (f: string) => mkdirSync(path.join(f, "x"), { recursive: true })]) {
      rmSync(file, { recursive: true, force: true });
      make(file);
      const warnings: string[] = [];
      const r = await run(ignored, { cache: true, onWarning: (m) => warnings.push(m) });
      expect(r.summary).toMatchObject({ invalid: 0, hashes: { mismatched: 0 } });
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      rmSync(file, { recursive: true, force: true });
    }
  });
});

describe("two runs writing the cache at once", () => {
  it("leave one complete cache (each writes a temporary file and renames it), and agree", async () => {
    const cli = (): Promise<{ code: number | null; stdout: string }> =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, [CLI, "validate", "--cache", "--strict-drift", "--format", "json"], {
          cwd: concurrent.root,
          env: { ...process.env, NO_COLOR: "1" },
        });
        let stdout = "";
        p.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        p.on("close", (code) => resolve({ code, stdout }));
      });
    const [a, b] = await Promise.all([cli(), cli()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    const file = await defaultCacheFile(concurrent.root);
    const cache = loadCache(file, concurrent.root);
    expect(cache.discarded).toBeUndefined();
    expect(cache.size).toBe(7);
    expect(git(concurrent.root, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe("");
    expect(readdirSync(path.dirname(file)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});

describe("the working tree stays clean", () => {
  it("the default cache lies in the git directory: git status shows nothing, not even ignored files", async () => {
    await run(clean, { cache: true });
    await run(clean, { cache: true });
    expect(git(clean.root, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe("");
    expect(loadCache(await defaultCacheFile(clean.root), clean.root).size).toBe(7);
  });

  it("--cache-location inside the working tree is a usage error, unless git ignores it or it is inside the git directory", async () => {
    await expect(run(clean, { cache: { location: "cache" } })).rejects.toThrow(/--cache-location cache: lies in the working tree/);
    await expect(run(clean, { cache: { location: "data/.runprov" } })).rejects.toThrow(UsageError);
    expect(git(clean.root, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe("");

    write(clean.root, ".gitignore", ".cache/\n");
    git(clean.root, "add", ".gitignore");
    git(clean.root, "commit", "-q", "-m", "ignore .cache");
    await run(clean, { cache: { location: ".cache/runprov" } });
    expect(loadCache(cacheFile(path.join(clean.root, ".cache/runprov"), clean.root), clean.root).size).toBe(7);
    await run(clean, { cache: { location: ".git/elsewhere" } });
    expect(git(clean.root, "status", "--porcelain", "--untracked-files=all")).toBe("");

    const outside = scratch("runprov-cache-outside-");
    await run(clean, { cache: { location: outside } });
    expect(loadCache(cacheFile(outside, clean.root), clean.root).size).toBe(7);
  });

  it("outside a git repository the cache goes to $XDG_CACHE_HOME/runprov (else ~/.cache/runprov)", async () => {
    const root = scratch("runprov-cache-nogit-");
    const xdg = scratch("runprov-xdg-");
    expect(userCacheDirectory({ XDG_CACHE_HOME: xdg })).toBe(path.join(xdg, "runprov"));
    expect(userCacheDirectory({ XDG_CACHE_HOME: "relative/ignored" })).toMatch(/[/\\]\.cache[/\\]runprov$/);
    const before = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = xdg;
    try {
      expect(await cacheDirectory(root, root)).toBe(path.join(xdg, "runprov"));
    } finally {
      if (before === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = before;
    }
  });
});

describe("the registry-flip gate never uses the cache", () => {
  it("a cache that vouches for a tampered ONNX fools validate --cache, not the gate, which leaves it untouched", async () => {
    const repo = demoRegistryRepo();
    const onnx = path.join(repo, ONNX);
    const recorded = sha256(readFileSync(onnx));
    flipByte(onnx);
    const file = await defaultCacheFile(repo);
    // Written "in the future", so that even the just-changed ONNX is a trusted entry.
    forgeCache(file, repo, [{ abs: onnx, sha256: recorded }], { writtenAtNs: BigInt(Date.now() + 60_000) * 1_000_000n });

    const fooled = await validate([REGISTRY], { root: repo, cwd: repo, cache: true });
    expect(fooled.summary.invalid).toBe(0);
    const honest = await validate([REGISTRY], { root: repo, cwd: repo });
    expect(honest.summary.invalid).toBe(1);

    // The validate run above rewrote the file; forge it again and watch the gate.
    forgeCache(file, repo, [{ abs: onnx, sha256: recorded }], { writtenAtNs: BigInt(Date.now() + 60_000) * 1_000_000n });
    const forged = readFileSync(file);
    const before = statBig(file);
    const gate = await registryFlip({ registry: path.join(repo, REGISTRY), base: "main", cwd: repo });
    expect(gate.pass).toBe(false);
    expect(JSON.stringify(gate.entries[0].reasons)).toContain("hash-mismatch");
    expect(readFileSync(file).equals(forged)).toBe(true);
    expect([statBig(file).ino, statBig(file).mtimeNs]).toEqual([before.ino, before.mtimeNs]);

    await expect(parseRegistryFlip(["registry-flip", "--registry", REGISTRY, "--cache"])).rejects.toThrow(UsageError);
  });
});

describe("cache file names", () => {
  it("one file per root, named by a digest of the real root, never a .json the walk would pick up", () => {
    const a = cacheFile("/c", "/repo/a");
    expect(a).toMatch(/^\/c\/digests-[0-9a-f]{16}$/);
    expect(cacheFile("/c", "/repo/b")).not.toBe(a);
    expect(TOOL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
