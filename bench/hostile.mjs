#!/usr/bin/env node
/**
 * Growth of the run time with the size of hostile inputs: each shape at size n and 4n, run
 * through the built CLI as a user would, best of three. Linear handling gives a ratio near 4
 * (a little less: start-up is a fixed cost); a quadratic one gives 16. Before 1.1 these shapes
 * took minutes at the sizes below (docs/contract.md, "Selection and confinement").
 *
 * Usage: npm run build && node bench/hostile.mjs. Prints a Markdown table.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(project, "dist", "bin", "runprov.mjs");
const sha = (b) => createHash("sha256").update(b).digest("hex");
const script = "print(1)\n";

function block(extra = {}) {
  return {
    args: {},
    argv: [],
    entrypoint: { exists: true, kind: "file", path: "ai/scripts/run.py", sha256: sha(script) },
    schema: "ai-run-provenance-v1",
    ...extra,
  };
}

/** Each shape writes a workspace for size n and returns the CLI arguments. */
const SHAPES = {
  "NaN tokens in one array (one line)": (dir, n) => {
    writeFileSync(path.join(dir, "r.json"), `{"run_provenance": ${JSON.stringify(block())}, "schema": "x-v1", "m": [${Array(n).fill("NaN").join(",")}]}`);
    return ["validate", "r.json", "--no-hash"];
  },
  "duplicate keys in one object": (dir, n) => {
    writeFileSync(
      path.join(dir, "r.json"),
      `{"run_provenance": ${JSON.stringify(block())}, "schema": "x-v1", "m": {${Array.from({ length: n }, (_, i) => `"k": ${i}`).join(",")}}}`,
    );
    return ["validate", "r.json", "--no-hash"];
  },
  "array of numbers (every item a schema error)": (dir, n) => {
    writeFileSync(path.join(dir, "r.json"), JSON.stringify({ run_provenance: block({ argv: Array.from({ length: n }, (_, i) => i) }), schema: "x-v1" }));
    return ["validate", "r.json", "--no-hash", "--format", "json"];
  },
  "long .gitignore pattern": (dir, n) => {
    writeFileSync(path.join(dir, ".gitignore"), `${"a*".repeat(n / 2)}\n`);
    writeFileSync(path.join(dir, "r.json"), JSON.stringify({ run_provenance: block(), schema: "x-v1" }));
    return ["validate", "--no-hash"];
  },
  "blob in the history of the entrypoint (bytes)": (dir, n) => {
    const git = (...a) =>
      execFileSync("git", a, {
        cwd: dir,
        env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" },
      });
    git("init", "-q");
    const big = Buffer.alloc(n, 0x61);
    writeFileSync(path.join(dir, "ai/scripts/run.py"), big);
    git("add", "-A");
    git("commit", "-qm", "big");
    writeFileSync(path.join(dir, "ai/scripts/run.py"), script);
    git("commit", "-qam", "small");
    writeFileSync(
      path.join(dir, "r.json"),
      JSON.stringify({ run_provenance: block({ entrypoint: { exists: true, kind: "file", path: "ai/scripts/run.py", sha256: sha(big) } }), schema: "x-v1" }),
    );
    return ["validate", "r.json"];
  },
};
const SIZES = {
  "NaN tokens in one array (one line)": 100_000,
  "duplicate keys in one object": 100_000,
  "array of numbers (every item a schema error)": 40_000,
  "long .gitignore pattern": 60_000,
  "blob in the history of the entrypoint (bytes)": 25 * 1024 * 1024,
};

function timeRun(shape, n) {
  const dir = mkdtempSync(path.join(tmpdir(), "runprov-bench-hostile-"));
  try {
    mkdirSync(path.join(dir, "ai/scripts"), { recursive: true });
    writeFileSync(path.join(dir, "ai/scripts/run.py"), script);
    const args = SHAPES[shape](dir, n);
    let bestS = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, ...args, "--root", dir], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30, timeout: 120_000 });
      const s = Number(process.hrtime.bigint() - t) / 1e9;
      if (r.status === null || r.status > 1) throw new Error(`${shape} n=${n}: exit ${r.status} ${r.stderr}`);
      bestS = Math.min(bestS, s);
    }
    return bestS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = ["| shape | n | time at n | time at 4n | ratio (linear ≈ 4, quadratic ≈ 16) |", "| --- | --- | --- | --- | --- |"];
for (const shape of Object.keys(SHAPES)) {
  const n = SIZES[shape];
  const a = timeRun(shape, n);
  const b = timeRun(shape, 4 * n);
  rows.push(`| ${shape} | ${n.toLocaleString("en")} | ${a.toFixed(2)} s | ${b.toFixed(2)} s | ${(b / a).toFixed(2)} |`);
  console.error(rows.at(-1));
}
console.log(rows.join("\n"));
