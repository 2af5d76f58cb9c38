/**
 * The SARIF reports (validate and gate) validate with zero errors under the official SARIF
 * validator, `sarif-multitool validate` (npm package @microsoft/sarif-multitool, a self-contained
 * binary in its platform package; runs offline).
 *
 * The tool is taken from node_modules when it is a devDependency; otherwise it is installed once
 * from the npm registry into a cache folder under the system temp dir. Without it the test is
 * skipped locally, but fails in CI (process.env.CI).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/index.js";
import type { Report } from "../../src/types.js";
import { PROJECT, exists, removeTree, runCli, tempDir } from "../helpers.js";
import { REAL_CORPUS } from "../real-corpus.js";
import { ONNX, REGISTRY, SIDECAR, demoRegistryRepo, flipByte } from "./demo-repo.js";

const TINY = "model/tiny";

const VERSION = "5.7.0";
const PLATFORM_PKG = `@microsoft/sarif-multitool-${process.platform}`;
const BINARY = process.platform === "win32" ? "Sarif.Multitool.exe" : "Sarif.Multitool";

function binaryIn(nodeModules: string): string | undefined {
  const p = path.join(nodeModules, PLATFORM_PKG, BINARY);
  return exists(p) ? p : undefined;
}

/** The multitool binary, installing it into a cache folder when it is not a devDependency. */
function multitool(): { bin?: string; why?: string } {
  let bin = binaryIn(path.join(PROJECT, "node_modules"));
  if (!bin) {
    const cache = path.join(tmpdir(), `runprov-sarif-multitool-${VERSION}`);
    bin = binaryIn(path.join(cache, "node_modules"));
    if (!bin) {
      mkdirSync(cache, { recursive: true });
      const npm = process.platform === "win32" ? "npm.cmd" : "npm";
      const r = spawnSync(
        npm,
        ["install", "--prefix", cache, "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", `@microsoft/sarif-multitool@${VERSION}`],
        { encoding: "utf8", timeout: 300_000 },
      );
      bin = binaryIn(path.join(cache, "node_modules"));
      if (!bin) return { why: `npm install @microsoft/sarif-multitool@${VERSION} failed: ${r.stderr?.slice(-500) ?? r.error?.message}` };
    }
  }
  try {
    chmodSync(bin, 0o755); // its postinstall (chmod) may not have run (--ignore-scripts, npm's allowScripts)
  } catch {
    /* read-only node_modules: keep the mode it has */
  }
  return { bin };
}

const tool = multitool();
const inCi = !!process.env.CI;
const describeTool = tool.bin || inCi ? describe : describe.skip;
if (!tool.bin && !inCi) console.warn(`skipping the SARIF validator test: ${tool.why}`);

