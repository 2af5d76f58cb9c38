/**
 * Fail closed on hostile trees (docs/contract.md, "Selection and confinement"): canonical
 * roots, named run folders, no vacuous pass, nothing read that is not a regular file inside
 * the root. Each case is one way the validator could fail open; most run in-process through
 * validate(), a few through the built CLI as a user runs it.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/discover.js";
import { RefusedFile } from "../../src/files/confined.js";
import { Hasher } from "../../src/hash/digest.js";
import { loadFile } from "../../src/load/index.js";
import { validate } from "../../src/pipeline.js";
import { UsageError, type Report } from "../../src/types.js";
import { CLI, runCli } from "../helpers.js";
import { mkfifoSync } from "../unit/mkfifo.js";
import { DEMO_ONNX, DEMO_SIDECAR, commitAll, demoCopy, flipByte, gitInit, manifest, scratch, write } from "./lib.js";

const codes = (r: Report, file: string) => r.results.find((x) => x.file === file)?.diagnostics.map((d) => `${d.severity} ${d.code}`) ?? [];
const SCRIPT = { path: "ai/scripts/run.py", content: "print(1)\n" };

/** A workspace with one valid run manifest at `rel` (and its entrypoint). */
function oneManifest(rel = "runs/report.json"): string {
  const root = scratch();
  write(root, SCRIPT.path, SCRIPT.content);
  write(root, rel, manifest(SCRIPT));
  return root;
}

describe("the root is canonical", () => {
  it("a root reached through a symbolic link verifies every digest (a flipped ONNX byte fails)", async () => {
    const real = demoCopy();
    flipByte(path.join(real, DEMO_ONNX), 3);
    const link = path.join(scratch(), "corpus-link");
    symlinkSync(real, link);
    const report = await validate([path.join(link, "model")], { root: link, cwd: path.dirname(link) });
    expect(report.summary.invalid).toBe(1);
    expect(codes(report, DEMO_SIDECAR)).toContain("error hash-mismatch");
    expect(report.results.flatMap((r) => r.diagnostics).filter((d) => d.code === "outside-root")).toEqual([]);
  });

  it("gives the same report whether the root is named through a link or not", async () => {
    const real = demoCopy();
    const link = path.join(scratch(), "ws-link");
    symlinkSync(real, link);
    const viaLink = await validate([], { root: link, cwd: link });
    const direct = await validate([], { root: real, cwd: real });
    expect(viaLink.results).toEqual(direct.results);
    expect(viaLink.summary.hashes.verified).toBeGreaterThan(0);
  });

  it("a named path outside the root is a usage error, not read", async () => {
    const root = oneManifest();
    const outside = oneManifest();
    await expect(validate([path.join(outside, "runs/report.json")], { root, cwd: root })).rejects.toThrow(/outside the root/);
  });
});

describe("named folders and empty selections", () => {
  it("a named folder that .gitignore ignores is walked (emitters write under an ignored runs/)", async () => {
    const root = oneManifest("runs/ensemble_v2_real/report.json");
    write(root, ".gitignore", "runs/\n");
    write(root, "runs/ensemble_v2_real/.gitignore", "scratch.json\n");
    write(root, "runs/ensemble_v2_real/scratch.json", manifest(SCRIPT));
    gitInit(root);
    commitAll(root);
    const report = await validate(["runs/ensemble_v2_real"], { root, cwd: root });
    // The folder's own ignore file still applies below it.
    expect(report.results.map((r) => r.file)).toEqual(["runs/ensemble_v2_real/report.json"]);
    expect(report.summary.valid).toBe(1);
  });

  it("exclude globs of .runprov.json that match the named folder do not apply below it", async () => {
    const root = oneManifest("runs/a/report.json");
    write(root, ".runprov.json", JSON.stringify({ exclude: ["runs/**"] }));
    const named = await validate(["runs/a"], { root, cwd: root });
    expect(named.results.map((r) => r.file)).toEqual(["runs/a/report.json"]);
    // The implicit walk honours every rule: nothing is left, and nothing checked is no pass.
    await expect(validate([], { root, cwd: root })).rejects.toThrow(/no artifacts found/);
  });

  it("an empty selection is a usage error unless --allow-empty; skipped JSON does not count", async () => {
    const root = scratch();
    write(root, "notes/package.json", JSON.stringify({ name: "x" }));
    const err = await validate(["notes"], { root, cwd: root }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err.message)).toMatch(/no artifacts found in notes .*1 file\(s\) matched no artifact family/);
    const allowed = await validate(["notes"], { root, cwd: root, allowEmpty: true });
    expect(allowed.summary).toMatchObject({ artifacts: 0, skipped: 1 });
  });

  it("the CLI exits 2 on an empty selection and 0 with --allow-empty", () => {
    const root = scratch();
    write(root, "empty/.keep", "");
    const r = runCli(["validate", "empty", "--root", root], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no artifacts found in empty/);
    expect(runCli(["validate", "empty", "--root", root, "--allow-empty"], root).code).toBe(0);
  });
});

