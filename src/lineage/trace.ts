/**
 * `runprov trace PATH`: every recorded claim about PATH and, transitively, about what produced
 * it, each judged by the hash policy.
 *
 * The walk, on the claim index of the root (./claims.ts):
 * - every artifact that records PATH, in any role, is on the trace with that claim; those whose
 *   claim explains PATH (an output of their run, the integrity digest of a model graph: a
 *   sidecar, a registry row) are followed;
 * - a followed artifact brings in what its run used: entrypoint, shared trainer, inputs and
 *   corpus digests. Each file so used is explained in turn by the artifacts that record it as an
 *   output or vouch for it as a model, and, when it is an artifact itself, by its own block;
 * - an input recorded as a directory brings in the artifacts inside it (a verdict's `loso_dir`
 *   holds the LOSO reports it read);
 * - and so on, breadth first, each artifact once, up to a bound.
 * The claims on the trace are those about PATH, all of PATH's own when it is an artifact, and
 * each followed artifact's claims about what it used or about files on the trace (never its
 * other outputs, nor a registry's other rows). They are
 * judged by `validate()` itself (one hasher and one git history for the whole trace): the same
 * stages, the same statuses (see `ClaimStatus`).
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { isInside } from "../files/confined.js";
import { Hasher } from "../hash/digest.js";
import { GitHistory } from "../hash/git.js";
import { displayPath, resolveRoot, validate } from "../pipeline.js";
import { CLAIM_STATUSES, UsageError, type ClaimEvent, type ClaimRole, type ClaimStatus, type Severity, type SharedResources } from "../types.js";
import { artifactsUnder, indexClaims, type ClaimIndex, type IndexedClaim } from "./claims.js";

export interface TraceOptions {
  /** Repository root; default: the git top level of `cwd`, else `cwd`. */
  root?: string;
  cwd?: string;
  jobs?: number;
  strictMissing?: boolean;
  strictDrift?: boolean;
  /** One hasher and one git history for several traces (the caller closes them). */
  shared?: SharedResources;
  /** The claim index of the root, when several traces of one root share it. */
  index?: ClaimIndex;
  /** At most this many artifacts on one trace (default 2000); past it the trace is `truncated`. */
  maxArtifacts?: number;
  onWarning?: (message: string) => void;
}

/** One claim on the trace. The first seven fields are the pinned JSON shape. */
export interface TraceClaim {
  /** The artifact that records the claim (root-relative). */
  artifact: string;
  /** The file the claim is about: root-relative, or the path as recorded when it cannot lie in the root. */
  file: string;
  pointer: string;
  role: ClaimRole;
  status: ClaimStatus;
  line: number;
  column: number;
  /** The claim as messages name it, e.g. `run_provenance.inputs.corpus`. */
  label: string;
  /** The kind recorded (`file` for integrity digests). */
  kind: "file" | "directory" | "missing";
  sha256?: string;
  /** The most severe diagnostic of the claim, when it has one. */
  severity?: Severity;
  message?: string;
  /** The commit a `historical-match` names. */
  commit?: string;
}

/** Why an artifact is on the trace. */
export type TraceReason =
  /** It records `file` (on the trace) as `role`. */
  | { by: "records"; file: string; role: ClaimRole }
  /** It is a file on the trace (the subject, or something a run used): its block says how it was made. */
  | { by: "itself" }
  /** It lies in `directory`, which a run on the trace recorded as an input. */
  | { by: "inside"; directory: string };

export interface TraceArtifact {
  file: string;
  family: string | null;
  variant: string | null;
  /** Hops from the subject. */
  depth: number;
  /** Whether what it used was followed (false for artifacts that merely use the subject). */
  followed: boolean;
  reasons: TraceReason[];
}

