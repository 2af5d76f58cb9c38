/**
 * Verify stage: the hash policy of docs/contract.md for one artifact.
 *
 * Claims come from two places: the block (entrypoint, inputs and shared_trainer are
 * provenance digests; outputs by the stakes the family declares for each) and the family's
 * digests outside the block (integrity). Each claim is resolved under the root, hashed once
 * per run, and judged by its stakes:
 *   integrity   a difference is an error, always;
 *   provenance  a difference is judged against git history (historical-match / error / warning);
 *   unknown     an output whose write time the catalog does not know: like provenance, capped at warning;
 *   stale       written after the block (or the artifact itself): a difference is info;
 *   reexport    known to go stale when regenerated: a difference is info.
 */
import path from "node:path";
import type { DeclaredStakes, DigestClaim, FamilySpec, Stakes } from "../families/types.js";
import type { Finding } from "../findings.js";
import { childPointer, dottedPath, isObject, own, valueAtPointer, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { ClaimEvent, ClaimRole, ClaimStatus, DiagnosticCode, DigestEvent, Severity } from "../types.js";
import type { Hasher } from "./digest.js";
import type { GitHistory } from "./git.js";
import { RefusedFile } from "../files/confined.js";
import { resolveRecorded, type Confinement, type Resolved } from "./resolve.js";

/** The judgement vocabulary is the families' (families/types.ts); re-exported for the verify stage's users. */
export type { Stakes };

export interface HashContext {
  confinement: Confinement;
  hasher: Hasher;
  /** Git history of the root, or undefined when the root is not in a git repository. */
  git: GitHistory | undefined;
  strictMissing: boolean;
  strictDrift: boolean;
  /** Told about every judged digest (without the artifact's file name, which the caller adds). */
  onDigest?: (e: Omit<DigestEvent, "file">) => void;
  /** Told about every judged claim, digest or not (the caller adds the file name and position). */
  onClaim?: (e: Omit<ClaimEvent, "file" | "line" | "column">) => void;
}

export interface HashTally {
  verified: number;
  mismatched: number;
  unverified: number;
}

/** One recorded claim: a descriptor of the block, or a digest the family pairs with a path. */
export interface RecordedClaim {
  /** Readable name of the claim for messages, e.g. `run_provenance.outputs.onnx`. */
  label: string;
  role: ClaimRole;
  recordedPath: string;
  baseDir: string;
  recordedKind: "file" | "directory" | "missing";
  digest?: string;
  /** Pointer reported for digest problems (the sha256 value, or the descriptor). */
  pointer: string;
  stakes: Stakes;
  /** The descriptor may name the artifact itself. */
  fromBlock: boolean;
  /** The file is an ONNX graph whose weights may sit beside it uncovered (`<name>.onnx.data`). */
  graph: boolean;
}
type Claim = RecordedClaim;

/** A recorded SHA-256 digest as the schemas pin it: 64 lowercase hex digits (anything else is theirs to report). */
export const SHA256_RE = /^[0-9a-f]{64}$/;

export async function verifyHashes(
  doc: JsonObject,
  artifactAbs: string,
  family: FamilySpec,
  variant: string | undefined,
  integrity: DigestClaim[],
  ctx: HashContext,
): Promise<{ diagnostics: Finding<DiagnosticCode>[]; tally: HashTally }> {
  const claims = recordedClaims(doc, family, variant, integrity, artifactAbs, ctx.confinement.root);
  const tally: HashTally = { verified: 0, mismatched: 0, unverified: 0 };
  // A claim whose judgement throws is an `internal` error of this artifact, never a dropped check.
  const results = await Promise.all(
    claims.map((c) =>
      judge(c, artifactAbs, ctx).catch((e: unknown): Judgement => ({
        label: c.label,
        pointer: c.pointer,
        path: c.recordedPath,
        status: "unverified",
        diagnostics: [
          {
            severity: "error",
            code: "internal",
            message: `${c.label}: judging this digest failed: ${(e as Error)?.message ?? String(e)} (a bug in runprov)`,
            pointer: c.pointer,
          },
        ],
      })),
    ),
  );
  const diagnostics: Finding<DiagnosticCode>[] = [];
  const uncovered = new Set<string>();
  for (const [i, r] of results.entries()) {
    if (r.outcome) {
      tally[r.outcome]++;
      if (r.digest) ctx.onDigest?.({ pointer: r.pointer, path: r.path, sha256: r.digest, outcome: r.outcome, how: r.how });
    }
    if (r.graphChecked && !uncovered.has(r.graphChecked.abs)) {
      uncovered.add(r.graphChecked.abs);
      const data = await uncoveredWeights(r.graphChecked.abs, ctx.confinement);
      if (data) {
        r.diagnostics.push({
          severity: "warning",
          code: "uncovered-file",
          message: `${r.label}: the weights in ${data.rel} are covered by no recorded digest (only the graph ${r.graphChecked.rel} is)`,
          pointer: r.pointer,
        });
      }
    }
    diagnostics.push(...r.diagnostics);
    if (ctx.onClaim) ctx.onClaim(claimEvent(claims[i], r));
  }
  return { diagnostics, tally };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** A judged claim as `onClaim` reports it: its status, and its most severe diagnostic. */
function claimEvent(c: Claim, r: Judgement): Omit<ClaimEvent, "file" | "line" | "column"> {
  let worst: Finding<DiagnosticCode> | undefined;
  for (const d of r.diagnostics) if (!worst || SEVERITY_RANK[d.severity] > SEVERITY_RANK[worst.severity]) worst = d;
  const e: Omit<ClaimEvent, "file" | "line" | "column"> = {
    pointer: r.pointer,
    label: c.label,
    role: c.role,
    recorded: c.recordedPath,
    path: r.path,
    kind: c.recordedKind,
    status: r.status,
    codes: r.diagnostics.map((d) => d.code),
  };
  if (c.digest) e.sha256 = c.digest;
  if (worst) {
    e.severity = worst.severity;
    e.message = worst.message;
  }
  if (r.commit) e.commit = r.commit;
  return e;
}

/**
 * Weights kept beside an ONNX graph (`<graph>.data`, a regular file inside the root): no
 * recorded digest covers them today, which the verify stage and the gate both say.
 */
export async function uncoveredWeights(graphAbs: string, c: Confinement): Promise<{ rel: string } | undefined> {
  const data = await resolveRecorded(`${path.basename(graphAbs)}.data`, path.dirname(graphAbs), c);
  return data.state === "file" ? { rel: data.rel } : undefined;
}

// ---------------------------------------------------------------------------------------
// Claims

function stakesOf(family: FamilySpec, variant: string | undefined, name: string): DeclaredStakes | undefined {
  const v = family.variants.find((x) => x.name === variant);
  for (const map of [v?.outputs, family.outputs]) {
    if (!map) continue;
    if (map[name]) return map[name];
    for (const [k, t] of Object.entries(map)) if (k.endsWith("*") && name.startsWith(k.slice(0, -1))) return t;
  }
  return undefined;
}

/**
 * Every claim an artifact records: the block's descriptors (entrypoint, shared_trainer, inputs,
 * outputs) and the family's integrity digests (`integrity`, from `family.integrityDigests`).
 * `runprov trace` builds its graph from these, so it sees exactly what this stage judges.
 */
export function recordedClaims(
  doc: JsonObject,
  family: FamilySpec,
  variant: string | undefined,
  integrity: DigestClaim[],
  artifactAbs: string,
  root: string,
): RecordedClaim[] {
  return [...blockClaims(doc, family, variant, root), ...integrityClaims(doc, integrity, artifactAbs, root)];
}

function blockClaims(doc: JsonObject, family: FamilySpec, variant: string | undefined, root: string): Claim[] {
  const rp = own(doc, "run_provenance");
  if (!isObject(rp)) return [];
  const out: Claim[] = [];
  const base = "/run_provenance";
  const addDescriptor = (value: JsonValue | undefined, pointer: string, stakes: Stakes, role: ClaimRole): void => {
    if (!isObject(value)) return;
    const p = own(value, "path");
    const kind = own(value, "kind");
    if (typeof p !== "string" || (kind !== "file" && kind !== "directory" && kind !== "missing")) return;
    const raw = own(value, "sha256");
    // A malformed or absent digest is the schema's to report; there is nothing to compare.
    const digest = typeof raw === "string" && SHA256_RE.test(raw) ? raw : undefined;
    if (kind === "file" && !digest) return;
    out.push({
      label: dottedPath(pointer),
      role,
      recordedPath: p,
      baseDir: root,
      recordedKind: kind,
      digest,
      pointer: digest ? childPointer(pointer, "sha256") : pointer,
      stakes,
      fromBlock: true,
      graph: /\.onnx$/i.test(p),
    });
  };
  const addAll = (value: JsonValue | undefined, pointer: string, stakes: Stakes, role: ClaimRole): void => {
    if (Array.isArray(value)) value.forEach((item, i) => addDescriptor(item, childPointer(pointer, i), stakes, role));
    else addDescriptor(value, pointer, stakes, role);
  };
  addDescriptor(own(rp, "entrypoint"), `${base}/entrypoint`, "provenance", "entrypoint");
  addDescriptor(own(rp, "shared_trainer"), `${base}/shared_trainer`, "provenance", "shared_trainer");
  const inputs = own(rp, "inputs");
  if (isObject(inputs)) for (const k of Object.keys(inputs)) addAll(inputs[k], childPointer(`${base}/inputs`, k), "provenance", "input");
  const outputs = own(rp, "outputs");
  if (isObject(outputs)) {
    for (const k of Object.keys(outputs)) {
      addAll(outputs[k], childPointer(`${base}/outputs`, k), stakesOf(family, variant, k) ?? "unknown", "output");
    }
  }
  return out;
}

function integrityClaims(doc: JsonObject, claims: DigestClaim[], artifactAbs: string, root: string): Claim[] {
  const out: Claim[] = [];
  for (const c of claims) {
    const digest = valueAtPointer(doc, c.pointer);
    // A malformed digest is the schema's to report; nothing to compare.
    if (typeof digest !== "string" || !SHA256_RE.test(digest) || !c.path) continue;
    out.push({
      label: c.label,
      role: "integrity",
      recordedPath: c.path,
      baseDir: c.relativeTo === "artifact" ? path.dirname(artifactAbs) : root,
      recordedKind: "file",
      digest,
      pointer: c.pointer,
      stakes: c.stakes,
      fromBlock: false,
      graph: c.onnxGraph ?? /\.onnx$/i.test(c.path),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Judging one claim

interface Judgement {
  label: string;
  pointer: string;
  /** Root-relative path when the file was read, else the path as recorded. */
  path: string;
  digest?: string;
  diagnostics: Finding<DiagnosticCode>[];
  outcome?: keyof HashTally;
  status: ClaimStatus;
  /** The commit a `historical-match` names. */
  commit?: string;
  how?: DigestEvent["how"];
  /** Set when an ONNX graph's digest was compared (for the uncovered-weights warning). */
  graphChecked?: { abs: string; rel: string };
}

const short = (d: string): string => `${d.slice(0, 12)}...`;

async function judge(c: Claim, artifactAbs: string, ctx: HashContext): Promise<Judgement> {
  const j: Judgement = { label: c.label, pointer: c.pointer, path: c.recordedPath, digest: c.digest, diagnostics: [], status: "unverified" };
  const say = (severity: Severity, code: DiagnosticCode, message: string, pointer = c.pointer): void => {
    j.diagnostics.push({ severity, code, message: `${c.label}: ${message}`, pointer });
  };
  const hasDigest = c.recordedKind === "file" && c.digest !== undefined;
  const resolved: Resolved = await resolveRecorded(c.recordedPath, c.baseDir, ctx.confinement);

  if (c.fromBlock && "abs" in resolved && path.resolve(resolved.abs) === path.resolve(artifactAbs)) {
    say("info", "self-reference", "names this artifact itself; the block is built before the file is written, so this digest is never compared");
    if (hasDigest) j.outcome = "unverified";
    // The previous version's digest (a re-run) is stale by design; a first run records it missing.
    j.status = c.recordedKind === "missing" ? "missing" : hasDigest ? "stale-by-design" : "unverified";
    return j;
  }
  if (c.recordedKind === "missing") {
    j.status = "missing";
    return j; // placeholders and not-yet-written files: nothing recorded to compare
  }
  const integrity = c.stakes === "integrity";

  switch (resolved.state) {
    case "local-only":
      say("info", "local-only", `absolute path ${c.recordedPath} is local to the machine that ran; not read`);
      break;
    case "outside-root":
      if (resolved.via === "path") say("info", "outside-root", `${c.recordedPath} lies outside the root; not read`);
      else say("warning", "outside-root", `${c.recordedPath} resolves outside the root through a symbolic link; not read`);
      break;
    case "missing":
      if (c.recordedKind === "file") {
        say(ctx.strictMissing ? "error" : "info", "file-missing", `${resolved.rel} does not exist (recorded as a file)`);
      }
      j.status = "missing";
      break;
    case "special":
      say(integrity ? "error" : "warning", "kind-changed", `${resolved.rel} is now ${resolved.what}; such files are never opened`);
      break;
    case "directory":
      if (c.recordedKind === "file") say(integrity ? "error" : "warning", "kind-changed", `${resolved.rel} was recorded as a file and is now a directory`);
      break;
    case "file": {
      if (c.recordedKind === "directory") {
        say("warning", "kind-changed", `${resolved.rel} was recorded as a directory and is now a file`);
        break;
      }
      j.path = resolved.rel;
      await compare(c, resolved, ctx, j, say);
      if (c.graph) j.graphChecked = { abs: resolved.abs, rel: resolved.rel };
      return j;
    }
  }
  if (hasDigest) j.outcome = "unverified";
  return j;
}

async function compare(
  c: Claim,
  file: Extract<Resolved, { state: "file" }>,
  ctx: HashContext,
  j: Judgement,
  say: (s: Severity, code: DiagnosticCode, m: string, pointer?: string) => void,
): Promise<void> {
  const recorded = c.digest!;
  let found;
  try {
    found = await ctx.hasher.digest(file.abs, file.size);
  } catch (e) {
    // The file changed between resolving and opening it (or cannot be read): judged on what it
    // is now. Anything else is a bug, reported as `internal` by the caller.
    if (!(e instanceof RefusedFile)) throw e;
    const integrity = c.stakes === "integrity";
    const reason = e.reason;
    const what = e.message;
    if (reason === "missing") {
      say(ctx.strictMissing ? "error" : "info", "file-missing", `${file.rel} does not exist (recorded as a file)`);
      j.status = "missing";
    } else if (reason === "not-regular") say(integrity ? "error" : "warning", "kind-changed", `${file.rel} ${what}; such files are never opened`);
    else if (reason === "outside-root") say("warning", "outside-root", `${file.rel} resolves outside the root through a symbolic link; not read`);
    else if (integrity || c.stakes === "provenance") say("error", "unreadable", `${file.rel} ${what}; its recorded digest must be checked`);
    else say("warning", "unreadable", `${file.rel} ${what}`);
    j.outcome = "unverified";
    return;
  }
  let current = found.sha256;
  if (found.lfs) {
    say("info", "lfs-pointer", `${file.rel} is a Git LFS pointer; its oid ${short(found.lfs.oid)} stands for the content`);
    if (recorded !== found.sha256) current = found.lfs.oid;
  }
  if (recorded === current) {
    j.outcome = "verified";
    j.status = "verified";
    j.how = current === found.sha256 ? "working-tree" : "lfs";
    return;
  }
  const differs = `sha256 differs from ${file.rel} (recorded ${short(recorded)}, found ${short(current)})`;
  switch (c.stakes) {
    case "integrity":
      say("error", "hash-mismatch", differs);
      j.outcome = "mismatched";
      j.status = "mismatched";
      return;
    case "stale":
      say("info", "hash-mismatch", `${differs}: written after the block or the artifact itself, so stale by design`);
      j.outcome = "unverified";
      j.status = "stale-by-design";
      return;
    case "reexport":
      say("info", "hash-mismatch", `${differs}: known to go stale when the file is regenerated after the run`);
      j.outcome = "unverified";
      j.status = "stale-by-design";
      return;
  }
  // Every other way out below is a difference the policy does not excuse, unless history vouches.
  j.status = "mismatched";
  // Provenance (and outputs of unknown stakes): judged against history.
  const cap = (s: Severity): Severity => (c.stakes === "unknown" && s === "error" ? "warning" : s);
  if (ctx.strictDrift) {
    say("error", "hash-mismatch", `${differs} (--strict-drift)`);
    j.outcome = "mismatched";
    return;
  }
  if (!ctx.git || !(await ctx.git.available())) {
    say(cap("error"), "hash-mismatch", `${differs}; the root is not a git repository, so no history can vouch for the recorded version`);
    j.outcome = "mismatched";
    return;
  }
  if ((await ctx.git.trackState(file.rel)) === "untracked") {
    say("warning", "hash-mismatch", `${differs}; the file is not tracked by git (local data), so nothing can prove either way`);
    j.outcome = "mismatched";
    return;
  }
  const match = await ctx.git.findDigest(file.rel, recorded);
  if (match) {
    const where = match.where === "staged" ? "the staged version" : `commit ${match.commit}`;
    say("info", "historical-match", `${file.rel} has changed since the run; the recorded digest matches ${where}, so the run is reproducible from it`);
    j.outcome = "verified";
    j.how = "history";
    j.status = "historical-match";
    if (match.commit) j.commit = match.commit;
    return;
  }
  say(cap("error"), "hash-mismatch", `${differs}; no committed or staged version of ${file.rel} has the recorded digest`);
  j.outcome = "mismatched";
}
