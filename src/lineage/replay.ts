/**
 * `runprov replay ARTIFACT`: how to run the recorded run again. The commit that put the recorded
 * version of the entrypoint in place (git history, as the hash stage searches it), the command
 * (`python <entrypoint> <argv...>`), and each recorded input with its digest and whether the
 * working tree holds it now. The inputs are judged by `validate()` itself (the same resolution,
 * confinement and hashing as every other digest).
 *
 * runprov only reads and prints: the script of the text format (./render-replay.ts) is for a
 * person to read and run.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { isInside, RefusedFile } from "../files/confined.js";
import { gitTopLevel } from "../git/run.js";
import { Hasher } from "../hash/digest.js";
import { GitHistory } from "../hash/git.js";
import { confinement, resolveRecorded } from "../hash/resolve.js";
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import { loadFile } from "../load/index.js";
import { displayPath, resolveRoot, validate } from "../pipeline.js";
import { UsageError, type ClaimEvent } from "../types.js";

export const INPUT_STATES = ["matches", "differs", "missing", "not-recorded"] as const;
export type InputState = (typeof INPUT_STATES)[number];

export interface ReplayInput {
  /** The input's name; items of an array are `name[i]`. */
  name: string;
  /** The path as recorded (a plain string input: the string). */
  path: string;
  sha256: string | null;
  status: InputState;
  /** Why it is not `matches`, when the hash stage said. */
  note?: string;
}

/** The first five fields are the pinned JSON shape. */
export interface ReplayPlan {
  artifact: string;
  /** The commit to run at; null when none holds the recorded entrypoint (`why` says why). */
  commit: string | null;
  /** The entrypoint's path as recorded (null when the artifact records none). */
  entrypoint: string | null;
  /** argv as recorded. */
  argv: string[];
  inputs: ReplayInput[];
  entrypointSha256: string | null;
  /** Every commit that put the recorded entrypoint version in place, newest first (`commit` is the first). */
  commits: string[];
  /** The command to run from the root of the checkout: `python <entrypoint> <argv...>`. */
  command: string[];
  /** Why `commit` is null. */
  why?: string;
  /** Things a person should know before running it (argv as recorded starts with the script, absolute paths, ...). */
  notes: string[];
  /** The root's folder inside the git work tree ("" when it is the top level), where the command runs. */
  prefix: string;
}

export interface ReplayOptions {
  root?: string;
  cwd?: string;
  jobs?: number;
  onWarning?: (message: string) => void;
}

const isDescriptor = (v: JsonValue | undefined): v is JsonObject => isObject(v) && typeof own(v, "path") === "string" && typeof own(v, "kind") === "string";

