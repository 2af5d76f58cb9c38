#!/usr/bin/env node
/**
 * Benchmarks of the built CLI, each paired with its anchor in the same run (runs interleaved,
 * ours then the anchor, the median of each kept), reported as ratios:
 *
 *   1. start-up, the pre-commit case: `runprov validate` of one modern sidecar (with its
 *      run_provenance) in a git repository, vs `node -e 0`;
 *   2. `runprov --version`, CPU time (user + system), vs `node -e 0`;
 *   3. throughput: 10,000 run manifests with `--no-hash` vs ajv-cli 5 on the bundled schema;
 *   4. hashing: one run manifest recording a 1 GiB input vs `openssl dgst -sha256` of it;
 *   5. hashing in parallel: four 256 MiB inputs with `--jobs 2` vs `openssl dgst -sha256` over
 *      the four in a row;
 *   6. memory: peak RSS of runs 4 and 5, and of an 8 MiB artifact (the largest runprov reads).
 *
 * Usage: npm run build && node bench/run.mjs [--quick]. Prints a Markdown table; with
 * `--write` it also replaces the table of bench/results.md. Numbers depend on the machine and
 * its load; the ratios are what to compare. bench/scale.mjs measures the cache and the shards,
 * bench/hostile.mjs the growth with hostile input sizes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(project, "dist", "bin", "runprov.mjs");
const ajvCli = path.join(project, "node_modules", "ajv-cli", "dist", "index.js");
const quick = process.argv.includes("--quick");
const MiB = 1024 * 1024;

/** One run: wall seconds, CPU seconds (user + system) and peak RSS (KiB), through /usr/bin/time. */
function run(cmd, args, opts = {}) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", cmd, ...args], { encoding: "utf8", maxBuffer: 256 * MiB, ...opts });
  const last = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { wall: last[0], cpu: last[1] + last[2], rssKiB: last[3] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `n` interleaved runs of ours and the anchor; the median of each measure. */
function paired(n, ours, anchor) {
  const a = [];
  const b = [];
  for (let i = 0; i < n; i++) {
    a.push(ours());
    b.push(anchor());
  }
  const pick = (xs, k) => median(xs.map((x) => x[k]));
  return {
    ours: { wall: pick(a, "wall"), cpu: pick(a, "cpu"), rssKiB: Math.max(...a.map((x) => x.rssKiB)) },
    anchor: { wall: pick(b, "wall"), cpu: pick(b, "cpu"), rssKiB: Math.max(...b.map((x) => x.rssKiB)) },
  };
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

const sha = (b) => createHash("sha256").update(b).digest("hex");
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
const sec = (s) => `${s.toFixed(2)} s`;
const rows = [];
const row = (what, workload, ours, oursValue, anchor, anchorValue, ratio, goal) =>
  rows.push([what, workload, ours, oursValue, anchor, anchorValue, ratio.toFixed(2), goal]);

const ws = mkdtempSync(path.join(tmpdir(), "runprov-bench-"));
const git = (cwd, ...args) =>
  execFileSync("git", args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" },
  });
try {
  const reps = quick ? 3 : 9;

  // 1. start-up: one modern sidecar in a git repository -----------------------------------------
  const repo = path.join(ws, "repo");
  cpSync(path.join(project, "corpus-fixtures", "demo"), repo, { recursive: true });
  git(repo, "init", "-q");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "demo");
  const sidecar = "model/tiny/vmaf_tiny_v4.json";
  const startUp = paired(
    reps,
    () => run("node", [cli, "validate", sidecar], { cwd: repo }),
    () => run("node", ["-e", "0"]),
  );
  row(
    "start-up",
    "one modern sidecar in a git repository (the pre-commit hook)",
    "runprov validate",
    ms(startUp.ours.wall),
    "node -e 0",
    ms(startUp.anchor.wall),
    startUp.ours.wall / startUp.anchor.wall,
    "<= 1.5",
  );

  // 2. --version, CPU time ------------------------------------------------------------------------
  const version = paired(
    reps,
    () => run("node", [cli, "--version"]),
    () => run("node", ["-e", "0"]),
  );
  row(
    "start-up",
    "`--version`, CPU time",
    "runprov --version",
    ms(version.ours.cpu),
    "node -e 0",
    ms(version.anchor.cpu),
    version.ours.cpu / version.anchor.cpu,
    "<= 1.2",
  );

  // 3. throughput: 10,000 run manifests, schema only ---------------------------------------------
  const many = quick ? 2000 : 10000;
  const tree = path.join(ws, "many");
  mkdirSync(path.join(tree, "ai/scripts"), { recursive: true });
  mkdirSync(path.join(tree, "runs"), { recursive: true });
  writeFileSync(path.join(tree, "ai/scripts/run.py"), "print(1)\n");
  const scriptSha = sha("print(1)\n");
  for (let i = 0; i < many; i++) {
    const doc = {
      run_provenance: {
        args: { i },
        argv: [],
        entrypoint: { exists: true, kind: "file", path: "ai/scripts/run.py", sha256: scriptSha },
        schema: "ai-run-provenance-v1",
      },
      schema: "bench-report-v1",
      value: i,
    };
    writeFileSync(path.join(tree, "runs", `r${i}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  }
  const bundled = path.join(project, "generated", "bundled", "run-manifest.schema.json");
  const through = paired(
    quick ? 1 : 3,
    () => run("node", [cli, "validate", "runs", "--root", tree, "--no-hash", "--format", "json"], { cwd: tree }),
    () => run("node", [ajvCli, "validate", "--spec=draft2020", "--strict=false", "-s", bundled, "-d", "runs/*.json"], { cwd: tree }),
  );
  row(
    "throughput",
    `${many.toLocaleString("en")} run manifests, \`--no-hash\``,
    "runprov validate",
    sec(through.ours.wall),
    "ajv-cli 5, bundled schema",
    sec(through.anchor.wall),
    through.ours.wall / through.anchor.wall,
    "<= 1.0",
  );

  // 4. one 1 GiB input -------------------------------------------------------------------------------
  const data = path.join(ws, "data");
  mkdirSync(path.join(data, "ai/scripts"), { recursive: true });
  mkdirSync(path.join(data, "runs"), { recursive: true });
  writeFileSync(path.join(data, "ai/scripts/run.py"), "print(1)\n");
  const gib = (quick ? 256 : 1024) * MiB;
  const bigSha = writeRandom(path.join(data, "big.bin"), gib);
  const manifest = (inputs) => ({
    run_provenance: {
      args: {},
      argv: [],
      entrypoint: { exists: true, kind: "file", path: "ai/scripts/run.py", sha256: scriptSha },
      inputs,
      schema: "ai-run-provenance-v1",
    },
    schema: "bench-report-v1",
  });
  writeFileSync(path.join(data, "runs/big.json"), JSON.stringify(manifest({ big: { exists: true, kind: "file", path: "big.bin", sha256: bigSha } })));
  spawnSync("cat", [path.join(data, "big.bin")], { stdio: "ignore" }); // warm the page cache
  const one = paired(
    quick ? 1 : 3,
    () => run("node", [cli, "validate", "runs/big.json", "--root", data], { cwd: data }),
    () => run("openssl", ["dgst", "-sha256", path.join(data, "big.bin")]),
  );
  row(
    "hashing",
    `one run manifest with a ${gib / MiB} MiB input`,
    "runprov validate",
    sec(one.ours.wall),
    "openssl dgst -sha256",
    sec(one.anchor.wall),
    one.ours.wall / one.anchor.wall,
    "<= 1.15",
  );

  // 5. four 256 MiB inputs, --jobs 2 --------------------------------------------------------------------
  const quarter = (quick ? 64 : 256) * MiB;
  const four = {};
  const fourFiles = [];
  for (let i = 0; i < 4; i++) {
    const rel = `part${i}.bin`;
    four[`part${i}`] = { exists: true, kind: "file", path: rel, sha256: writeRandom(path.join(data, rel), quarter) };
    fourFiles.push(path.join(data, rel));
  }
  writeFileSync(path.join(data, "runs/four.json"), JSON.stringify(manifest(four)));
  spawnSync("cat", fourFiles, { stdio: "ignore" });
  const par = paired(
    quick ? 1 : 3,
    () => run("node", [cli, "validate", "runs/four.json", "--root", data, "--jobs", "2"], { cwd: data }),
    () => run("openssl", ["dgst", "-sha256", ...fourFiles]),
  );
  row(
    "hashing",
    `4 x ${quarter / MiB} MiB inputs, \`--jobs 2\``,
    "runprov validate",
    sec(par.ours.wall),
    "openssl dgst over the four in a row",
    sec(par.anchor.wall),
    par.ours.wall / par.anchor.wall,
    "<= 0.6",
  );

  // 6. memory -------------------------------------------------------------------------------------------
  const parts = [];
  for (let n = 0; n < 7.9 * MiB;) {
    const v = (Math.random() * 1000).toFixed(3);
    parts.push(v);
    n += v.length + 1;
  }
  writeFileSync(
    path.join(data, "runs/wide.json"),
    JSON.stringify({ ...manifest(undefined), values: 0 }).replace('"values":0', `"values":[${parts.join(",")}]`),
  );
  const wide = run("node", [cli, "validate", "runs/wide.json", "--root", data, "--no-hash"], { cwd: data });
  const peak = Math.max(one.ours.rssKiB, par.ours.rssKiB, wide.rssKiB) / 1024;
  row(
    "memory",
    `peak RSS of the runs above and of an 8 MiB artifact (${(one.ours.rssKiB / 1024).toFixed(0)}, ${(par.ours.rssKiB / 1024).toFixed(0)}, ${(wide.rssKiB / 1024).toFixed(0)} MiB)`,
    "runprov",
    `${peak.toFixed(0)} MiB`,
    "the goal",
    "150 MiB",
    peak / 150,
    "<= 1.0",
  );
} finally {
  rmSync(ws, { recursive: true, force: true });
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const table = [
  `Machine: ${cpus().length} x ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? " (--quick sizes)" : ""}.`,
  "Each pair interleaved in one run (ours, then the anchor), medians; page cache warm.",
  "",
  "| what | workload | ours | time | anchor | time | ratio | goal |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  "",
].join("\n");
process.stdout.write(table);
if (process.argv.includes("--write")) {
  const file = path.join(project, "bench", "results.md");
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("<!-- bench/run.mjs -->");
  const end = text.indexOf("<!-- /bench/run.mjs -->");
  if (start < 0 || end < 0) throw new Error("bench/results.md has no <!-- bench/run.mjs --> section");
  writeFileSync(file, `${text.slice(0, start)}<!-- bench/run.mjs -->\n${table}${text.slice(end)}`);
}
