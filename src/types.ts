import type { Finding } from "./findings.js";
import type { Hasher } from "./hash/digest.js";
import type { GitHistory } from "./hash/git.js";

/**
 * Public result types. These are exactly the objects the pinned JSON report
 * (docs/contract.md, "Reports") prints, so the library API and `--format json`
 * can never disagree.
 */

export type Severity = "error" | "warning" | "info";

/** Diagnostic codes pinned by docs/contract.md. Add new ones, never rename. */
export const DIAGNOSTIC_CODES = [
  "parse-error",
  "non-standard-number",
  "duplicate-key",
  "unknown-family",
  "schema",
  "hash-mismatch",
  "historical-match",
  "file-missing",
  "local-only",
  "outside-root",
  "self-reference",
  "lfs-pointer",
  "uncovered-file",
  "legacy-no-provenance",
  "kind-changed",
  "inconsistent",
  // 1.1
  "unknown-key",
  "unreadable",
  "internal",
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/**
 * One entry of an artifact's `diagnostics`: a located finding (src/findings.ts) about the artifact's
 * own file, with a pinned code: `{severity, code, message, pointer, line?, column?, baselined?}`.
 */
export type Diagnostic = Omit<Finding<DiagnosticCode>, "file" | "atKey">;

export interface ArtifactResult {
  /** Path relative to the root (POSIX separators); absolute only when outside it. */
  file: string;
  /** Family name, or null when none could be determined. */
  family: string | null;
  /** Variant name within the family, or null. */
  variant: string | null;
  /** `$id` of the schema (or `$id#/$defs/<variant>`) the document was checked against. */
  schema: string | null;
  valid: boolean;
  diagnostics: Diagnostic[];
}

export interface HashSummary {
  /** Digests recomputed and found equal (in the working tree, an LFS oid or a git version). */
  verified: number;
  /** Digests that were compared and differ (every `hash-mismatch`). */
  mismatched: number;
  /** Digests that could not or must not be compared (missing, outside the root, stale by design). */
  unverified: number;
}

export interface Summary {
  artifacts: number;
  valid: number;
  invalid: number;
  /** Files met while walking directories that matched no family (and named ones, with `unknown: "skip"`). */
  skipped: number;
  hashes: HashSummary;
  /** Present when a baseline was applied. */
  baseline?: BaselineSummary;
}

export interface BaselineSummary {
  /** Errors reported as `info` because the baseline lists them. */
  applied: number;
  /** Baseline entries whose artifact changed or vanished (`runprov baseline --prune` drops them). */
  stale: number;
  /** Entries in the baseline: it shrinks as legacy artifacts are fixed. */
  entries: number;
}

export interface Report {
  tool: { name: "runprov"; version: string };
  /** Present in the report of a `--shard I/N` run (1-based index): what `runprov merge` checks. */
  shard?: { index: number; count: number };
  summary: Summary;
  results: ArtifactResult[];
}

export interface ValidateOptions {
  /** Repository root; default: git top level of `cwd`, else `cwd`. */
  root?: string;
  /** Working directory used to resolve relative paths and globs; default process.cwd(). */
  cwd?: string;
  /** Check every named file as this family. */
  family?: string;
  requireProvenance?: boolean;
  strictMissing?: boolean;
  strictJson?: boolean;
  strictDrift?: boolean;
  /** Schema checks only: no file is hashed. */
  noHash?: boolean;
  /** Parallel hashing workers; default: number of CPUs. */
  jobs?: number;
  /** Called with hashing progress (files and bytes done); used by the CLI's progress bar. */
  onHashProgress?: (p: HashProgress) => void;
  /** Called once per recorded digest that was judged (used by `runprov attest`). */
  onDigest?: (e: DigestEvent) => void;
  /** Called once per claim the hash stage judged, with or without a digest (used by `runprov trace` and `replay`). */
  onClaim?: (e: ClaimEvent) => void;
  /**
   * An empty selection (no artifact among the named paths, or in the walked tree) is a usage
   * error unless this is set: a gate that checked nothing must not pass.
   */
  allowEmpty?: boolean;
  /** Told about run-level problems that are not an artifact's (an unusable ignore pattern, git refusing the repository). */
  onWarning?: (message: string) => void;
  /**
   * What a named file that matches no family and carries no block gets (and a named model file
   * that nothing vouches for): an `unknown-family` error (default), a warning, or skipped.
   */
  unknown?: UnknownPolicy;
  /**
   * The baseline to apply: a file (relative to `cwd`), `false` for none; default
   * `<root>/.runprov-baseline.json` when it exists.
   */
  baseline?: string | false;
  /** Told the SHA-256 of every artifact file judged (what `runprov baseline` records). */
  onArtifactDigest?: (file: string, sha256: string) => void;
  /**
   * The persistent digest cache (`--cache`, `--cache-location DIR`): `true` for the default
   * location (`<git-dir>/runprov/`, else the user's cache directory), or a folder. Ignored with
   * `noHash` and with `shared` (the caller's hasher decides).
   */
  cache?: boolean | { location?: string };
  /**
   * Check only the `index`-th (1-based) of `count` deterministic parts of the selection
   * (`--shard I/N`); the report then carries `shard`, and an empty part is no usage error
   * (`runprov merge` applies that rule to the union).
   */
  shard?: { index: number; count: number };
  /**
   * For tools that validate several selections in one run (the registry-flip gate): one
   * hasher and one git history for all, so that each file is hashed once. The caller closes them.
   */
  shared?: SharedResources;
}

export const UNKNOWN_POLICIES = ["error", "warn", "skip"] as const;
export type UnknownPolicy = (typeof UNKNOWN_POLICIES)[number];

/** Resources one run shares between several `validate()` calls. */
export interface SharedResources {
  hasher: Hasher;
  git: GitHistory | undefined;
}

/** One recorded digest as the hash stage judged it. */
export interface DigestEvent {
  /** Artifact path as in the report (relative to the root). */
  file: string;
  /** Pointer of the claim in the artifact (the `sha256` value, or the descriptor). */
  pointer: string;
  /** Root-relative path of the file that was hashed, or the path as recorded when it was not read. */
  path: string;
  /** The recorded digest. */
  sha256: string;
  outcome: "verified" | "mismatched" | "unverified";
  /** How a `verified` digest was confirmed: the file's bytes now, its LFS oid, or git history. */
  how?: "working-tree" | "lfs" | "history";
}

/** What a claim is about, seen from the artifact that records it (`runprov trace`). */
export const CLAIM_ROLES = ["integrity", "output", "input", "entrypoint", "shared_trainer"] as const;
export type ClaimRole = (typeof CLAIM_ROLES)[number];

/**
 * The hash policy's judgement of one claim in one word (`runprov trace`): the digest matches the
 * file now (`verified`), matches a committed or staged version only (`historical-match`), differs
 * (`mismatched`), differs as the emitter's timing predicts (`stale-by-design`), names a file that
 * is absent or was recorded missing (`missing`), or could not or need not be compared
 * (`unverified`: no digest, local-only, outside the root, not a regular file).
 */
export const CLAIM_STATUSES = ["verified", "mismatched", "historical-match", "stale-by-design", "missing", "unverified"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** One claim (a descriptor or an integrity digest) as the hash stage judged it. */
export interface ClaimEvent {
  /** Artifact path as in the report (relative to the root). */
  file: string;
  /** Pointer of the claim (the `sha256` value, or the descriptor when it has no digest). */
  pointer: string;
  /** Readable name of the claim, e.g. `run_provenance.inputs.corpus` or `sha256 of onnx`. */
  label: string;
  role: ClaimRole;
  /** The path as recorded. */
  recorded: string;
  /** Root-relative path of the file that was read, or the path as recorded when it was not read. */
  path: string;
  /** The kind the descriptor records (`file` for integrity digests). */
  kind: "file" | "directory" | "missing";
  /** The recorded digest, when there is one. */
  sha256?: string;
  status: ClaimStatus;
  /** The most severe diagnostic the claim produced (absent: none). */
  severity?: Severity;
  /** Codes of the claim's diagnostics, in the order they were produced. */
  codes: DiagnosticCode[];
  /** Message of the most severe diagnostic. */
  message?: string;
  /** `historical-match` against a commit: that commit. */
  commit?: string;
  /** Position of `pointer` in the artifact. */
  line?: number;
  column?: number;
}

export interface HashProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** A usage problem (bad flag, unknown family, named path that does not exist): exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