describe("unreadable artifacts are never skipped", () => {
  const asRoot = process.getuid?.() === 0;
  it("an artifact met while walking that cannot be read is an unreadable error (exit 1)", () => {
    const root = oneManifest("runs/ok.json");
    write(root, "runs/locked.json", manifest(SCRIPT));
    chmodSync(path.join(root, "runs/locked.json"), 0o000);
    // Root reads anything: run the CLI as an unprivileged user then (the tree must be readable to it).
    const opts = asRoot ? { uid: 65534, gid: 65534 } : {};
    if (asRoot) chmodSync(root, 0o755); // mkdtemp makes it private
    const r = spawnSync(process.execPath, [CLI, "validate", "runs", "--root", root, "--format", "json", "--no-hash"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", HOME: root },
      timeout: 15_000,
      ...opts,
    });
    expect(r.status, r.stderr).toBe(1);
    const report: Report = JSON.parse(r.stdout);
    expect(codes(report, "runs/locked.json")).toEqual(["error unreadable"]);
    expect(report.results.find((x) => x.file === "runs/ok.json")?.valid).toBe(true);
  });

  it("a named artifact that cannot be read stays a usage error", async () => {
    const root = scratch();
    mkfifoSync(path.join(root, "named.json"));
    await expect(validate(["named.json"], { root, cwd: root })).rejects.toThrow(/FIFO/);
  });
});

describe("nothing but regular files inside the root is read", () => {
  it("a glob never matches a FIFO, a link to /dev/zero or a file through a link to a folder outside the root", async () => {
    const root = oneManifest("runs/good.json");
    mkfifoSync(path.join(root, "runs/pipe.json"));
    symlinkSync("/dev/zero", path.join(root, "runs/zero.json"));
    const outside = oneManifest("elsewhere/evil.json");
    symlinkSync(path.join(outside, "elsewhere"), path.join(root, "runs/linked"));
    const report = await validate(["runs/**/*.json"], { root, cwd: root });
    expect(report.results.map((r) => r.file)).toEqual(["runs/good.json"]);
  });

  it("a glob whose base is a link out of the root is a usage error", async () => {
    const root = oneManifest();
    const outside = oneManifest("x/evil.json");
    symlinkSync(path.join(outside, "x"), path.join(root, "out"));
    await expect(validate(["out/*.json"], { root, cwd: root })).rejects.toThrow(/outside the root/);
  });

  it("a .gitignore that is a FIFO or a link to /dev/zero is not read, and the walk ends", async () => {
    const root = oneManifest("a/report.json");
    mkfifoSync(path.join(root, "a/.gitignore"));
    write(root, "b/report.json", manifest(SCRIPT));
    symlinkSync("/dev/zero", path.join(root, "b/.gitignore"));
    const report = await validate([], { root, cwd: root });
    expect(report.results.map((r) => r.file)).toEqual(["a/report.json", "b/report.json"]);
  });

  it.each([
    ["a FIFO", (root: string) => mkfifoSync(path.join(root, ".runprov.json"))],
    ["a link to /dev/zero", (root: string) => symlinkSync("/dev/zero", path.join(root, ".runprov.json"))],
    [
      "a link to a file outside the root",
      (root: string) => {
        const outside = write(scratch(), "cfg.json", JSON.stringify({ exclude: ["**"] }));
        symlinkSync(outside, path.join(root, ".runprov.json"));
      },
    ],
  ])(".runprov.json that is %s is a usage error naming it, never obeyed", async (_what, make) => {
    const root = oneManifest();
    make(root);
    const err = await validate([], { root, cwd: root }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err.message)).toMatch(/^\.runprov\.json: /);
  });

  it("a walked artifact swapped for a FIFO after the walk is refused by the reader, not read", async () => {
    const root = realpathSync(oneManifest());
    const found = await discover([], root, root);
    const abs = found.files[0].absPath;
    // Swap after the listing: the loader opens non-blocking and checks the descriptor.
    rmSync(abs);
    mkfifoSync(abs);
    expect(() => loadFile(abs, root)).toThrow(RefusedFile);
    expect(() => loadFile(abs, root)).toThrow(/FIFO/);
  });

  it("the hasher refuses a FIFO, a device and a link out of the root on the open descriptor", async () => {
    const root = realpathSync(scratch());
    mkfifoSync(path.join(root, "pipe"));
    symlinkSync("/dev/zero", path.join(root, "zero"));
    const outside = write(scratch(), "secret", "s");
    symlinkSync(outside, path.join(root, "secret"));
    // A small claimed size is read inline, a large one by a worker thread: both refuse.
    for (const size of [1, 10 * 1024 * 1024]) {
      const hasher = new Hasher(root, 1);
      try {
        for (const [name, reason] of [
          ["pipe", "not-regular"],
          ["zero", "not-regular"],
          ["secret", "outside-root"],
        ] as const) {
          const err = await hasher.digest(path.join(root, name), size).then(
            () => undefined,
            (e) => e,
          );
          expect(err, `${name} ${size}`).toBeInstanceOf(RefusedFile);
          expect(err.reason, `${name} ${size}`).toBe(reason);
        }
      } finally {
        await hasher.close();
      }
    }
  });

  it("walks never follow links to folders, and list only regular files", async () => {
    const root = realpathSync(oneManifest("runs/a.json"));
    const outside = oneManifest("x/b.json");
    symlinkSync(path.join(outside, "x"), path.join(root, "runs/out"));
    symlinkSync(path.join(outside, "x/b.json"), path.join(root, "runs/b.json"));
    mkfifoSync(path.join(root, "runs/c.json"));
    const found = await discover(["runs"], root, root);
    expect(found.files.map((f) => path.relative(root, f.absPath))).toEqual(["runs/a.json"]);
    expect(readdirSync(path.join(root, "runs")).sort()).toEqual(["a.json", "b.json", "c.json", "out"]);
  });
});