describeTool("SARIF output under sarif-multitool validate", () => {
  let work: string;
  let repo: string;
  let tampered: string;
  const logs: string[] = [];

  beforeAll(() => {
    expect(tool.bin, tool.why).toBeDefined();
    work = tempDir("runprov-sarif-");
    const write = (name: string, text: string) => {
      const p = path.join(work, name);
      writeFileSync(p, text);
      logs.push(p);
      return p;
    };

    // 1. The real committed corpus, as CI would upload it (when the corpus is present; see test/real-corpus.ts).
    if (REAL_CORPUS) {
      const corpus = runCli(["validate", path.join(REAL_CORPUS, "model"), "--root", REAL_CORPUS, "--format", "sarif"], PROJECT);
      expect(corpus.code, corpus.stderr).toBe(0);
      write("corpus.sarif", corpus.stdout);
    }

    // 2. A tampered repository (the demo): a changed ONNX byte, a broken file, odd file names, NaN, a flip that fails the gate.
    repo = demoRegistryRepo();
    flipByte(path.join(repo, ONNX));
    writeFileSync(path.join(repo, TINY, "broken_v9.json"), '{"id": "broken_v9", "sha256": ');
    const sidecarText = readFileSync(path.join(repo, SIDECAR), "utf8");
    writeFileSync(path.join(repo, TINY, "with space, 100%.json"), sidecarText);
    writeFileSync(path.join(repo, TINY, "nan_v1.json"), sidecarText.replace('"opset": 17', '"opset": NaN'));
    const bad = runCli(["validate", TINY, "--format", "sarif", "--require-provenance"], repo);
    expect(bad.code, bad.stderr).toBe(1);
    tampered = write("tampered.sarif", bad.stdout);

    const gate = runCli(["gate", "registry-flip", "--registry", REGISTRY, "--base", "main", "--format", "sarif"], repo);
    expect(gate.code, gate.stderr).toBe(1);
    write("gate.sarif", gate.stdout);

    // 3. Edge cases only a hand-made report reaches: no position, a file outside the root, every severity.
    const report: Report = {
      tool: { name: "runprov", version: "1.0.0" },
      summary: { artifacts: 2, valid: 0, invalid: 2, skipped: 0, hashes: { verified: 0, mismatched: 0, unverified: 0 } },
      results: [
        {
          file: "a/b.json",
          family: null,
          variant: null,
          schema: null,
          valid: false,
          diagnostics: [{ severity: "error", code: "parse-error", message: "truncated", pointer: "" }],
        },
        {
          file: "/outside/the root/x.json",
          family: "verdict",
          variant: "HOLD",
          schema: null,
          valid: false,
          diagnostics: [
            { severity: "error", code: "inconsistent", message: "a PROMOTE verdict whose gate did not pass", pointer: "/gate/passed", line: 3, column: 5 },
            { severity: "warning", code: "non-standard-number", message: "NaN", pointer: "/gate/mean_plcc", line: 4, column: 18 },
            {
              severity: "info",
              code: "self-reference",
              message: "outputs.verdict names this file",
              pointer: "/run_provenance/outputs/verdict",
              line: 9,
              column: 7,
            },
          ],
        },
      ],
    };
    write("edge.sarif", renderReport(report, "sarif", { root: "/some/root" }));
  });

  afterAll(() => {
    if (work) removeTree(work);
    if (repo) removeTree(repo);
  });

  it("reports zero errors and zero warnings", () => {
    const out = path.join(work, "multitool-out.sarif");
    const r = spawnSync(tool.bin!, ["validate", ...logs, "-o", out, "--log", "ForceOverwrite"], {
      encoding: "utf8",
      timeout: 300_000,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
    });
    const text = `${r.stdout}\n${r.stderr}`;
    expect(r.status, text).toBe(0);
    expect(text).toMatch(/Analysis completed successfully/);
    const problems = text.split("\n").filter((l) => /: (error|warning) [A-Z]+\d+:/.test(l));
    expect(problems, problems.join("\n")).toEqual([]);
    // Its own output lists no error-level result either.
    const own = JSON.parse(readFileSync(out, "utf8"));
    const levels = (own.runs?.[0]?.results ?? []).map((x: { level?: string }) => x.level ?? "warning");
    expect(levels.filter((l: string) => l === "error")).toEqual([]);
  });

  it("locates results relative to the ROOT uriBaseId", () => {
    const log = JSON.parse(readFileSync(tampered, "utf8"));
    const run = log.runs[0];
    expect(run.originalUriBaseIds.ROOT.uri).toMatch(/^file:\/\/\/.*\/$/);
    const mismatches = run.results.filter((x: { ruleId: string }) => x.ruleId === "hash-mismatch");
    const where = mismatches.map((x: any) => x.locations[0].physicalLocation.artifactLocation);
    expect(where).toContainEqual({ uri: SIDECAR, uriBaseId: "ROOT" });
    expect(where).toContainEqual({ uri: REGISTRY, uriBaseId: "ROOT" });
    for (const m of mismatches) expect(m.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    const names = run.results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri);
    expect(names).toContain(`${TINY}/with%20space%2C%20100%25.json`);
  });
});
