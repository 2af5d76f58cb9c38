/**
 * The GitHub Actions matrix recipe of docs/ci-recipes.md ("Sharding a large repository over a CI
 * matrix"), run as the runner would run its shell steps: each shard job's `runprov validate`
 * step, the artifact upload and download as the runner lays them out, and the merge job's step.
 * The merge job prints the annotations and the job summary of one run and fails as one run
 * fails. (Installing runprov is the one step replaced: the built CLI is put on PATH.)
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { validate } from "../../src/pipeline.js";
import { renderReport } from "../../src/report/index.js";
import type { Report } from "../../src/types.js";
import { CLI, PROJECT } from "../helpers.js";
import { scratch } from "../hostile/lib.js";
import { shardWorkspace } from "./lib.js";

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
}
interface Workflow {
  env: Record<string, string | number>;
  jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }>;
}

function recipe(): Workflow {
  const md = readFileSync(path.join(PROJECT, "docs", "ci-recipes.md"), "utf8");
  const section = md.slice(md.indexOf("## Sharding a large repository over a CI matrix"));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];
  return parseYaml(yaml) as Workflow;
}

/** Run one `run:` step with bash, the runner's variables set; `${{ ... }}` never reaches the shell in the recipe. */
function runStep(step: Step, env: Record<string, string>, cwd: string): { code: number; stdout: string; stderr: string } {
  expect(step.run, step.name).not.toMatch(/\$\{\{/);
  const r = spawnSync("bash", ["-e", "-c", step.run!], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let root: string;
let wf: Workflow;
let one: Report;

beforeAll(async () => {
  root = shardWorkspace(120);
  wf = recipe();
  one = await validate(["model", "runs"], { root, cwd: root, requireProvenance: true });
});

describe("the sharding recipe of docs/ci-recipes.md", () => {
  it("is a matrix of RUNPROV_SHARDS shard jobs and one merge job that runs after them, even when one failed", () => {
    const shard = wf.jobs["runprov-shard"];
    const merge = wf.jobs["runprov"];
    expect(shard.strategy!.matrix.shard).toEqual(Array.from({ length: Number(wf.env.RUNPROV_SHARDS) }, (_, i) => i + 1));
    expect(merge.needs).toBe("runprov-shard");
    expect(merge.if).toBe("${{ !cancelled() }}");
    expect(shard.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))).toBeDefined();
    expect(merge.steps.find((s) => s.uses?.startsWith("actions/download-artifact"))).toBeDefined();
  });

  it("run as the runner runs it (3 shards): the merge job's annotations, summary and exit code are one run's", () => {
    const shards = 3;
    const bin = scratch("runprov-recipe-bin-");
    writeFileSync(path.join(bin, "runprov"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(bin, "runprov"), 0o755);
    const PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    const validateStep = wf.jobs["runprov-shard"].steps.find((s) => s.run?.includes("runprov validate"))!;
    const mergeStep = wf.jobs["runprov"].steps.find((s) => s.run?.includes("runprov merge"))!;
    const downloads = path.join(scratch("runprov-recipe-merge-"), "runprov-shards");

    for (let i = 1; i <= shards; i++) {
      const temp = scratch("runprov-recipe-shard-");
      const r = runStep(validateStep, { PATH, RUNNER_TEMP: temp, RUNPROV_SHARDS: String(shards), SHARD: String(i) }, root);
      expect(r.code, r.stderr).toBe(0); // verdicts are the merge job's to give
      // upload-artifact `runprov-shard-<i>`, then download-artifact with a pattern: one folder per artifact.
      mkdirSync(path.join(downloads, `runprov-shard-${i}`), { recursive: true });
      copyFileSync(path.join(temp, "runprov-shard.json"), path.join(downloads, `runprov-shard-${i}`, "runprov-shard.json"));
    }

    const mergeTemp = path.dirname(downloads);
    const summary = path.join(mergeTemp, "summary.md");
    writeFileSync(summary, "");
    const m = runStep(mergeStep, { PATH, RUNNER_TEMP: mergeTemp, GITHUB_STEP_SUMMARY: summary }, root);
    expect(m.code, m.stderr).toBe(1);
    expect(m.stdout).toBe(renderReport(one, "github", { root }));
    expect(readFileSync(summary, "utf8")).toBe(renderReport(one, "markdown", { root }));

    // A shard job that died before uploading: the merge job fails, naming the missing report.
    rmSync(path.join(downloads, "runprov-shard-2"), { recursive: true });
    const missing = runStep(mergeStep, { PATH, RUNNER_TEMP: mergeTemp, GITHUB_STEP_SUMMARY: summary }, root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard report\(s\) missing: 2\/3/);
  });
});