export async function replay(artifact: string, options: ReplayOptions = {}): Promise<ReplayPlan> {
  const { root, cwd } = await resolveRoot(options);
  const abs = await realpath(path.resolve(cwd, artifact)).catch(() => null);
  if (!abs) throw new UsageError(`${artifact}: no such file`);
  if (!isInside(abs, root)) throw new UsageError(`${artifact}: lies outside the root ${root} (pass --root)`);
  const file = displayPath(abs, root);
  let loaded;
  try {
    loaded = loadFile(abs, root);
  } catch (e) {
    throw new UsageError(`${artifact}: ${e instanceof RefusedFile ? e.message : (e as Error).message}`);
  }
  if (!loaded.ok) throw new UsageError(`${artifact}: not JSON (${loaded.diagnostics[0]?.message ?? "parse error"})`);
  const doc = loaded.value;
  const bare = isObject(doc) && own(doc, "schema") === "ai-run-provenance-v1" && isObject(own(doc, "entrypoint"));
  const block = bare ? (doc as JsonObject) : isObject(doc) ? own(doc, "run_provenance") : undefined;
  const base = bare ? "" : "/run_provenance";
  const top = (await gitTopLevel(root)).top;
  const prefix = top
    ? path
        .relative(await realpath(top).catch(() => top), root)
        .split(path.sep)
        .join("/")
    : "";
  const plan: ReplayPlan = {
    artifact: file,
    commit: null,
    entrypoint: null,
    argv: [],
    inputs: [],
    entrypointSha256: null,
    commits: [],
    command: [],
    notes: [],
    prefix,
  };
  if (!isObject(block)) {
    plan.why = "the artifact carries no run_provenance block (a legacy file): there is no recorded run to replay";
    return plan;
  }

  const hasher = new Hasher(root, options.jobs);
  const git = await GitHistory.open(root, options.onWarning);
  try {
    // The inputs as the hash stage judges them now.
    const events = new Map<string, ClaimEvent>();
    await validate([abs], {
      root,
      cwd: root,
      shared: { hasher, git },
      baseline: false,
      unknown: "skip",
      allowEmpty: true,
      onWarning: options.onWarning,
      onClaim: (e) => events.set(e.pointer.replace(/\/sha256$/, ""), e),
    });

    const argv = own(block, "argv");
    plan.argv = Array.isArray(argv) ? argv.map((a) => (typeof a === "string" ? a : JSON.stringify(a))) : [];
    const ep = own(block, "entrypoint");
    if (isDescriptor(ep)) {
      const p = own(ep, "path") as string;
      const sha = own(ep, "sha256");
      plan.entrypoint = p;
      plan.entrypointSha256 = typeof sha === "string" ? sha : null;
      const r = await resolveRecorded(p, root, await confinement(root));
      if (!("rel" in r))
        plan.why = `the entrypoint ${p} lies outside the repository (installed elsewhere, or run from another checkout): no commit here holds it`;
      else if (!plan.entrypointSha256) plan.why = `the entrypoint descriptor of ${p} records no digest, so no version of it can be told apart`;
      else if (!git) plan.why = "the root is not in a git repository (or git refuses it), so there is no history to search";
      else {
        plan.commits = await git.findCommits(r.rel, plan.entrypointSha256);
        plan.commit = plan.commits[0] ?? null;
        if (!plan.commit)
          plan.why = `no commit holds the recorded version of ${p} (sha256 ${plan.entrypointSha256.slice(0, 12)}...): it was run uncommitted, or the clone is shallow`;
      }
      plan.command = ["python", p, ...commandArgs(plan, p)];
    } else {
      plan.why = "the block records no entrypoint";
    }
    if (plan.argv.some((a) => a.startsWith("/"))) plan.notes.push("argv holds absolute paths of the machine that ran; they may not exist here");

    const inputs = own(block, "inputs");
    if (isObject(inputs)) {
      for (const name of Object.keys(inputs)) {
        const v = inputs[name];
        const pointer = childPointer(`${base}/inputs`, name);
        if (Array.isArray(v)) v.forEach((item, i) => addInput(plan, `${name}[${i}]`, item, events.get(childPointer(pointer, i))));
        else addInput(plan, name, v, events.get(pointer));
      }
    }
    return plan;
  } finally {
    await hasher.close();
    git?.close();
  }
}

/** argv without a leading program path (some emitters record `sys.argv` whole). */
function commandArgs(plan: ReplayPlan, entrypoint: string): string[] {
  const first = plan.argv[0];
  if (first !== undefined && /\.py$/.test(first) && path.posix.basename(first.replace(/\\/g, "/")) === path.posix.basename(entrypoint)) {
    plan.notes.push(`argv[0] is the script itself (${first}); the command leaves it out`);
    return plan.argv.slice(1);
  }
  return plan.argv;
}

function addInput(plan: ReplayPlan, name: string, v: JsonValue, e: ClaimEvent | undefined): void {
  if (typeof v === "string") {
    plan.inputs.push({ name, path: v, sha256: null, status: "not-recorded", note: "a plain string (a path or a label): never hashed" });
    return;
  }
  if (!isDescriptor(v)) return; // null, numbers, booleans: nothing that could be in the working tree
  const sha = own(v, "sha256");
  const input: ReplayInput = { name, path: own(v, "path") as string, sha256: typeof sha === "string" ? sha : null, status: stateOf(v, e) };
  if (input.status !== "matches" && e?.message) input.note = e.message;
  plan.inputs.push(input);
}

/** The working tree's state of one recorded input, from the hash stage's judgement. */
function stateOf(d: JsonObject, e: ClaimEvent | undefined): InputState {
  if (own(d, "kind") !== "file" || typeof own(d, "sha256") !== "string" || !e) return "not-recorded";
  switch (e.status) {
    case "verified":
      return "matches";
    case "historical-match":
    case "mismatched":
    case "stale-by-design":
      return "differs";
    case "missing":
      return "missing";
    case "unverified":
      // Now a directory or a special file: something else sits there. Absolute, outside the root: not in this working tree.
      return e.codes.includes("kind-changed") ? "differs" : "missing";
  }
}
