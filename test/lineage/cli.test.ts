/**
 * The built CLI (`npm run build` first) on the refresh chain: exit codes and stdout of trace,
 * diff and replay as a CI step sees them.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { traceCommand } from "../../src/cli/commands/trace.js";
import { UsageError } from "../../src/types.js";
import { runCli } from "../helpers.js";
import { flipByte } from "../hostile/lib.js";
import { buildChain, seedOnnx, seedSidecar, type Chain } from "./chain.js";

let chain: Chain;
beforeAll(() => {
  chain = buildChain();
});

describe("runprov trace, diff and replay (built CLI)", () => {
  it("trace of a tampered ONNX exits 1 with the pinned JSON on stdout", () => {
    flipByte(path.join(chain.root, seedOnnx(1)));
    const r = runCli(["trace", seedOnnx(1), "--format", "json"], chain.root);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.subject).toBe(seedOnnx(1));
    expect(j.claims.filter((c: { status: string }) => c.status === "mismatched")).toHaveLength(2);
  });

  it("trace of a path that nothing records is a usage error (exit 2), never a vacuous pass", async () => {
    const run = traceCommand.handler({
      path: path.join(chain.root, "model/tiny/nothing.onnx"),
      root: chain.root,
      format: "text",
      "strict-missing": false,
      "strict-drift": false,
      _: [],
      $0: "runprov",
    });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/nothing to trace/);
  });

  it("diff of two different versions exits 1; replay prints the script and exits 0", () => {
    const other = runCli(["diff", seedSidecar(0), seedSidecar(1), "--format", "markdown"], chain.root);
    expect(other.code, other.stderr).toBe(1);
    expect(other.stdout).toContain("**DIFFERENT**");
    const replay = runCli(["replay", seedSidecar(0)], chain.root);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`worktree add --detach "$scratch/replay" '${chain.commits.scripts}'`);
  });

  it("gate registry-flip --format markdown shows the lineage of each checked entry as a Mermaid graph", () => {
    const r = runCli(["gate", "registry-flip", "--registry", "model/tiny/registry.json", "--format", "markdown"], chain.root);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).toMatch(/<details><summary>Lineage of <code>fr_regressor_v2_ensemble_v1_seed0<\/code>/);
    const graphs = r.stdout.split("```mermaid").length - 1;
    expect(graphs).toBeGreaterThanOrEqual(1);
    expect(r.stdout).toMatch(/```mermaid\nflowchart LR\n/);
  });
});