export interface TraceResult {
  subject: string;
  claims: TraceClaim[];
  artifacts: TraceArtifact[];
  summary: { claims: number; artifacts: number; errors: number; statuses: Record<ClaimStatus, number> };
  /** No claim on the trace is judged an error by the hash policy. */
  ok: boolean;
  /** The bound on artifacts was reached: the trace is incomplete. */
  truncated: boolean;
}

const DEFAULT_MAX_ARTIFACTS = 2000;

/** Trace `subject` (a path relative to `cwd`, or to the root, or absolute inside the root). */
export async function trace(subject: string, options: TraceOptions = {}): Promise<TraceResult> {
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1)) throw new UsageError("--jobs must be a positive integer");
  const { root, cwd } = await resolveRoot(options);
  const key = await subjectKey(subject, cwd, root);
  const shared = options.shared ?? { hasher: new Hasher(root, options.jobs), git: await GitHistory.open(root, options.onWarning) };
  try {
    const index = options.index ?? (await indexClaims(root, { onWarning: options.onWarning }));
    return await traceIndexed(key, index, { ...options, root, shared });
  } finally {
    if (!options.shared) {
      await shared.hasher.close();
      shared.git?.close();
    }
  }
}

/** The subject's root-relative key: a path that exists is taken through its real path. */
async function subjectKey(given: string, cwd: string, root: string): Promise<string> {
  if (given === "") throw new UsageError("trace: name a path");
  const candidates = path.isAbsolute(given) ? [given] : [path.resolve(cwd, given), path.resolve(root, given)];
  for (const c of candidates) {
    const real = await realpath(c).catch(() => null);
    if (real && isInside(real, root)) return displayPath(real, root);
  }
  // Nothing by that name exists now: claims may still be about it (a deleted model, a file recorded missing).
  const inside = candidates.find((c) => isInside(c, root));
  if (!inside) throw new UsageError(`${given}: lies outside the root ${root}; nothing outside the root is traced (pass --root)`);
  return displayPath(inside, root);
}

interface Reached {
  depth: number;
  followed: boolean;
  reasons: TraceReason[];
}

/** The walk of the module comment, on an index; then the judgement of the claims it reached. */
async function traceIndexed(subject: string, index: ClaimIndex, options: TraceOptions & { root: string; shared: SharedResources }): Promise<TraceResult> {
  const max = options.maxArtifacts ?? DEFAULT_MAX_ARTIFACTS;
  const files = new Set<string>();
  const queue: { file: string; depth: number }[] = [];
  const reached = new Map<string, Reached>();
  let truncated = false;

  const useFile = (file: string, depth: number): void => {
    if (files.has(file)) return;
    files.add(file);
    queue.push({ file, depth });
  };
  const addReason = (r: Reached, reason: TraceReason): void => {
    if (!r.reasons.some((x) => JSON.stringify(x) === JSON.stringify(reason))) r.reasons.push(reason);
  };
  const reach = (artifact: string, depth: number, reason: TraceReason, follow: boolean): void => {
    let r = reached.get(artifact);
    if (!r) {
      if (reached.size >= max) {
        truncated = true;
        return;
      }
      r = { depth, followed: false, reasons: [] };
      reached.set(artifact, r);
    }
    addReason(r, reason);
    if (follow && !r.followed) {
      r.followed = true;
      followArtifact(artifact, r.depth);
    }
  };
  const followArtifact = (artifact: string, depth: number): void => {
    for (const c of index.artifacts.get(artifact)?.claims ?? []) {
      if (c.explains || c.target === undefined) continue;
      useFile(c.target, depth);
      // A directory the run read: the artifacts in it are what it read (the root itself would be everything).
      if (c.role === "input" && c.directory && c.target !== ".") {
        for (const inside of artifactsUnder(index, c.target)) if (inside !== artifact) reach(inside, depth + 1, { by: "inside", directory: c.target }, true);
      }
    }
  };

  useFile(subject, 0);
  for (let next = 0; next < queue.length; next++) {
    const { file, depth } = queue[next];
    for (const c of index.about.get(file) ?? []) {
      if (c.artifact === file) continue; // its own descriptor: "itself" below covers it
      if (file === subject || c.explains) reach(c.artifact, depth + 1, { by: "records", file, role: c.role }, c.explains);
    }
    if (index.artifacts.has(file)) reach(file, depth, { by: "itself" }, true);
  }

  // The subject's own claims are all on its trace (what it vouches for, too); another artifact's
  // only when they are about the subject, about what its run used, or about the trace's files.
  const included: IndexedClaim[] = [];
  for (const [artifact, r] of reached) {
    for (const c of index.artifacts.get(artifact)?.claims ?? []) {
      const onTrace = c.target !== undefined && (c.target === subject || (r.followed && (files.has(c.target) || c.target === artifact)));
      if (artifact === subject || onTrace || (r.followed && !c.explains)) included.push(c);
    }
  }
  return judge(subject, index, reached, included, truncated, options);
}

