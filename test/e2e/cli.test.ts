/**
 * The built CLI (`dist/bin/runprov.mjs`, built by `npm test` from the same sources the in-process
 * tests run), spawned once per command and report format, on workspaces made from the bundled
 * demo: nothing outside this repository. (`families` and `schema` are spawned in
 * test/cli-schema.test.ts, `attest` in test/attest.test.ts.)
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/types.js";
import { PROJECT, removeTree, runCli, treeDigest } from "../helpers.js";
import { ONNX, REGISTRY, SIDECAR, demoRegistryRepo, demoWorkspace, flipByte } from "./demo-repo.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

function workspace(): string {
  const ws = demoWorkspace();
  temps.push(ws);
  return ws;
}

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);

describe("runprov validate, every format, on a tampered demo", () => {
  let ws: string;
  let sidecarLine: number;
  beforeAll(() => {
    ws = workspace();
    flipByte(path.join(ws, ONNX));
    sidecarLine =
      readFileSync(path.join(ws, SIDECAR), "utf8")
        .split("\n")
        .findIndex((l) => l.startsWith('  "sha256"')) + 1;
  });
  const run = (format: string, ...extra: string[]) => {
    const before = treeDigest(ws);
    const r = runCli(["validate", ".", "--root", ws, "--format", format, ...extra], ws);
    expect(treeDigest(ws), "a run never writes to the workspace").toEqual(before);
    noStack(r.stderr);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    return r.stdout;
  };

  it("text", () => {
    const out = run("text");
    expect(out).toContain(`FAIL ${SIDECAR} (model-sidecar/vmaf-tiny)`);
    expect(out).toContain(`${SIDECAR}:${sidecarLine}:13 error hash-mismatch`);
    expect(out).toMatch(/4 artifact\(s\): 3 valid, 1 invalid, 0 skipped; hashes: \d+ verified, 2 mismatched/);
  });

  it("json", () => {
    const report: Report = JSON.parse(run("json"));
    expect(report.tool).toEqual({ name: "runprov", version: JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8")).version });
    const side = report.results.find((r) => r.file === SIDECAR)!;
    expect(side.valid).toBe(false);
    expect(side.diagnostics).toContainEqual(expect.objectContaining({ code: "hash-mismatch", pointer: "/sha256", line: sidecarLine, column: 13 }));
  });

  it("github", () => {
    const out = run("github");
    expect(out).toMatch(new RegExp(`^::error file=${SIDECAR.replace(/\./g, "\\.")},line=${sidecarLine},col=13,title=hash-mismatch::`, "m"));
    expect(out.trim().split("\n").pop()).toMatch(/^runprov: 4 artifact\(s\)/);
  });

  it("sarif", () => {
    const log = JSON.parse(run("sarif"));
    expect(log.version).toBe("2.1.0");
    const res = log.runs[0].results.find((r: { ruleId: string; locations: any[] }) => r.ruleId === "hash-mismatch");
    expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: SIDECAR, uriBaseId: "ROOT" });
  });

  it("junit", () => {
    const xml = run("junit");
    expect(xml).toMatch(/<testsuite [^>]*tests="4"[^>]*failures="1"/);
    expect(xml).toContain(`<testcase name="${SIDECAR}" classname="model-sidecar.vmaf-tiny"`);
  });

  it("markdown", () => {
    const md = run("markdown");
    expect(md.split("\n")[0]).toBe("### ❌ runprov validate: FAIL");
    expect(md).toContain(`| \`${SIDECAR}\` | model-sidecar/vmaf-tiny | \`hash-mismatch\` `);
    expect(md).toContain(`<details><summary><code>${SIDECAR}</code> (model-sidecar/vmaf-tiny): 2 errors</summary>`);
  });

  it("--quiet text prints only the failure", () => {
    const out = run("text", "--quiet");
    expect(out).not.toContain("ok  ");
    expect(out).toContain(`FAIL ${SIDECAR}`);
  });
});

describe("runprov validate, exit codes and files large enough for the hashing workers", () => {
  it("passes a clean workspace whose run hashes a multi-megabyte input on a worker thread", () => {
    const ws = workspace();
    const big = Buffer.alloc(6 * 1024 * 1024 + 3, 7);
    mkdirSync(path.join(ws, "data"), { recursive: true });
    writeFileSync(path.join(ws, "data/big.bin"), big);
    const script = readFileSync(path.join(ws, "ai/scripts/make_report.py"));
    const block = {
      run_provenance: {
        args: {},
        argv: [],
        entrypoint: { exists: true, kind: "file", path: "ai/scripts/make_report.py", sha256: sha(script) },
        inputs: { big: { exists: true, kind: "file", path: "data/big.bin", sha256: sha(big) } },
        schema: "ai-run-provenance-v1",
      },
      schema: "my-big-report-v1",
    };
    writeFileSync(path.join(ws, "runs/big.json"), JSON.stringify(block, null, 2) + "\n");
    let r = runCli(["validate", "runs/big.json", "--root", ws, "--format", "json", "--jobs", "2"], ws);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.hashes).toMatchObject({ mismatched: 0 });
    flipByte(path.join(ws, "data/big.bin"));
    r = runCli(["validate", "runs/big.json", "--root", ws, "--format", "json"], ws);
    expect(r.code).toBe(1);
    const d = (JSON.parse(r.stdout) as Report).results[0].diagnostics.find((x) => x.code === "hash-mismatch");
    expect(d?.pointer).toBe("/run_provenance/inputs/big/sha256");
  });

  it("is a usage error, one line and no stack trace, for a missing path or a bad flag", () => {
    const ws = workspace();
    for (const args of [["validate", "no/such.json"], ["validate", "--format", "yaml"], ["validate", "--no-such-flag"], ["no-such-command"]]) {
      const r = runCli([...args, "--root", ws], ws);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^runprov: /);
      noStack(r.stderr);
    }
  });

  it("prints its version", () => {
    const r = runCli(["--version"], PROJECT);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8")).version);
  });
});

describe("runprov gate registry-flip", () => {
  const gate = (ws: string, format: string) => runCli(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--format", format], ws);

  it("passes a flip whose model, sidecar and provenance agree (text, json)", () => {
    const ws = demoRegistryRepo();
    temps.push(ws);
    const text = gate(ws, "text");
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/PASS promoted +vmaf_tiny_v4/);
    expect(text.stdout).toMatch(/registry-flip PASS: 1 checked entry passed/);
    const json = JSON.parse(gate(ws, "json").stdout);
    expect(json).toMatchObject({ gate: "registry-flip", pass: true, summary: { promoted: 1, checked: 1, passed: 1 } });
  });

  it("fails a flip whose ONNX changed (github, sarif, junit, markdown)", () => {
    const ws = demoRegistryRepo();
    temps.push(ws);
    flipByte(path.join(ws, ONNX));
    const gh = gate(ws, "github");
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=model\/tiny\/registry\.json,line=\d+,col=\d+,title=hash-mismatch::/m);
    expect(gh.stdout.trim().split("\n").pop()).toMatch(/^runprov: registry-flip FAIL/);
    const sarif = JSON.parse(gate(ws, "sarif").stdout);
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === "hash-mismatch")).toBe(true);
    expect(gate(ws, "junit").stdout).toContain('<testcase name="vmaf_tiny_v4" classname="registry-flip.promoted"');
    const md = gate(ws, "markdown");
    expect(md.code).toBe(1);
    expect(md.stdout.split("\n")[0]).toBe("### ❌ runprov gate registry-flip: FAIL");
    expect(md.stdout).toMatch(/\| `vmaf_tiny_v4` \| promoted \| `model\/tiny\/[a-z_0-9.]+` \| `hash-mismatch` /);
  });
});
