#!/usr/bin/env node
/**
 * Benchmarks, each side by side with its anchor in the same run, reported as ratios:
 *
 *   1. hashing: `runprov validate` recomputing the digests of large inputs vs
 *      `openssl dgst -sha256` and `sha256sum` over the same files;
 *   2. memory: peak RSS while hashing a small and a large file (must not grow with size);
 *   3. start-up: `runprov validate` of one sidecar (the pre-commit case) vs `ajv-cli` validating
 *      the same document against the same schema, and vs a bare `node -e 0`;
 *   4. throughput: schema validation of many artifacts (`--no-hash`) vs ajv-cli on the same files.
 *
 * Usage: npm run build && node bench/run.mjs [--quick]. Writes bench/results.md and prints it.
 * Numbers depend on the machine; the ratios are what to compare across runs.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(project, "dist", "cli", "main.js");
const ajvCli = path.join(project, "node_modules", "ajv-cli", "dist", "index.js");
const quick = process.argv.includes("--quick");
const MiB = 1024 * 1024;

function time(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * MiB, ...opts });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { s, out: r.stdout, err: r.stderr };
}

/** Best of n runs (the least disturbed by other load). */
function best(n, fn) {
  let min = Infinity;
  for (let i = 0; i < n; i++) min = Math.min(min, fn());
  return min;
}

function peakRssKiB(cmd, args, opts = {}) {
  const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", ...opts });
  const lines = r.stderr.trim().split("\n");
  return Number(lines[lines.length - 1]);
}

function writeRandom(file, bytes) {
  const fd = openSync(file, "w");
  const chunk = randomBytes(4 * MiB);
  const h = createHash("sha256");
  for (let done = 0; done < bytes; done += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes - done));
    writeSync(fd, part);
    h.update(part);
  }
  closeSync(fd);
  return h.digest("hex");
}

function block(entrypointSha, inputs) {
  return {
    schema: "bench-report-v1",
    run_provenance: {
      schema: "ai-run-provenance-v1",
      entrypoint: { path: "ai/scripts/bench.py", exists: true, kind: "file", sha256: entrypointSha },
      argv: [],
      args: {},
      inputs,
    },
  };
}

