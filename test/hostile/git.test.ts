/**
 * Git is run so that nothing in the repository's own configuration executes
 * (docs/contract.md, "Selection and confinement"). Each setting below runs a marker script
 * when git obeys it; a history lookup (a provenance digest that differs from the working
 * tree) must leave no marker. And when git refuses a repository it does not trust, the run
 * says so and names the fix.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../../src/pipeline.js";
import { CLI } from "../helpers.js";
import { commitAll, git, gitInit, manifest, markerScript, scratch, write } from "./lib.js";

const SCRIPT = { path: "ai/scripts/run.py", content: "print(1)\n" };

/** A repository whose entrypoint changed since the run (so history is consulted). */
function drifted(): string {
  const root = scratch();
  gitInit(root);
  write(root, SCRIPT.path, SCRIPT.content);
  write(root, "runs/r.json", manifest(SCRIPT));
  commitAll(root, "run");
  write(root, SCRIPT.path, "print(2)\n");
  commitAll(root, "script changed");
  return root;
}

describe("repository configuration never runs a command", () => {
  it.each([
    ["core.fsmonitor", (s: string) => [["core.fsmonitor", s]]],
    [
      "core.pager",
      (s: string) => [
        ["core.pager", s],
        ["pager.log", "true"],
      ],
    ],
    [
      "log.showSignature with gpg.program",
      (s: string) => [
        ["log.showSignature", "true"],
        ["gpg.program", s],
        ["commit.gpgSign", "false"],
      ],
    ],
    ["diff.external", (s: string) => [["diff.external", s]]],
    ["core.hooksPath with every hook", (s: string) => [["core.hooksPath", path.dirname(s)]]],
  ])("%s", async (_name, settings) => {
    const root = drifted();
    const tools = scratch("runprov-hostile-tools-");
    const marker = path.join(tools, "RAN");
    const script = markerScript(tools, "marker", marker);
    for (const hook of ["post-index-change", "reference-transaction", "post-checkout", "fsmonitor-watchman"]) markerScript(tools, hook, marker);
    for (const [k, v] of settings(script)) git(root, "config", k, v);
    const report = await validate(["runs/r.json"], { root, cwd: root });
    expect(report.results[0].diagnostics.map((d) => d.code)).toContain("historical-match");
    expect(existsSync(marker), `a command ran: ${readdirSync(tools).join(", ")}`).toBe(false);
  });

  it("the index is never written (no optional locks, no refresh)", async () => {
    const root = drifted();
    const index = path.join(root, ".git", "index");
    const before = statSync(index).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await validate(["runs/r.json"], { root, cwd: root });
    expect(statSync(index).mtimeMs).toBe(before);
  });
});

describe("a repository git refuses", () => {
  const asRoot = process.getuid?.() === 0;
  it.runIf(asRoot)("dubious ownership: a warning names safe.directory, and drift is judged without history", () => {
    const root = drifted();
    // Owned by another user: git (>= 2.35.2) refuses it for root too.
    const chownTree = (p: string): void => {
      chownSync(p, 65534, 65534);
      if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e));
    };
    chownTree(root);
    chmodSync(root, 0o755);
    const home = scratch("runprov-hostile-home-");
    const r = spawnSync(process.execPath, [CLI, "validate", "runs/r.json", "--root", root, "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1" },
      timeout: 15_000,
    });
    expect(r.stderr).toMatch(/dubious ownership.*safe\.directory/s);
    expect(r.status).toBe(1);
    const d = JSON.parse(r.stdout).results[0].diagnostics.map((x: { severity: string; code: string }) => `${x.severity} ${x.code}`);
    expect(d).toContain("error hash-mismatch");
    // Sanity: the same repository with git trusting it finds the commit.
    execFileSync("git", ["config", "--file", path.join(home, ".gitconfig"), "--add", "safe.directory", root]);
    const trusted = spawnSync(process.execPath, [CLI, "validate", "runs/r.json", "--root", root, "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1" },
      timeout: 15_000,
    });
    expect(trusted.status, trusted.stderr).toBe(0);
  });
});
