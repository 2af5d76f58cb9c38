/**
 * Failures are closed and said: a rule or claim that throws is an `internal` error of its
 * artifact (never a silently dropped check); plain usage mistakes are usage errors (exit 2),
 * never "internal error"; the gate hashes each file once per run.
 */
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { familyByName } from "../../src/families/index.js";
import { registryFlip } from "../../src/gate/registry-flip.js";
import { Hasher } from "../../src/hash/digest.js";
import { validate } from "../../src/pipeline.js";
import { runCli } from "../helpers.js";
import { itReal } from "../real-corpus.js";
import { DEMO_SIDECAR, demoCopy } from "./lib.js";

afterEach(() => vi.restoreAllMocks());

describe("a rule or claim that throws", () => {
  it.each([
    ["consistency", "cross-field rules"],
    ["integrityDigests", "integrity digests"],
  ] as const)("%s: the artifact gets an internal error naming it and is invalid", async (hook, named) => {
    const root = demoCopy();
    const family = familyByName("model-sidecar")!;
    vi.spyOn(family, hook).mockImplementation(() => {
      throw new TypeError("boom");
    });
    const report = await validate([DEMO_SIDECAR], { root, cwd: root });
    const r = report.results[0];
    expect(r.valid).toBe(false);
    const internal = r.diagnostics.filter((d) => d.code === "internal");
    expect(internal).toHaveLength(1);
    expect(internal[0]).toMatchObject({ severity: "error", line: 1, column: 1 });
    expect(internal[0].message).toContain(`model-sidecar ${named} failed: boom`);
  });

  it("a digest claim whose judgement throws is an internal error at the claim", async () => {
    const root = demoCopy();
    vi.spyOn(Hasher.prototype, "digest").mockImplementation(() => {
      throw new RangeError("kaput");
    });
    const report = await validate([DEMO_SIDECAR], { root, cwd: root });
    const internal = report.results[0].diagnostics.filter((d) => d.code === "internal");
    expect(internal.length).toBeGreaterThan(0);
    expect(internal.every((d) => d.severity === "error" && d.pointer !== "" && /kaput/.test(d.message))).toBe(true);
    expect(report.results[0].valid).toBe(false);
  });
});

describe("usage mistakes are usage errors", () => {
  it.each([
    [["validate", ".", "--root", ".", "--root", "."]],
    [["validate", ".", "--format", "json", "--format", "sarif"]],
    [["validate", ".", "--family", "verdict", "--family", "recipe"]],
    [["gate", "registry-flip", "--registry", "r.json", "--registry", "r.json"]],
    [["gate", "registry-flip", "--registry", "r.json", "--base", "A", "--base", "A"]],
  ])("%j exits 2 with one line, no internal error", (args) => {
    const root = demoCopy();
    const r = runCli(args, root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/was given 2 times; it takes one value/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe("the gate hashes each file once per run", () => {
  itReal("one hasher serves the registry, the sidecars and the verdicts", async () => {
    const { makeRegistryRepo } = await import("../gate/fixture.js");
    const repo = makeRegistryRepo();
    const calls: { hasher: Hasher; path: string }[] = [];
    const original = Hasher.prototype.digest;
    vi.spyOn(Hasher.prototype, "digest").mockImplementation(function (this: Hasher, abs: string, size: number) {
      calls.push({ hasher: this, path: abs });
      return original.call(this, abs, size);
    });
    const result = await registryFlip({ registry: path.join(repo, "model/tiny/registry.json"), cwd: repo });
    expect(result.summary.checked).toBeGreaterThan(10);
    expect(new Set(calls.map((c) => c.hasher)).size).toBe(1);
    // Asked several times (registry, sidecar, gate), read once: the hasher caches per path.
    expect(new Set(calls.map((c) => c.path)).size).toBeLessThan(calls.length);
  });
});