const rows = [];
const ws = mkdtempSync(path.join(tmpdir(), "runprov-bench-"));
try {
  mkdirSync(path.join(ws, "ai/scripts"), { recursive: true });
  mkdirSync(path.join(ws, "data"), { recursive: true });
  mkdirSync(path.join(ws, "runs"), { recursive: true });
  const script = "print('bench')\n";
  writeFileSync(path.join(ws, "ai/scripts/bench.py"), script);
  const scriptSha = createHash("sha256").update(script).digest("hex");

  // 1. hashing throughput ------------------------------------------------------------------
  const nFiles = quick ? 2 : 4;
  const size = (quick ? 64 : 256) * MiB;
  const inputs = {};
  const files = [];
  for (let i = 0; i < nFiles; i++) {
    const rel = `data/shard${i}.bin`;
    inputs[`shard${i}`] = { path: rel, exists: true, kind: "file", sha256: writeRandom(path.join(ws, rel), size) };
    files.push(path.join(ws, rel));
  }
  writeFileSync(path.join(ws, "runs/report.json"), JSON.stringify(block(scriptSha, inputs), null, 2) + "\n");
  const total = nFiles * size;
  const reps = quick ? 1 : 3;
  // Warm the page cache so every tool reads from memory.
  time("cat", files, { stdio: ["ignore", "ignore", "ignore"] });
  const runprov = (jobs) => best(reps, () => time("node", [cli, "validate", "runs/report.json", "--root", ws, "--format", "json", "--jobs", String(jobs)], { cwd: ws }).s);
  const openssl = best(reps, () => time("openssl", ["dgst", "-sha256", ...files]).s);
  const sha256sum = best(reps, () => time("sha256sum", files).s);
  const r1 = runprov(1);
  const r2 = runprov(Math.max(2, cpus().length));
  const mbps = (s) => `${(total / MiB / s).toFixed(0)} MiB/s`;
  rows.push(["hashing", `${nFiles} x ${size / MiB} MiB`, "runprov --jobs 1", `${r1.toFixed(2)} s (${mbps(r1)})`, "openssl dgst -sha256", `${openssl.toFixed(2)} s (${mbps(openssl)})`, (r1 / openssl).toFixed(2)]);
  rows.push(["hashing", `${nFiles} x ${size / MiB} MiB`, `runprov --jobs ${Math.max(2, cpus().length)}`, `${r2.toFixed(2)} s (${mbps(r2)})`, "openssl dgst -sha256", `${openssl.toFixed(2)} s (${mbps(openssl)})`, (r2 / openssl).toFixed(2)]);
  rows.push(["hashing", `${nFiles} x ${size / MiB} MiB`, `runprov --jobs ${Math.max(2, cpus().length)}`, `${r2.toFixed(2)} s`, "sha256sum", `${sha256sum.toFixed(2)} s (${mbps(sha256sum)})`, (r2 / sha256sum).toFixed(2)]);

  // 2. memory does not grow with file size ---------------------------------------------------
  const small = { s: { path: "data/small.bin", exists: true, kind: "file", sha256: writeRandom(path.join(ws, "data/small.bin"), 8 * MiB) } };
  writeFileSync(path.join(ws, "runs/small.json"), JSON.stringify(block(scriptSha, small), null, 2) + "\n");
  const rssSmall = peakRssKiB("node", [cli, "validate", "runs/small.json", "--root", ws, "--jobs", "1"], { cwd: ws });
  const rssLarge = peakRssKiB("node", [cli, "validate", "runs/report.json", "--root", ws, "--jobs", "1"], { cwd: ws });
  rows.push(["memory", `8 MiB vs ${nFiles} x ${size / MiB} MiB`, "peak RSS, large", `${(rssLarge / 1024).toFixed(0)} MiB`, "peak RSS, small", `${(rssSmall / 1024).toFixed(0)} MiB`, (rssLarge / rssSmall).toFixed(2)]);

  // 3. start-up on one sidecar (the pre-commit case) ---------------------------------------------
  // The committed fr_regressor_v1 sidecar of the real corpus (RUNPROV_REAL_CORPUS, default
  // ../shared/corpus/lusoris-vmaf) when present, else the golden workspace written the same way.
  const realCorpus = process.env.RUNPROV_REAL_CORPUS
    ? path.resolve(project, process.env.RUNPROV_REAL_CORPUS)
    : path.resolve(project, "..", "shared", "corpus", "lusoris-vmaf");
  const corpus = existsSync(path.join(realCorpus, "model/tiny/fr_regressor_v1.json"))
    ? realCorpus
    : path.join(project, "corpus-fixtures", "model-sidecar", "fr-regressor-v1", "repo");
  const sidecar = path.join(corpus, "model/tiny/fr_regressor_v1.json");
  const bundled = path.join(project, "generated", "bundled", "model-sidecar.schema.json");
  const schemaForAjv = readBundledOrSkip(bundled);
  const start = best(5, () => time("node", [cli, "validate", sidecar, "--root", corpus, "--format", "json"]).s);
  const bare = best(5, () => time("node", ["-e", "0"]).s);
  rows.push(["start-up", "one sidecar, hashes included", "runprov validate", `${(start * 1000).toFixed(0)} ms`, "node -e 0", `${(bare * 1000).toFixed(0)} ms`, (start / bare).toFixed(2)]);
  if (schemaForAjv) {
    const ajv1 = best(5, () => time("node", [ajvCli, "validate", "--spec=draft2020", "--strict=false", "-c", "ajv-formats", "-s", schemaForAjv, "-d", sidecar], { allowFail: true }).s);
    rows.push(["start-up", "one sidecar", "runprov validate (schema + hashes)", `${(start * 1000).toFixed(0)} ms`, "ajv-cli validate (schema only)", `${(ajv1 * 1000).toFixed(0)} ms`, (start / ajv1).toFixed(2)]);

    // 4. throughput: many artifacts, schema only ------------------------------------------------
    const many = quick ? 100 : 400;
    const dir = path.join(ws, "model");
    mkdirSync(dir, { recursive: true });
    const text = readFileSync(sidecar);
    for (let i = 0; i < many; i++) writeFileSync(path.join(dir, `m${i}.json`), text);
    const ours = best(3, () => time("node", [cli, "validate", "model", "--root", ws, "--no-hash", "--family", "model-sidecar", "--format", "json"], { cwd: ws }).s);
    const theirs = best(3, () => time("node", [ajvCli, "validate", "--spec=draft2020", "--strict=false", "-c", "ajv-formats", "-s", schemaForAjv, "-d", path.join(dir, "*.json")], { allowFail: true }).s);
    rows.push(["throughput", `${many} sidecars, schema only`, "runprov --no-hash", `${(ours * 1000).toFixed(0)} ms`, "ajv-cli validate", `${(theirs * 1000).toFixed(0)} ms`, (ours / theirs).toFixed(2)]);
  }
} finally {
  rmSync(ws, { recursive: true, force: true });
}

function readBundledOrSkip(p) {
  try {
    readFileSync(p);
    return p;
  } catch {
    return undefined;
  }
}

const head = "| what | workload | ours | time | anchor | time | ratio (ours / anchor) |\n| --- | --- | --- | --- | --- | --- | --- |";
const cpu = cpus()[0]?.model ?? "unknown CPU";
const md = [
  "# Benchmark results",
  "",
  `Machine: ${cpus().length} x ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? " (--quick)" : ""}.`,
  "Best of several runs each; page cache warm. A ratio below 1 means runprov is faster.",
  "runprov times are whole runs of the CLI (process start-up, detection, schema checks, report),",
  "so the hashing rows include about 0.4 s that openssl and sha256sum do not spend.",
  "",
  head,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  "",
].join("\n");
writeFileSync(path.join(project, "bench", "results.md"), md);
process.stdout.write(md);
