/**
 * The baseline ratchet (docs/contract.md, "Adoption"): a committed file that lists, per
 * artifact with errors, the sha256 of the artifact file and its error codes with counts, so a
 * team can switch a rule such as `--require-provenance` on with legacy files in place.
 *
 *   {
 *     "version": 1,
 *     "artifacts": {
 *       "model/tiny/fr_regressor_v1.json": {"sha256": "<of the file>", "errors": {"legacy-no-provenance": 1}}
 *     }
 *   }
 *
 * `validate` reports a listed error (same code, within its count, in an artifact whose bytes
 * still hash to the listed digest) as severity `info` with `"baselined": true`. Any change to
 * the artifact file voids all of its entries: touching a legacy sidecar requires provenance
 * again. Entries whose file changed or vanished are stale; `runprov baseline --prune` drops
 * them. The file is written sorted and stable, so that its diff in review says what changed.
 * Prior art: ESLint's bulk suppressions file, detect-secrets' `.secrets.baseline`.
 */
import { createHash } from "node:crypto";
import { writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { readConfined, RefusedFile } from "../files/confined.js";
import { SHA256_RE } from "../hash/verify.js";
import { isObject, own } from "../load/json-value.js";
import { parseJson } from "../load/parse.js";
import { UsageError, type ArtifactResult } from "../types.js";

export const BASELINE_FILE = ".runprov-baseline.json";
const MAX_BASELINE_BYTES = 16 * 1024 * 1024;
const ARTIFACT_DIGEST_BYTES = 64 * 1024 * 1024;

export interface BaselineEntry {
  /** SHA-256 of the artifact file's bytes when it was baselined. */
  sha256: string;
  /** Error codes and how many of each were accepted. */
  errors: Record<string, number>;
}

export interface Baseline {
  /** Where it was read from (absolute), or undefined for a new one. */
  file?: string;
  artifacts: Map<string, BaselineEntry>;
}

/**
 * Codes a baseline may accept: findings about the artifact's own bytes, which the artifact's
 * digest pins. A finding that depends on another file (`hash-mismatch`, `file-missing`,
 * `kind-changed`, `unreadable`) is never accepted: that file can change while the artifact does
 * not, and a tampered model behind a baselined sidecar must still fail. Nor is `internal`.
 */
export const BASELINE_CODES: ReadonlySet<string> = new Set([
  "parse-error",
  "non-standard-number",
  "duplicate-key",
  "unknown-family",
  "schema",
  "legacy-no-provenance",
  "inconsistent",
  "unknown-key",
]);

/**
 * Read a baseline file (a regular file inside the root); a malformed one is a usage error.
 * `optional`: a file that does not exist is no baseline (undefined).
 */
export function readBaseline(abs: string, root: string, optional = false): Baseline | undefined {
  const shown = displayName(abs, root);
  let text: string;
  try {
    text = readConfined(abs, root, MAX_BASELINE_BYTES).toString("utf8");
  } catch (e) {
    if (optional && e instanceof RefusedFile && e.reason === "missing") return undefined;
    throw new UsageError(`${shown}: ${e instanceof RefusedFile ? e.message : (e as Error).message}`);
  }
  const parsed = parseJson(text);
  const bad = (why: string): never => {
    throw new UsageError(`${shown}: not a runprov baseline (${why}); regenerate it with runprov baseline`);
  };
  if (!parsed.ok) return bad(parsed.message);
  const doc = parsed.value;
  if (!isObject(doc) || own(doc, "version") !== 1) return bad('expected {"version": 1, "artifacts": {...}}');
  const artifacts = own(doc, "artifacts");
  if (!isObject(artifacts)) return bad('"artifacts" must be an object');
  const out = new Map<string, BaselineEntry>();
  for (const file of Object.keys(artifacts)) {
    const e = artifacts[file];
    const sha = isObject(e) ? own(e, "sha256") : undefined;
    const errors = isObject(e) ? own(e, "errors") : undefined;
    if (typeof sha !== "string" || !SHA256_RE.test(sha) || !isObject(errors)) return bad(`entry ${JSON.stringify(file)} needs "sha256" and "errors"`);
    const counts: Record<string, number> = {};
    for (const code of Object.keys(errors)) {
      const n = errors[code];
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return bad(`entry ${JSON.stringify(file)}: count of ${code} must be a positive integer`);
      counts[code] = n;
    }
    out.set(file, { sha256: sha, errors: counts });
  }
  return { file: abs, artifacts: out };
}

/** The baseline a run applies: `--baseline FILE`, else `<root>/.runprov-baseline.json` when it exists. */
export function loadRunBaseline(option: string | false | undefined, root: string, cwd: string): Baseline | undefined {
  if (option === false) return undefined;
  if (option !== undefined) return readBaseline(path.resolve(cwd, option), root);
  // No baseline file is the normal case; anything else about it is the user's to fix.
  return readBaseline(path.join(root, BASELINE_FILE), root, true);
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Apply the baseline to one result (in place): listed errors become `info` with
 * `baselined: true`. Returns how many were applied, and whether the entry is stale.
 */
export function applyBaseline(baseline: Baseline, result: ArtifactResult, artifactSha256: string | undefined): { applied: number; stale: boolean } {
  const entry = baseline.artifacts.get(result.file);
  if (!entry) return { applied: 0, stale: false };
  if (artifactSha256 === undefined || artifactSha256 !== entry.sha256) return { applied: 0, stale: true };
  const left = { ...entry.errors };
  let applied = 0;
  for (const d of result.diagnostics) {
    if (d.severity !== "error" || !left[d.code] || !BASELINE_CODES.has(d.code)) continue;
    left[d.code]--;
    d.severity = "info";
    d.baselined = true;
    d.message = `${d.message} (accepted by the baseline)`;
    applied++;
  }
  result.valid = !result.diagnostics.some((d) => d.severity === "error");
  return { applied, stale: false };
}

/** Whether an entry outside the run's results is stale: its file vanished or changed. */
export function entryIsStale(file: string, entry: BaselineEntry, root: string): boolean {
  try {
    return sha256Of(readConfined(path.join(root, ...file.split("/")), root, ARTIFACT_DIGEST_BYTES)) !== entry.sha256;
  } catch {
    return true;
  }
}

/**
 * Entries for the artifacts of a run that have errors (what `runprov baseline` records), and how
 * many errors could not be recorded (codes outside BASELINE_CODES: they keep failing).
 */
export function entriesOf(results: ArtifactResult[], digests: Map<string, string>): { entries: Map<string, BaselineEntry>; refused: number } {
  const entries = new Map<string, BaselineEntry>();
  let refused = 0;
  for (const r of results) {
    const errors: Record<string, number> = {};
    for (const d of r.diagnostics) {
      if (d.severity !== "error") continue;
      if (BASELINE_CODES.has(d.code)) errors[d.code] = (errors[d.code] ?? 0) + 1;
      else refused++;
    }
    const sha = digests.get(r.file);
    if (Object.keys(errors).length && sha) entries.set(r.file, { sha256: sha, errors });
  }
  return { entries, refused };
}

/** The file's text: sorted keys, two-space indent, trailing newline (stable for review). */
export function baselineText(artifacts: Map<string, BaselineEntry>): string {
  const sorted: Record<string, BaselineEntry> = {};
  for (const file of [...artifacts.keys()].sort()) {
    const e = artifacts.get(file)!;
    const errors: Record<string, number> = {};
    for (const code of Object.keys(e.errors).sort()) errors[code] = e.errors[code];
    sorted[file] = { sha256: e.sha256, errors };
  }
  return `${JSON.stringify({ version: 1, artifacts: sorted }, null, 2)}\n`;
}

/** Write atomically (a temporary file renamed over the target). */
export function writeBaseline(abs: string, artifacts: Map<string, BaselineEntry>): void {
  const tmp = `${abs}.${process.pid}.tmp`;
  writeFileSync(tmp, baselineText(artifacts));
  renameSync(tmp, abs);
}

function displayName(abs: string, root: string): string {
  const rel = path.relative(root, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : abs;
}
