/**
 * `runprov gate registry-flip` on a git copy of the real model/tiny folder (the real corpus, see
 * test/real-corpus.ts; skipped when absent), driven through the CLI's command line in-process
 * (test/inprocess.ts) as a CI job would; test/e2e/cli.test.ts runs the built CLI.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { removeTree } from "../helpers.js";
import { runInProcess } from "../inprocess.js";
import { describeReal } from "../real-corpus.js";
import {
  ENSEMBLE,
  REGISTRY,
  TINY,
  addSeedProvenance,
  editRow,
  fileSha,
  flipByte,
  git,
  makeRegistryRepo,
  readJson,
  reexportVmafTinyV2,
  writeJson,
  writeVerdict,
} from "./fixture.js";

const SEED0 = `${ENSEMBLE}_seed0`;
const SEED1 = `${ENSEMBLE}_seed1`;

interface Entry {
  id: string;
  status: string;
  checked: boolean;
  pass: boolean;
  reasons: { code: string; file: string; message: string; line?: number; column?: number; pointer?: string }[];
  warnings: { code: string; file: string; message: string }[];
}

async function gate(repo: string, ...extra: string[]) {
  const r = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--format", "json", ...extra], repo);
  let json: any;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

function entry(json: any, id: string): Entry {
  const e = json.entries.find((x: Entry) => x.id === id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
}

function codes(e: Entry): string[] {
  return [...new Set(e.reasons.map((r) => r.code))].sort();
}

let repo: string | undefined;
afterEach(() => {
  if (repo) removeTree(repo);
  repo = undefined;
});

/** Seed 0 ready for production: provenance in its sidecar and a PROMOTE verdict with provenance. */
function readySeed0(r: string): void {
  addSeedProvenance(r, 0);
  writeVerdict(r, `${ENSEMBLE}_seed_flip_PROMOTE.json`, "PROMOTE", [0, 1, 2, 3, 4]);
  editRow(r, SEED0, { smoke: false });
}

