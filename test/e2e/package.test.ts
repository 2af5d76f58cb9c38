/**
 * The release tarball, as a user installs it: `npm pack` of this build, then
 * `npm install -g --prefix <fresh prefix> ./run-provenance-X.Y.Z.tgz`. The install needs only
 * the npm registry (or npm's cache) for the runtime dependencies: no build step runs (npm never
 * runs `prepare` for a tarball), no devDependency is installed. The installed `runprov` then runs
 * with every network route closed. The tarball ships the CLI, library, schemas, bundles, types,
 * docs and the conformance vectors; no tests, benchmarks or golden workspaces.
 *
 * The pack uses `--ignore-scripts`: it packs the dist/ that `npm test` built (the global setup
 * refuses a stale one), instead of rebuilding it under the other tests' feet.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT, copyTree, removeTree, tempDir } from "../helpers.js";

const pkg = JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8"));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** No network at all: every proxy points at a closed port, npm is told it is offline. */
const OFFLINE: NodeJS.ProcessEnv = {
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  NO_PROXY: "",
  npm_config_offline: "true",
};

describe("the npm pack tarball", () => {
  let work: string;
  let tgz: string;
  let files: string[];
  let prefix: string;
  let bin: string;

  beforeAll(() => {
    work = tempDir("runprov-pack-");
    const packed = sh(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], PROJECT);
    expect(packed.code, packed.stderr).toBe(0);
    const info = JSON.parse(packed.stdout)[0];
    tgz = path.join(work, info.filename);
    files = info.files.map((f: { path: string }) => f.path);
    prefix = path.join(work, "prefix");
    const installed = sh(NPM, ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", tgz], work);
    expect(installed.code, installed.stderr).toBe(0);
    bin = path.join(prefix, "bin", "runprov");
  }, 300_000);

  afterAll(() => {
    if (work) removeTree(work);
  });

  it("is named and versioned after package.json", () => {
    expect(path.basename(tgz)).toBe(`run-provenance-${pkg.version}.tgz`);
  });

  it("ships the CLI, the library, schemas, bundles, types, docs and conformance vectors, and nothing of the test suite", () => {
    for (const f of [
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "dist/bin/runprov.mjs",
      "dist/bin/yargs-locales/en.json",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/hash/worker.js",
      "dist/validators/v1/manifest.json",
      "schema/v1/common.schema.json",
      "generated/bundled/model-sidecar.schema.json",
      "generated/types/index.d.ts",
      "corpus-fixtures/conformance/model-sidecar.json",
      "docs/contract.md",
    ]) {
      expect(files, f).toContain(f);
    }
    const stray = files.filter(
      (f) => /^(test|bench|\.ci|node_modules|src)\//.test(f) || (f.startsWith("corpus-fixtures/") && !f.startsWith("corpus-fixtures/conformance/")),
    );
    expect(stray).toEqual([]);
    expect(files.some((f) => /\.test\.ts$|\.tsbuildinfo$/.test(f))).toBe(false);
  });

  it("installs runtime dependencies only, without building", () => {
    const lib = path.join(prefix, "lib", "node_modules", "run-provenance");
    expect(existsSync(path.join(lib, "dist", "bin", "runprov.mjs"))).toBe(true);
    const deps = readdirSync(path.join(lib, "node_modules"));
    for (const dev of Object.keys(pkg.devDependencies)) expect(deps, dev).not.toContain(dev);
    for (const dep of Object.keys(pkg.dependencies)) {
      const top = dep.split("/")[0];
      expect(deps.includes(top) || existsSync(path.join(prefix, "lib", "node_modules", dep)), dep).toBe(true);
    }
  });

  it("runs offline: version, families, schema and validate on a repository of ours", () => {
    expect(sh(bin, ["--version"], work, OFFLINE).stdout.trim()).toBe(pkg.version);
    const families = JSON.parse(sh(bin, ["families", "--format", "json"], work, OFFLINE).stdout);
    expect(families.length ?? families.families?.length).toBeGreaterThan(10);
    const schema = sh(bin, ["schema", "model-sidecar"], work, OFFLINE);
    expect(schema.stdout).toBe(readFileSync(path.join(PROJECT, "generated", "bundled", "model-sidecar.schema.json"), "utf8"));

    const repo = copyTree(path.join(PROJECT, "corpus-fixtures", "demo"), "runprov-pack-repo-");
    try {
      const ok = sh(bin, ["validate", "--root", repo], repo, OFFLINE);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/4 artifact\(s\): 4 valid, 0 invalid/);
      const onnx = path.join(repo, "model", "tiny", "vmaf_tiny_v4.onnx");
      writeFileSync(onnx, Buffer.concat([readFileSync(onnx), Buffer.from("x")]));
      const bad = sh(bin, ["validate", "model/tiny/vmaf_tiny_v4.onnx", "--root", repo, "--format", "github"], repo, OFFLINE);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^::error file=model\/tiny\/vmaf_tiny_v4\.json,line=\d+,col=\d+,title=hash-mismatch::/m);
      const md = sh(bin, ["validate", "--root", repo, "--format", "markdown"], repo, OFFLINE);
      expect(md.stdout).toContain("| `model/tiny/vmaf_tiny_v4.json` |");
    } finally {
      removeTree(repo);
    }
  });

  it("is importable as a library, with its package exports", () => {
    const app = path.join(work, "app");
    mkdirSync(path.join(app, "node_modules"), { recursive: true });
    symlinkSync(path.join(prefix, "lib", "node_modules", "run-provenance"), path.join(app, "node_modules", "run-provenance"));
    writeFileSync(
      path.join(app, "check.mjs"),
      [
        'import { validate, FAMILIES, TOOL_VERSION } from "run-provenance";',
        'import { createRequire } from "node:module";',
        "const require = createRequire(import.meta.url);",
        'const vectors = require("run-provenance/conformance/model-sidecar.json");',
        'const bundle = require("run-provenance/bundled/model-sidecar.schema.json");',
        "const r = await validate([], { root: process.argv[2], cwd: process.argv[2] });",
        "console.log(JSON.stringify({ v: TOOL_VERSION, families: FAMILIES.length, vectors: vectors.length, id: bundle.$id, artifacts: r.summary.artifacts }));",
      ].join("\n"),
    );
    const demo = path.join(PROJECT, "corpus-fixtures", "demo");
    const r = sh(process.execPath, ["check.mjs", demo], app, OFFLINE);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ v: pkg.version, artifacts: 4 });
    expect(out.families).toBeGreaterThan(10);
    expect(out.vectors).toBeGreaterThan(0);
    expect(out.id).toMatch(/model-sidecar/);
  });
});
