/**
 * `runprov merge REPORT.json ...` (docs/contract.md, "Scale"): the JSON reports of the shards of
 * one run (`validate --shard I/N --format json`), joined into the report that one unsharded run
 * gives: results sorted by file, every count added up, the same exit code.
 *
 * Every report is checked before anything is joined, and anything that would make the merged
 * report differ from one run is a usage error (exit 2), never a guess:
 *
 * - each report is a regular file (the one opener: never a FIFO, at most 512 MiB) holding a
 *   `runprov` JSON report whose counts agree with its results;
 * - all were written by the same runprov version;
 * - shard reports (`"shard": {"index", "count"}`) are all of one N and each of 1..N is present
 *   exactly once; reports without shard metadata (separate runs over disjoint selections) may
 *   be merged too, but not mixed with shard reports;
 * - all applied a baseline, or none did;
 * - an artifact present in two reports (or twice in one) is refused: the selections overlapped;
 * - an empty union is the "no artifacts found" usage error of `validate` (a shard may be empty,
 *   the whole run may not), unless `allowEmpty`.
 *
 * Report files may lie anywhere (typically a CI job's download folder): they are the CI's own
 * outputs, not repository content, and nothing in them is executed or followed.
 */
import { readConfined, RefusedFile } from "./files/confined.js";
import { UsageError, type ArtifactResult, type BaselineSummary, type Report } from "./types.js";

/** A report file larger than this is refused. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;

export interface ReportInput {
  /** How messages name the report (its path as the user gave it). */
  name: string;
  /** The parsed JSON (any value: it is checked here). */
  report: unknown;
}

export interface MergeOptions {
  /** An empty union exits 0 instead of being a usage error (`--allow-empty`). */
  allowEmpty?: boolean;
}

/** Read and parse one report file (a regular file, no larger than MAX_REPORT_BYTES); usage errors name it. */
export function readReportFile(abs: string, name = abs): ReportInput {
  let text: string;
  try {
    text = readConfined(abs, undefined, MAX_REPORT_BYTES).toString("utf8");
  } catch (e) {
    throw new UsageError(`${name}: ${e instanceof RefusedFile ? e.message : (e as Error).message}`);
  }
  try {
    return { name, report: JSON.parse(text) as unknown };
  } catch {
    // (The parser's message quotes the file, which may hold anything: not repeated here.)
    throw new UsageError(`${name}: not a JSON report (it does not parse as JSON); write shard reports with --format json`);
  }
}

const SEVERITIES = new Set(["error", "warning", "info"]);
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

interface Checked {
  name: string;
  report: Report;
}

/** A runprov JSON report, checked field by field (what the renderers rely on). */
function checkReport(input: ReportInput): Checked {
  const bad = (why: string): never => {
    throw new UsageError(`${input.name}: not a runprov validate JSON report (${why})`);
  };
  const r = input.report;
  if (!isObj(r)) return bad("not an object");
  const tool = own(r, "tool");
  if (!isObj(tool) || own(tool, "name") !== "runprov" || typeof own(tool, "version") !== "string")
    return bad('"tool" must be {"name": "runprov", "version": ...}');
  const shard = own(r, "shard");
  if (shard !== undefined) {
    const index = isObj(shard) ? own(shard, "index") : undefined;
    const count = isObj(shard) ? own(shard, "count") : undefined;
    if (!isCount(index) || !isCount(count) || index < 1 || index > count) bad('"shard" must be {"index": I, "count": N} with 1 <= I <= N');
  }
  const s = own(r, "summary");
  if (!isObj(s)) return bad('no "summary"');
  for (const k of ["artifacts", "valid", "invalid", "skipped"]) if (!isCount(own(s, k))) bad(`summary.${k} must be a count`);
  const h = own(s, "hashes");
  if (!isObj(h) || !["verified", "mismatched", "unverified"].every((k) => isCount(own(h, k)))) bad("summary.hashes must hold three counts");
  const b = own(s, "baseline");
  if (b !== undefined && (!isObj(b) || !["applied", "stale", "entries"].every((k) => isCount(own(b, k))))) bad("summary.baseline must hold three counts");
  const results = own(r, "results");
  if (!Array.isArray(results)) return bad('no "results" array');
  let valid = 0;
  for (const [i, x] of results.entries()) {
    const where = `results[${i}]`;
    if (!isObj(x) || typeof own(x, "file") !== "string" || typeof own(x, "valid") !== "boolean") return bad(`${where} needs "file" and "valid"`);
    for (const k of ["family", "variant", "schema"]) {
      const v = own(x, k);
      if (v !== null && typeof v !== "string") bad(`${where}.${k} must be a string or null`);
    }
    const ds = own(x, "diagnostics");
    if (!Array.isArray(ds)) return bad(`${where}.diagnostics must be an array`);
    let errors = 0;
    for (const d of ds) {
      const fields = isObj(d) ? [own(d, "code"), own(d, "message"), own(d, "pointer")] : [];
      if (!isObj(d) || !SEVERITIES.has(own(d, "severity") as string) || !fields.every((f) => typeof f === "string")) {
        return bad(`${where} has a malformed diagnostic`);
      }
      for (const k of ["line", "column"])
        if (own(d, k) !== undefined && !(isCount(own(d, k)) && (own(d, k) as number) >= 1)) bad(`${where} has a malformed ${k}`);
      if (own(d, "severity") === "error") errors++;
    }
    if (own(x, "valid") !== (errors === 0)) bad(`${where}: "valid" disagrees with its diagnostics`);
    if (own(x, "valid")) valid++;
  }
  if (own(s, "artifacts") !== results.length || own(s, "valid") !== valid || own(s, "invalid") !== results.length - valid) {
    bad("the summary's counts disagree with its results");
  }
  return { name: input.name, report: r as unknown as Report };
}