describeReal("gate registry-flip", () => {
  it("passes when the registry did not change", async () => {
    repo = makeRegistryRepo();
    const r = await gate(repo);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.json.pass).toBe(true);
    expect(r.json.registryChanged).toBe(false);
    expect(r.json.summary.checked).toBe(0);
    expect(entry(r.json, SEED0).status).toBe("smoke");
    expect(entry(r.json, "vmaf_tiny_v3").status).toBe("unchanged");
  });

  it("fails a flip of an entry without provenance, with reasons", async () => {
    repo = makeRegistryRepo();
    editRow(repo, SEED0, { smoke: false });
    editRow(repo, "dists_sq_placeholder_v0", { smoke: false });
    const r = await gate(repo);
    expect(r.code).toBe(1);
    expect(r.json.pass).toBe(false);
    const seed = entry(r.json, SEED0);
    expect(seed.status).toBe("promoted");
    expect(seed.pass).toBe(false);
    expect(codes(seed)).toEqual(["legacy-no-provenance", "verdict-missing"]);
    const legacy = seed.reasons.find((x) => x.code === "legacy-no-provenance")!;
    expect(legacy.file).toBe(`${TINY}/${SEED0}.json`);
    expect(legacy.line).toBe(1);
    const verdict = seed.reasons.find((x) => x.code === "verdict-missing")!;
    expect(verdict.message).toContain("no run_provenance");
    // weights beside the graph are covered by no digest: a warning, not a reason
    expect(seed.warnings.map((w) => w.code)).toContain("uncovered-file");
    const dists = entry(r.json, "dists_sq_placeholder_v0");
    expect(dists.pass).toBe(false);
    expect(codes(dists)).toContain("legacy-no-provenance");
    // entries that were not flipped are listed, not checked
    const other = entry(r.json, "vmaf_tiny_v3");
    expect(other.checked).toBe(false);
    expect(other.pass).toBe(true);

    const text = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main"], repo);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`FAIL promoted +${SEED0}`));
    expect(text.stdout).toMatch(/reason +model\/tiny\/fr_regressor_v2_ensemble_v1_seed0\.json:1:1 legacy-no-provenance/);
    expect(text.stdout).toMatch(/registry-flip FAIL: 2 of 2 checked entries failed/);
  });

  it("passes once the seed carries provenance, its ONNX matches and a PROMOTE covers it", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    const r = await gate(repo);
    const seed = entry(r.json, SEED0);
    expect(seed.reasons).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.json.pass).toBe(true);
    expect(seed.status).toBe("promoted");
    expect(seed.sidecar).toBe(`${TINY}/${SEED0}.json`);
    expect(seed.verdicts).toEqual([`${TINY}/${ENSEMBLE}_seed_flip_PROMOTE.json`]);
    expect(seed.warnings.some((w) => w.code === "uncovered-file" && w.message.includes(".onnx.data"))).toBe(true);
    expect(entry(r.json, SEED1).status).toBe("smoke");
    expect(r.json.summary).toMatchObject({ promoted: 1, changed: 0, checked: 1, passed: 1, failed: 0 });
  });

  it("fails when a HOLD verdict lists the seed", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    writeVerdict(repo, `${ENSEMBLE}_seed_flip_HOLD.json`, "HOLD", [0, 1, 2, 3, 4]);
    const r = await gate(repo);
    expect(r.code).toBe(1);
    const seed = entry(r.json, SEED0);
    expect(codes(seed)).toEqual(["verdict-hold"]);
    expect(seed.reasons[0].file).toBe(`${TINY}/${ENSEMBLE}_seed_flip_HOLD.json`);
    expect(seed.reasons[0].pointer).toBe("/seeds");
  });

  it("fails when the PROMOTE verdict does not list the seed", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    writeVerdict(repo, `${ENSEMBLE}_seed_flip_PROMOTE.json`, "PROMOTE", [1, 2, 3, 4]);
    const r = await gate(repo);
    expect(r.code).toBe(1);
    const seed = entry(r.json, SEED0);
    expect(codes(seed)).toEqual(["verdict-missing"]);
    expect(seed.reasons[0].message).toContain("do not include 0");
  });

  it("fails when there is no verdict file at all, and honours --verdict", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    const promote = path.join(repo, TINY, `${ENSEMBLE}_seed_flip_PROMOTE.json`);
    writeFileSync(path.join(repo, "PROMOTE.json"), readFileSync(promote));
    rmSync(promote);
    let r = await gate(repo);
    expect(r.code).toBe(1);
    expect(entry(r.json, SEED0).reasons[0].message).toContain("no verdict file found");
    r = await gate(repo, "--verdict", "PROMOTE.json");
    expect(r.code).toBe(0);
    expect(entry(r.json, SEED0).verdicts).toEqual(["PROMOTE.json"]);
  });

  it("accepts a Git LFS pointer in place of the ONNX through its oid", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    const onnx = path.join(repo, TINY, `${SEED0}.onnx`);
    const content = readFileSync(onnx);
    const oid = fileSha(repo, `${TINY}/${SEED0}.onnx`);
    writeFileSync(onnx, `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`);
    let r = await gate(repo);
    const seed = entry(r.json, SEED0);
    expect(seed.reasons).toEqual([]);
    expect(seed.warnings.map((w) => w.code)).toContain("lfs-pointer");
    expect(r.code).toBe(0);
    // a pointer whose oid differs is a mismatch
    writeFileSync(onnx, `version https://git-lfs.github.com/spec/v1\noid sha256:${"a".repeat(64)}\nsize ${content.length}\n`);
    r = await gate(repo);
    expect(r.code).toBe(1);
    expect(codes(entry(r.json, SEED0))).toContain("hash-mismatch");
  });

  it("fails when one byte of the ONNX changed", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    flipByte(repo, `${TINY}/${SEED0}.onnx`);
    const r = await gate(repo);
    expect(r.code).toBe(1);
    const seed = entry(r.json, SEED0);
    expect(codes(seed)).toContain("hash-mismatch");
    const inRegistry = seed.reasons.find((x) => x.code === "hash-mismatch" && x.file === REGISTRY)!;
    expect(inRegistry.pointer).toMatch(/^\/models\/\d+\/sha256$/);
    expect(inRegistry.line).toBeGreaterThan(1);
    const inSidecar = seed.reasons.find((x) => x.code === "hash-mismatch" && x.file === `${TINY}/${SEED0}.json`)!;
    expect(inSidecar.pointer).toBe("/sha256");
  });

  it("checks a production entry whose ONNX changed (changed), and the sidecar must agree", async () => {
    repo = makeRegistryRepo();
    // vmaf_tiny_v2 is production in the base; re-export it: new bytes, registry refreshed, sidecar not.
    flipByte(repo, `${TINY}/vmaf_tiny_v2.onnx`);
    editRow(repo, "vmaf_tiny_v2", { sha256: fileSha(repo, `${TINY}/vmaf_tiny_v2.onnx`) });
    const r = await gate(repo);
    expect(r.code).toBe(1);
    const e = entry(r.json, "vmaf_tiny_v2");
    expect(e.status).toBe("changed");
    expect(codes(e)).toEqual(expect.arrayContaining(["hash-mismatch", "legacy-no-provenance", "registry-disagrees"]));
    const dis = e.reasons.find((x) => x.code === "registry-disagrees")!;
    expect(dis.file).toBe(`${TINY}/vmaf_tiny_v2.json`);
    expect(dis.pointer).toBe("/sha256");
  });

  it("passes a properly re-exported production model (changed) and checks its provenance descriptor", async () => {
    repo = makeRegistryRepo();
    const sha = reexportVmafTinyV2(repo);
    editRow(repo, "vmaf_tiny_v2", { sha256: sha });
    let r = await gate(repo);
    let e = entry(r.json, "vmaf_tiny_v2");
    expect(e.reasons).toEqual([]);
    expect(e.status).toBe("changed");
    expect(r.code).toBe(0);

    // The ONNX descriptor in run_provenance disagrees with the registry (a hand-edited sidecar).
    const side = readJson(repo, `${TINY}/vmaf_tiny_v2.json`);
    side.run_provenance.outputs.onnx_target.sha256 = "0".repeat(64);
    writeJson(repo, `${TINY}/vmaf_tiny_v2.json`, side);
    r = await gate(repo);
    e = entry(r.json, "vmaf_tiny_v2");
    expect(r.code).toBe(1);
    expect(e.reasons.some((x) => x.code === "registry-disagrees" && x.pointer === "/run_provenance/outputs/onnx_target/sha256")).toBe(true);
  });

  it("fails a re-export whose registry row was not refreshed", async () => {
    repo = makeRegistryRepo();
    reexportVmafTinyV2(repo);
    // The registry still has the old digest: the entry is unchanged, so the gate has nothing to
    // check, but `runprov validate` on the registry catches it; flipping the sha in the registry
    // to a wrong value makes it `changed` and failing.
    editRow(repo, "vmaf_tiny_v2", { sha256: "1".repeat(64) });
    const r = await gate(repo);
    const e = entry(r.json, "vmaf_tiny_v2");
    expect(r.code).toBe(1);
    expect(codes(e)).toEqual(expect.arrayContaining(["hash-mismatch", "registry-disagrees"]));
  });

  it("checks the int8 model of a quantised entry", async () => {
    repo = makeRegistryRepo();
    flipByte(repo, `${TINY}/vmaf_tiny_v3.int8.onnx`);
    editRow(repo, "vmaf_tiny_v3", { int8_sha256: fileSha(repo, `${TINY}/vmaf_tiny_v3.int8.onnx`) });
    const r = await gate(repo);
    const e = entry(r.json, "vmaf_tiny_v3");
    expect(e.status).toBe("changed");
    expect(r.code).toBe(1);
    expect(e.reasons.some((x) => x.code === "registry-disagrees" && x.pointer === "/int8_sha256")).toBe(true);
  });

  it("treats every production entry as promoted when the base has no registry", async () => {
    repo = makeRegistryRepo();
    // A commit whose tree is empty (git's well-known empty tree).
    const empty = git(repo, "commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "-m", "empty").trim();
    git(repo, "branch", "empty", empty);
    const r = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "empty", "--format", "json"], repo);
    const json = JSON.parse(r.stdout);
    expect(json.base.found).toBe(false);
    expect(json.summary.promoted).toBeGreaterThan(10);
    expect(r.code).toBe(1);
  });

  it("compares with --before FILE", async () => {
    repo = makeRegistryRepo();
    writeFileSync(path.join(repo, "before.json"), git(repo, "show", `main:${REGISTRY}`));
    readySeed0(repo);
    const r = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--before", "before.json", "--format", "json"], repo);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).base).toMatchObject({ kind: "file", file: "before.json", found: true });
  });

  it("fails when the registry changed but cannot be read", async () => {
    repo = makeRegistryRepo();
    writeFileSync(path.join(repo, REGISTRY), '{"models": [');
    const r = await gate(repo);
    expect(r.code).toBe(1);
    expect(r.json.pass).toBe(false);
    expect(r.json.problems.map((p: { code: string }) => p.code)).toContain("registry-unreadable");
  });

  it("is a usage error (exit 2) when --base names no commit, as in a shallow clone", async () => {
    repo = makeRegistryRepo();
    const r = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "origin/main"], repo);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/--base origin\/main: no such commit/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const shallow = await runInProcess(["gate", "registry-flip", "--registry", "missing.json", "--base", "main"], repo);
    expect(shallow.code).toBe(2);
    const both = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--before", REGISTRY], repo);
    expect(both.code).toBe(2);
  });

  it("prints every format", async () => {
    repo = makeRegistryRepo();
    editRow(repo, SEED0, { smoke: false });
    const gh = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--format", "github"], repo);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=model\/tiny\/fr_regressor_v2_ensemble_v1_seed0\.json,line=1,col=1,title=legacy-no-provenance::/m);
    expect(gh.stdout).toMatch(/^::warning file=model\/tiny\/registry\.json,line=\d+,col=\d+,title=uncovered-file::/m);
    expect(gh.stdout.trim().split("\n").pop()).toMatch(/^runprov: registry-flip FAIL/);
    const junit = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--format", "junit"], repo);
    expect(junit.stdout).toContain(`<testcase name="${SEED0}" classname="registry-flip.promoted"`);
    expect(junit.stdout).toContain('type="verdict-missing"');
    const sarif = await runInProcess(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--format", "sarif"], repo);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe("2.1.0");
    const ids = log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining(["verdict-missing", "verdict-hold", "legacy-no-provenance"]));
    expect(log.runs[0].results.some((x: { ruleId: string }) => x.ruleId === "verdict-missing")).toBe(true);
  });

  it("never writes to the repository", async () => {
    repo = makeRegistryRepo();
    readySeed0(repo);
    const before = git(repo, "status", "--porcelain");
    const sha = fileSha(repo, REGISTRY);
    await gate(repo);
    expect(git(repo, "status", "--porcelain")).toBe(before);
    expect(fileSha(repo, REGISTRY)).toBe(sha);
  });
});