/** Judge the included claims with `validate()` on the artifacts that hold them. */
async function judge(
  subject: string,
  index: ClaimIndex,
  reached: Map<string, Reached>,
  included: IndexedClaim[],
  truncated: boolean,
  options: TraceOptions & { root: string; shared: SharedResources },
): Promise<TraceResult> {
  const events = new Map<string, ClaimEvent>();
  const at = (file: string, pointer: string): string => `${file}\u0000${pointer}`;
  const holders = [...new Set(included.map((c) => c.artifact))];
  const families = new Map<string, { family: string | null; variant: string | null }>();
  if (holders.length) {
    const report = await validate(
      holders.map((f) => index.artifacts.get(f)!.abs),
      {
        root: options.root,
        cwd: options.root,
        jobs: options.jobs,
        strictMissing: options.strictMissing,
        strictDrift: options.strictDrift,
        shared: options.shared,
        baseline: false, // a trace judges every file as it is
        unknown: "skip",
        allowEmpty: true,
        onWarning: options.onWarning,
        onClaim: (e) => events.set(at(e.file, e.pointer), e),
      },
    );
    for (const r of report.results) families.set(r.file, { family: r.family, variant: r.variant });
  }

  const claims: TraceClaim[] = included.map((c) => {
    const e = events.get(at(c.artifact, c.pointer));
    const t: TraceClaim = {
      artifact: c.artifact,
      file: c.target ?? c.recorded,
      pointer: c.pointer,
      role: c.role,
      // A claim the judgement did not reach (the file changed between the two reads) is not vouched for.
      status: e?.status ?? "unverified",
      line: e?.line ?? c.line,
      column: e?.column ?? c.column,
      label: c.label,
      kind: c.kind,
    };
    if (c.sha256) t.sha256 = c.sha256;
    if (e?.severity) t.severity = e.severity;
    if (e?.message) t.message = e.message;
    if (e?.commit) t.commit = e.commit;
    return t;
  });
  const depthOf = (a: string): number => reached.get(a)?.depth ?? 0;
  claims.sort(
    (a, b) => depthOf(a.artifact) - depthOf(b.artifact) || cmp(a.artifact, b.artifact) || a.line - b.line || a.column - b.column || cmp(a.pointer, b.pointer),
  );

  const artifacts: TraceArtifact[] = [...reached]
    .map(([file, r]) => ({
      file,
      family: families.get(file)?.family ?? index.artifacts.get(file)?.family ?? null,
      variant: families.get(file)?.variant ?? null,
      depth: r.depth,
      followed: r.followed,
      reasons: r.reasons,
    }))
    .sort((a, b) => a.depth - b.depth || cmp(a.file, b.file));

  const statuses = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as Record<ClaimStatus, number>;
  for (const c of claims) statuses[c.status]++;
  const errors = claims.filter((c) => c.severity === "error").length;
  return {
    subject,
    claims,
    artifacts,
    summary: { claims: claims.length, artifacts: artifacts.length, errors, statuses },
    ok: errors === 0,
    truncated,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