/** The report of one unsharded run, from the reports of its shards (see the module comment). */
export function mergeReports(inputs: ReportInput[], options: MergeOptions = {}): Report {
  if (inputs.length === 0) throw new UsageError("runprov merge: name the JSON reports to merge");
  const checked = inputs.map(checkReport);
  const first = checked[0];

  const version = first.report.tool.version;
  for (const c of checked) {
    if (c.report.tool.version !== version) {
      throw new UsageError(`${c.name} was written by runprov ${c.report.tool.version}, ${first.name} by ${version}: merge reports of one run (one version)`);
    }
  }

  const sharded = checked.filter((c) => c.report.shard);
  if (sharded.length && sharded.length !== checked.length) {
    const plain = checked.find((c) => !c.report.shard)!;
    throw new UsageError(`${plain.name} is not a shard report but ${sharded[0].name} is: merge the N reports of one --shard I/N run`);
  }
  if (sharded.length) {
    const count = first.report.shard!.count;
    const seen = new Map<number, string>();
    for (const c of checked) {
      const s = c.report.shard!;
      if (s.count !== count)
        throw new UsageError(`${c.name} is shard ${s.index}/${s.count}, ${first.name} is of ${count}: merge the shards of one --shard I/N run`);
      const dup = seen.get(s.index);
      if (dup) throw new UsageError(`shard ${s.index}/${count} is given twice (${dup}, ${c.name})`);
      seen.set(s.index, c.name);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length) {
      const shown =
        missing
          .slice(0, 10)
          .map((i) => `${i}/${count}`)
          .join(", ") + (missing.length > 10 ? `, ... (${missing.length} in all)` : "");
      throw new UsageError(`shard report(s) missing: ${shown}; the merged report would not be that of one run`);
    }
  }

  const withBaseline = checked.filter((c) => c.report.summary.baseline);
  if (withBaseline.length && withBaseline.length !== checked.length) {
    const without = checked.find((c) => !c.report.summary.baseline)!;
    throw new UsageError(`${withBaseline[0].name} applied a baseline and ${without.name} did not: merge reports of one run (the same flags)`);
  }

  const owner = new Map<string, string>();
  const results: ArtifactResult[] = [];
  const hashes = { verified: 0, mismatched: 0, unverified: 0 };
  let skipped = 0;
  const baseline: BaselineSummary | undefined = withBaseline.length ? { applied: 0, stale: 0, entries: 0 } : undefined;
  for (const c of checked) {
    for (const r of c.report.results) {
      const other = owner.get(r.file);
      if (other !== undefined) {
        const where = other === c.name ? `twice in ${c.name}` : `in ${other} and ${c.name}`;
        throw new UsageError(`${r.file} is ${where}: an artifact must be in exactly one report (overlapping selections, or a shard given twice)`);
      }
      owner.set(r.file, c.name);
      results.push(r);
    }
    const s = c.report.summary;
    skipped += s.skipped;
    hashes.verified += s.hashes.verified;
    hashes.mismatched += s.hashes.mismatched;
    hashes.unverified += s.hashes.unverified;
    if (baseline && s.baseline) {
      baseline.applied += s.baseline.applied;
      baseline.stale += s.baseline.stale;
      baseline.entries += s.baseline.entries;
    }
  }
  if (results.length === 0 && !options.allowEmpty) {
    const why = skipped ? ` (${skipped} file(s) matched no artifact family)` : "";
    throw new UsageError(
      `no artifacts found in the ${checked.length} report(s)${why}; a check of nothing cannot pass (--allow-empty accepts an empty selection)`,
    );
  }
  // As validate() sorts (UTF-16 code units), so that the merged report is byte for byte the unsharded one.
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const valid = results.filter((r) => r.valid).length;
  const summary: Report["summary"] = { artifacts: results.length, valid, invalid: results.length - valid, skipped, hashes };
  if (baseline) summary.baseline = baseline;
  return { tool: { name: "runprov", version }, summary, results };
}
