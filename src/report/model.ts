/**
 * A small format-neutral model shared by the CI formats (github, sarif, junit): a run is a list
 * of cases (one per artifact for `validate`, one per registry entry for the gate), each with
 * findings that name their file (src/findings.ts). `validate` reports and gate results are both
 * turned into it.
 */
import { inFile, type FileFinding } from "../findings.js";
import type { Report } from "../types.js";
import { validateRules, type RuleDoc } from "./rules.js";

export interface Case {
  /** Test-case name: the artifact's path, or the registry entry id. */
  name: string;
  /** JUnit classname: family/variant, or the gate's entry status. */
  classname: string;
  /** File the case is about. */
  file: string;
  passed: boolean;
  findings: FileFinding[];
}

export interface CiRun {
  tool: { name: string; version: string };
  /** Suite name, e.g. `runprov validate`. */
  suite: string;
  /** Absolute root that relative files are relative to. */
  root: string;
  cases: Case[];
  /** Rules (one per code) for SARIF; findings with other codes get a generic rule. */
  rules: RuleDoc[];
  /** One-line human summary. */
  summary: string;
  /** True when the run as a whole succeeded (exit code 0). */
  ok: boolean;
}

export function validateSummaryLine(report: Report): string {
  const s = report.summary;
  return (
    `${s.artifacts} artifact(s): ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped; ` +
    `hashes: ${s.hashes.verified} verified, ${s.hashes.mismatched} mismatched, ${s.hashes.unverified} unverified`
  );
}

/** The baseline's one-line count (absent when no baseline was applied): it shrinks as legacy files are fixed. */
export function baselineLine(report: Report): string | undefined {
  const b = report.summary.baseline;
  if (!b) return undefined;
  const stale = b.stale ? `; ${b.stale} stale (runprov baseline --prune drops them)` : "; 0 stale";
  return `baseline: ${b.entries} legacy artifact(s) listed, ${b.applied} error(s) accepted in this run${stale}`;
}

export function reportToCiRun(report: Report, root: string, quiet = false): CiRun {
  const cases: Case[] = [];
  for (const r of report.results) {
    if (quiet && r.valid) continue;
    const findings: FileFinding[] = [];
    for (const d of r.diagnostics) {
      if (quiet && d.severity !== "error") continue;
      findings.push(inFile(d, r.file));
    }
    cases.push({
      name: r.file,
      classname: r.family ? `${r.family}${r.variant ? `.${r.variant}` : ""}` : "unknown",
      file: r.file,
      passed: r.valid,
      findings,
    });
  }
  return {
    tool: { name: report.tool.name, version: report.tool.version },
    suite: "runprov validate",
    root,
    cases,
    rules: validateRules(),
    summary: validateSummaryLine(report),
    ok: report.summary.invalid === 0,
  };
}

/** `message` with the pointer appended, for formats that have no field of their own for it. */
export function messageWithPointer(f: FileFinding): string {
  return f.pointer ? `${f.message} (at ${f.pointer})` : f.message;
}
