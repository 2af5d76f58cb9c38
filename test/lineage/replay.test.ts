/**
 * `runprov replay`: the commit that holds the recorded entrypoint, the command, the state of each
 * input; and the printed script, run here (by the test, never by runprov) with a stand-in for
 * python, replays in a scratch worktree and leaves the checkout alone.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { replay, type ReplayPlan } from "../../src/lineage/replay.js";
import { replayScript } from "../../src/lineage/render-replay.js";
import { renderReplay } from "../../src/report/formats.js";
import { treeDigest } from "../helpers.js";
import { commitAll, gitInit, manifest, scratch, write } from "../hostile/lib.js";
import { buildChain, CORPUS, CORPUS_ROOT, EXPORTER, LOSO_DIR, seedSidecar, VALIDATOR, VERDICT, type Chain } from "./chain.js";

/** Run a printed script with `sh` in `cwd`, python replaced by a recorder of its cwd, argv and entrypoint. */
function runScript(script: string, cwd: string): { code: number; stderr: string; recorded?: { cwd: string; args: string[] } } {
  const dir = scratch("runprov-replay-run-");
  const log = path.join(dir, "python.log");
  const python = path.join(dir, "python");
  writeFileSync(python, `#!/bin/sh\npwd > '${log}'\nfor a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done\n`);
  chmodSync(python, 0o755);
  const file = path.join(dir, "replay.sh");
  writeFileSync(file, script);
  const r = spawnSync("sh", [file], { cwd, encoding: "utf8", env: { ...process.env, PYTHON: python, TMPDIR: dir } });
  let recorded;
  try {
    const [where, ...args] = readFileSync(log, "utf8").replace(/\n$/, "").split("\n");
    recorded = { cwd: where, args };
  } catch {
    recorded = undefined;
  }
  return { code: r.status ?? -1, stderr: r.stderr, recorded };
}

let chain: Chain;
let plan: ReplayPlan;
beforeAll(async () => {
  chain = buildChain();
  plan = await replay(seedSidecar(0), { root: chain.root, cwd: chain.root });
});

describe("replay of an exported seed sidecar", () => {
  it("finds the commit that holds the recorded exporter (before the edit), the command and the inputs' state", () => {
    expect(plan).toMatchObject({
      artifact: seedSidecar(0),
      commit: chain.commits.scripts,
      entrypoint: EXPORTER,
      argv: ["--seeds", "0,1"],
      command: ["python", EXPORTER, "--seeds", "0,1"],
      inputs: [
        { name: "corpus", path: CORPUS, status: "matches" },
        { name: "promote_json", path: VERDICT, status: "matches" },
      ],
    });
    expect(Object.keys(JSON.parse(renderReplay(plan, "json")))).toEqual(expect.arrayContaining(["artifact", "commit", "entrypoint", "argv", "inputs"]));
  });

  it("prints a POSIX script that replays in a scratch worktree at that commit, never in the checkout", () => {
    const script = replayScript(plan);
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain(`git -C "$top" worktree add --detach "$scratch/replay" '${chain.commits.scripts}'\n`);
    expect(script).not.toMatch(/\bcheckout\b|\breset\b|\bclean\b/);
    expect(spawnSync("sh", ["-n"], { input: script }).status).toBe(0);

    const before = treeDigest(chain.root);
    const r = runScript(script, chain.root);
    expect(r.code, r.stderr).toBe(0);
    // python ran in the worktree's root, on the exporter as it was at the commit, with the recorded argv.
    expect(r.recorded?.args).toEqual([EXPORTER, "--seeds", "0,1"]);
    const worktree = r.recorded!.cwd;
    expect(worktree).not.toBe(chain.root);
    expect(readFileSync(path.join(worktree, EXPORTER), "utf8")).toBe(chain.exporterV1);
    // The ignored inputs that match were copied in; the checkout itself did not change.
    expect(readFileSync(path.join(worktree, CORPUS), "utf8")).toBe(chain.corpus);
    const after = treeDigest(chain.root);
    for (const [f, d] of before) if (!f.startsWith(".git")) expect(after.get(f), f).toBe(d);
  });

  it("inputs that changed, vanished, or have no digest say so, and are not copied", async () => {
    const c = buildChain();
    write(c.root, CORPUS, "changed\n");
    rmSync(path.join(c.root, VERDICT));
    const p = await replay(seedSidecar(1), { root: c.root, cwd: c.root });
    expect(p.inputs.map((i) => `${i.name} ${i.status}`)).toEqual(["corpus differs", "promote_json missing"]);
    expect(replayScript(p)).not.toContain("copy_input '");
    const v = await replay(path.join(chain.root, VERDICT), { root: chain.root, cwd: "/" });
    expect(v.entrypoint).toBe(VALIDATOR);
    expect(v.inputs).toEqual([
      { name: "corpus_root", path: CORPUS_ROOT, sha256: null, status: "not-recorded" },
      { name: "loso_dir", path: LOSO_DIR, sha256: null, status: "not-recorded" },
    ]);
  });
});

describe("replay: runs that cannot be replayed, and hostile argv", () => {
  const HOSTILE = ["'; touch pwned; '", "$(touch pwned)", "`touch pwned`", "a b\nc", '--x="y"'];
  let root: string;
  beforeAll(() => {
    root = scratch("runprov-replay-hostile-");
    gitInit(root);
    const script = { path: "ai/scripts/run.py", content: "print('run')\n" };
    write(root, script.path, script.content);
    commitAll(root, "script");
    const doc = JSON.parse(manifest(script));
    doc.run_provenance.argv = ["ai/scripts/run.py", ...HOSTILE];
    write(root, "runs/hostile.json", JSON.stringify(doc));
    const uncommitted = { path: "ai/scripts/local.py", content: "print('never committed')\n" };
    write(root, uncommitted.path, uncommitted.content);
    write(root, "runs/local.json", manifest(uncommitted));
    write(root, "runs/legacy.json", JSON.stringify({ schema: "x-v1" }));
  });

  it("every word is passed to python exactly as recorded, and nothing from the artifact runs", async () => {
    const plan = await replay("runs/hostile.json", { root, cwd: root });
    expect(plan.notes[0]).toContain("argv[0] is the script itself");
    const r = runScript(replayScript(plan), root);
    expect(r.code, r.stderr).toBe(0);
    // The recorder prints one word a line; a word holding a newline spans two.
    expect(r.recorded?.args.join("\n")).toBe(["ai/scripts/run.py", ...HOSTILE].join("\n"));
    expect(spawnSync("find", [root, path.dirname(r.recorded!.cwd), "-name", "pwned"], { encoding: "utf8" }).stdout).toBe("");
  });

  it("an entrypoint version that was never committed: no commit, and a script that says why and exits 1", async () => {
    const p = await replay("runs/local.json", { root, cwd: root });
    expect(p.commit).toBeNull();
    expect(p.why).toMatch(/no commit holds the recorded version of ai\/scripts\/local\.py/);
    const r = runScript(replayScript(p), root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot be replayed");
    expect(r.recorded).toBeUndefined();
  });

  it("a file without a block has nothing to replay", async () => {
    const p = await replay("runs/legacy.json", { root, cwd: root });
    expect(p).toMatchObject({ commit: null, entrypoint: null, argv: [], inputs: [] });
    expect(p.why).toMatch(/no run_provenance block/);
  });
});
