#!/usr/bin/env node
/**
 * The golden cases cannot drift from their generators.
 *
 *   node scripts/fixtures.mjs           rerun every generator in place (corpus-fixtures/<family>/make_fixtures.py,
 *                                       then corpus-fixtures/_demo/make_demo.py)
 *   node scripts/fixtures.mjs --check   rerun them in a scratch copy and compare every case (and the demo) with
 *                                       the committed files; exit 1 on any difference
 *
 * The generators are deterministic (no absolute checkout paths, no timestamps, sorted JSON), so the
 * check compares bytes. Empty folders are not compared: git keeps none, and a fixture's recorded
 * directory that is absent from a checkout is reported as such by runprov, never hashed. The
 * conformance vectors harvested from the cases are checked by `node scripts/generate.mjs --check`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = "corpus-fixtures";
/** Folders of corpus-fixtures/ that no Python generator writes. */
const NOT_GENERATED = new Set(["conformance", "snapshots"]);

/** The generators, in the order they must run (the demo is composed from other cases). */
function generators(fixtures) {
  const families = readdirSync(fixtures)
    .filter((n) => !n.startsWith("_") && existsSync(path.join(fixtures, n, "make_fixtures.py")))
    .sort();
  return [...families.map((f) => path.join(f, "make_fixtures.py")), path.join("_demo", "make_demo.py")];
}

function run(fixtures, python = process.env.PYTHON ?? "python3") {
  for (const g of generators(fixtures)) {
    execFileSync(python, [path.join(fixtures, g)], {
      cwd: path.dirname(fixtures),
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
  }
}

/** Every regular file below `dir`, relative to it, POSIX separators. */
function files(dir, prefix = "") {
  const out = [];
  for (const n of readdirSync(dir).sort()) {
    const abs = path.join(dir, n);
    const rel = prefix ? `${prefix}/${n}` : n;
    if (n === "__pycache__") continue;
    if (statSync(abs).isDirectory()) out.push(...files(abs, rel));
    else out.push(rel);
  }
  return out;
}

/** The generated part of a fixtures folder: every file of a case folder (one holding case.json) and of demo/. */
function generated(fixtures) {
  const out = new Map();
  for (const family of readdirSync(fixtures).sort()) {
    const famDir = path.join(fixtures, family);
    if (family.startsWith("_") || NOT_GENERATED.has(family) || !statSync(famDir).isDirectory()) continue;
    const isCase = (d) => existsSync(path.join(famDir, d, "case.json"));
    const dirs = family === "demo" ? [""] : readdirSync(famDir).filter((d) => statSync(path.join(famDir, d)).isDirectory() && isCase(d));
    for (const d of dirs) {
      const base = path.join(famDir, d);
      for (const rel of files(base)) out.set(path.posix.join(family, d, rel), path.join(base, rel));
    }
  }
  return out;
}

/** Differences between two generated sets: `[path, why]`. */
export function differences(expected, actual) {
  const out = [];
  for (const [rel, abs] of expected) {
    const other = actual.get(rel);
    if (!other) out.push([rel, "missing from the regenerated cases"]);
    else if (!readFileSync(abs).equals(readFileSync(other))) out.push([rel, "differs from what its generator writes"]);
  }
  for (const rel of actual.keys()) if (!expected.has(rel)) out.push([rel, "written by a generator but not committed"]);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Regenerates every case in a scratch copy of the generators and compares with `root`'s committed cases. */
export function check(root = ROOT) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "runprov-fixtures-"));
  try {
    const committed = path.join(root, FIXTURES);
    const copy = path.join(scratch, FIXTURES);
    // Only the generators and their library: every case is written anew.
    cpSync(committed, copy, {
      recursive: true,
      filter: (src) => {
        const rel = path.relative(committed, src);
        if (rel === "") return true;
        const top = rel.split(path.sep)[0];
        if (top.startsWith("_")) return !rel.includes("__pycache__");
        if (top === "demo" || NOT_GENERATED.has(top)) return false;
        return rel.split(path.sep).length === 1 || rel.endsWith(".py");
      },
    });
    run(copy);
    return differences(generated(committed), generated(copy));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  if (!process.argv.includes("--check")) {
    run(path.join(ROOT, FIXTURES));
    console.log("fixtures: every generator ran; review and commit the changes (git status corpus-fixtures)");
    return;
  }
  const t0 = Date.now();
  const diffs = check();
  if (diffs.length > 0) {
    for (const [rel, why] of diffs) {
      const msg = `${FIXTURES}/${rel} ${why}: run \`node scripts/fixtures.mjs\` and commit the result`;
      if (process.env.GITHUB_ACTIONS) console.log(`::error file=${FIXTURES}/${rel}::${msg}`);
      console.error(msg);
    }
    process.exit(1);
  }
  console.log(`golden cases are up to date with their generators (${Date.now() - t0} ms)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
