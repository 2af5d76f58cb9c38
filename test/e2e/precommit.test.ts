/**
 * The pre-commit hook end to end, with the real `pre-commit` program (Debian package
 * `pre-commit`): a throw-away repository whose .pre-commit-config.yaml points at a commit of
 * THIS repository's working tree (pre-commit clones the hook repository at `rev`, so the
 * working tree is copied into a temporary repository and committed there). pre-commit
 * installs the hook with npm (registry), then runs it offline.
 *
 * - a good sidecar (with run_provenance) and its ONNX: the commit passes;
 * - the ONNX re-exported without refreshing the sidecar, only the .onnx staged: the commit is
 *   refused, and the output names the file, pointer, line and column;
 * - adoption on lusoris/vmaf's real model/ tree (RUNPROV_REAL_CORPUS and its companion folder):
 *   without a baseline only the legacy artifacts fail; with `runprov baseline` committed
 *   everything passes; an edited legacy sidecar and a tampered ONNX behind a baselined sidecar
 *   are refused.
 *
 * The hook repository is snapshotted and its environment installed once (one PRE_COMMIT_HOME).
 *
 * Skipped when `pre-commit` is not installed, except in CI (process.env.CI), where it must run.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cpSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, removeTree, sha256, snapshotProject, tempDir } from "../helpers.js";
import { REAL_CORPUS, REAL_CORPUS_REST, itReal, realCorpus } from "../real-corpus.js";

const hasPreCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0;
const inCi = !!process.env.CI;
if (!hasPreCommit && !inCi) console.warn("skipping the pre-commit end-to-end test: `pre-commit` is not installed (apt-get install -y pre-commit)");
const describeHook = hasPreCommit || inCi ? describe : describe.skip;

const GIT_ENV = {
  GIT_AUTHOR_NAME: "runprov test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "runprov test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: 540_000,
    env: { ...process.env, ...GIT_ENV, NO_COLOR: "1", ...env },
  });
  return { code: r.status ?? -1, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

function must(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}):\n${r.out}`);
  return r.out;
}

function pyJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

/** The configuration the README documents for the hook. */
const hookConfig = (hookRepo: string, rev: string) => `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: runprov-sidecars\n`;

describeHook("pre-commit hook runprov-sidecars", () => {
  const dirs: string[] = [];
  let hookRepo: string;
  let rev: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    hookRepo = tempDir("runprov-hookrepo-");
    const home = tempDir("runprov-pchome-");
    dirs.push(hookRepo, home);
    rev = snapshotProject(hookRepo);
    env = { PRE_COMMIT_HOME: home };
  });
  afterAll(() => dirs.forEach(removeTree));

  it("passes a good sidecar and refuses an ONNX change without a sidecar refresh", () => {
    expect(hasPreCommit, "`pre-commit` must be installed in CI (apt-get install -y pre-commit)").toBe(true);
    const user = tempDir("runprov-user-");
    dirs.push(user);

    // The user's repository: an exporter script, a model, its sidecar (as export_vmaf_tiny_v2.py
    // writes it) and the registry row.
    must("git", ["init", "-q", "-b", "main"], user);
    mkdirSync(path.join(user, "ai/scripts"), { recursive: true });
    mkdirSync(path.join(user, "model/tiny"), { recursive: true });
    const script = "ai/scripts/export_vmaf_tiny_v2.py";
    writeFileSync(path.join(user, script), "# exporter\nprint('export')\n");
    const onnxRel = "model/tiny/vmaf_tiny_v2.onnx";
    const onnx = Buffer.from("ONNX stand-in: a few bytes of graph\n");
    writeFileSync(path.join(user, onnxRel), onnx);
    const sidecarRel = "model/tiny/vmaf_tiny_v2.json";
    const onnxSha = sha256(onnx);
    const sidecar = {
      features: ["adm2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion2"],
      id: "vmaf_tiny_v2",
      input_mean: [0.9, 0.5, 0.7, 0.8, 0.9, 6.0],
      input_name: "features",
      input_shape: [-1, 6],
      input_std: [0.05, 0.15, 0.1, 0.07, 0.05, 7.0],
      kind: "fr",
      notes: "vmaf_tiny_v2 test model",
      onnx: "vmaf_tiny_v2.onnx",
      opset: 17,
      output_name: "vmaf",
      output_shape: [-1],
      run_provenance: {
        args: { ckpt: "runs/vmaf_tiny_v2.pt", out_onnx: onnxRel, out_sidecar: sidecarRel },
        argv: ["--ckpt", "runs/vmaf_tiny_v2.pt", "--out-onnx", onnxRel, "--out-sidecar", sidecarRel],
        entrypoint: { exists: true, kind: "file", path: script, sha256: sha256(readFileSync(path.join(user, script))) },
        inputs: { checkpoint: { exists: true, kind: "file", path: "runs/vmaf_tiny_v2.pt", sha256: "7".repeat(64) } },
        outputs: { onnx_target: { exists: true, kind: "file", path: onnxRel, sha256: onnxSha }, sidecar_target: sidecarRel },
        schema: "ai-run-provenance-v1",
      },
      sha256: onnxSha,
    };
    writeFileSync(path.join(user, sidecarRel), pyJson(sidecar));
    writeFileSync(
      path.join(user, "model/tiny/registry.json"),
      pyJson({
        models: [{ id: "vmaf_tiny_v2", kind: "fr", license: "BSD-3-Clause-Plus-Patent", onnx: "vmaf_tiny_v2.onnx", opset: 17, sha256: onnxSha, smoke: false }],
        schema_version: 1,
      }),
    );
    writeFileSync(path.join(user, ".pre-commit-config.yaml"), hookConfig(hookRepo, rev));
    must("pre-commit", ["install"], user, env);
    // Install the hook environment first (npm, from the registry) so that its output stays apart.
    must("pre-commit", ["install-hooks"], user, env);

    // 1. The good sidecar passes.
    must("git", ["add", "-A"], user);
    const good = run("git", ["commit", "-m", "add vmaf_tiny_v2"], user, env);
    expect(good.out).toMatch(/runprov \(model sidecars, registry and ONNX\)\.+Passed/);
    expect(good.code, good.out).toBe(0);
    const head = must("git", ["rev-parse", "HEAD"], user).trim();

    // 2. The ONNX is re-exported; the sidecar is not refreshed; only the .onnx is staged.
    writeFileSync(path.join(user, onnxRel), Buffer.from("ONNX stand-in: a few bytes of graph, re-exported\n"));
    must("git", ["add", onnxRel], user);
    const bad = run("git", ["commit", "-m", "re-export vmaf_tiny_v2"], user, env);
    if (process.env.RUNPROV_DUMP_HOOK_OUTPUT) writeFileSync(process.env.RUNPROV_DUMP_HOOK_OUTPUT, bad.out);
    expect(bad.code, bad.out).not.toBe(0);
    expect(bad.out).toMatch(/runprov \(model sidecars, registry and ONNX\)\.+Failed/);
    // file, line:column, code and pointer of the stale digest in the sidecar ...
    const lines = readFileSync(path.join(user, sidecarRel), "utf8").split("\n");
    const shaLine = lines.findIndex((l) => l.startsWith('  "sha256"')) + 1;
    expect(bad.out).toContain(`${sidecarRel}:${shaLine}:13 error hash-mismatch`);
    expect(bad.out).toContain("[pointer /sha256]");
    expect(bad.out).toContain("[pointer /run_provenance/outputs/onnx_target/sha256]");
    // ... and in the registry row
    expect(bad.out).toMatch(/model\/tiny\/registry\.json:\d+:\d+ error hash-mismatch/);
    expect(bad.out).toContain("[pointer /models/0/sha256]");
    expect(bad.out).toMatch(/> +\d+ \| {3}"sha256": "/); // a code frame of the offending line
    expect(bad.out).not.toContain(" info "); // --quiet: only errors
    expect(must("git", ["rev-parse", "HEAD"], user).trim()).toBe(head); // the commit was refused
  }, 900_000);

  itReal(
    "adopts the hook on lusoris/vmaf's real model/ tree with a baseline",
    () => {
      expect(REAL_CORPUS_REST, "the companion folder lusoris-vmaf-rest (RUNPROV_REAL_CORPUS_REST) is needed too").toBeDefined();
      const user = tempDir("runprov-adopt-");
      dirs.push(user);
      // The repository's model/ tree as it really is: the artifacts, then the rest of the folder.
      cpSync(realCorpus(), user, { recursive: true });
      cpSync(REAL_CORPUS_REST!, user, { recursive: true });
      must("git", ["init", "-q", "-b", "main"], user);
      writeFileSync(path.join(user, ".pre-commit-config.yaml"), hookConfig(hookRepo, rev));
      must("git", ["add", "-A"], user);
      must("git", ["commit", "-q", "--no-verify", "-m", "lusoris/vmaf model tree"], user);
      const hook = (...args: string[]) => run("pre-commit", ["run", "runprov-sidecars", ...args], user, env);
      const failing = (out: string) => [...out.matchAll(/^FAIL (\S+)/gm)].map((m) => m[1]);
      const errors = (out: string) => [...out.matchAll(/^ {2}(\S+?):\d+:\d+ error (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);

      // 1. Without a baseline: only the legacy artifacts fail (no block), and nothing else does:
      //    the classic SVM models and the predictor ONNX files are not artifacts.
      const before = hook("--all-files");
      expect(before.code, before.out).not.toBe(0);
      const legacy = failing(before.out);
      expect(legacy.length).toBeGreaterThanOrEqual(20);
      expect(errors(before.out).sort()).toEqual(legacy.map((f) => `${f} legacy-no-provenance`).sort());
      const rest = readdirSync(path.join(REAL_CORPUS_REST!, "model"));
      expect(legacy.filter((f) => rest.includes(path.basename(f)))).toEqual([]);

      // 2. runprov baseline, committed: the hook passes, and says what the baseline accepts.
      must(process.execPath, [CLI, "baseline", "--require-provenance", "--unknown", "skip", "model"], user);
      must("git", ["add", ".runprov-baseline.json"], user);
      must("git", ["commit", "-q", "--no-verify", "-m", "runprov baseline"], user);
      const after = hook("--all-files");
      expect(after.code, after.out).toBe(0);
      const counted = must(process.execPath, [CLI, "validate", "--require-provenance", "--unknown", "skip", "model"], user);
      expect(counted).toContain(`baseline: ${legacy.length} legacy artifact(s) listed, ${legacy.length} error(s) accepted in this run; 0 stale`);

      // 3. A touched legacy sidecar must carry provenance again.
      const touched = "model/tiny/vmaf_tiny_v2.json";
      writeFileSync(path.join(user, touched), readFileSync(path.join(user, touched), "utf8").replace(/\n$/, " \n"));
      must("git", ["add", touched], user);
      const edited = hook();
      expect(edited.code, edited.out).not.toBe(0);
      expect(errors(edited.out)).toEqual([`${touched} legacy-no-provenance`]);
      must("git", ["checkout", "HEAD", "--", touched], user);

      // 4. A tampered ONNX behind a baselined sidecar is refused: the baseline accepts no digest.
      const onnx = "model/tiny/fr_regressor_v1.onnx";
      const bytes = readFileSync(path.join(user, onnx));
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(path.join(user, onnx), bytes);
      must("git", ["add", onnx], user);
      const tampered = hook();
      expect(tampered.code, tampered.out).not.toBe(0);
      expect(errors(tampered.out)).toContain("model/tiny/fr_regressor_v1.json hash-mismatch");
      expect(errors(tampered.out).every((e) => e.endsWith(" hash-mismatch"))).toBe(true);
    },
    900_000,
  );
});
