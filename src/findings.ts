/**
 * One type for "a problem found", from every stage to every reporter.
 *
 * The load, schema, block, family-rule and verify stages and the registry-flip gate's checks each
 * produce `Finding`s that point into the document they judged (an RFC 6901 JSON Pointer); `locate`
 * attaches the line and column of that pointer, the one place where positions are attached
 * (`at()` in src/pipeline.ts for an artifact's own findings, the gate for the files it reads).
 * The public `Diagnostic` of the pinned JSON report is a located Finding about the artifact's own
 * file (no `file` of its own); the report formats take Findings that name their file.
 *
 * Keys are written in one order (severity, code, message, file, pointer, line, column,
 * baselined): the JSON reports print objects as they are built.
 */
import type { DiagnosticCode, Severity } from "./types.js";

/** Codes the registry-flip gate adds to the pinned diagnostic codes (docs/contract.md; documented for SARIF in src/report/rules.ts). */
export const GATE_CODES = [
  "registry-unreadable",
  "registry-row",
  "registry-invalid",
  "onnx-missing",
  "int8-missing",
  "sidecar-missing",
  "registry-disagrees",
  "verdict-missing",
  "verdict-hold",
] as const;
export type GateCode = (typeof GATE_CODES)[number];

/** Every code a finding can carry: the pinned diagnostic codes and the gate's. */
export type FindingCode = DiagnosticCode | GateCode;

export interface Finding<C extends string = FindingCode> {
  severity: Severity;
  code: C;
  message: string;
  /**
   * The file the finding is about: relative to the root with POSIX separators, absolute only
   * outside it. Absent where the file goes without saying (an artifact's own diagnostics, listed
   * under its `ArtifactResult.file`).
   */
  file?: string;
  /** RFC 6901 JSON Pointer into the file ("" is the whole document). */
  pointer: string;
  /** 1-based line of the value at `pointer`; omitted only for parse errors without a position. */
  line?: number;
  /** 1-based column (in characters) of the value at `pointer`. */
  column?: number;
  /** Set when the error is listed in the baseline and therefore reported as `info`. */
  baselined?: true;
  /** Before `locate`: position it at the value's key rather than the value (a key that is not allowed). Never printed. */
  atKey?: boolean;
}

/**
 * What a family's cross-field rule finds (`FamilySpec.consistency`): a finding without its code,
 * which is always `inconsistent`, pointing at the value that breaks the rule; severity `error`
 * unless the rule says otherwise.
 */
export type RuleViolation = Pick<Finding, "pointer" | "message"> & { severity?: Severity };

/** A finding that names its file: what the gate reports and the CI formats print. */
export type FileFinding<C extends string = FindingCode> = Finding<C> & { file: string };

/** What can tell where a pointer is: a parsed document (`LoadedDocument`). */
export interface Locator {
  locate(pointer: string, preferKey?: boolean): { line: number; column: number };
}

/**
 * `f` with the line and column of its pointer in `doc` (at the key when `atKey` is set), in the
 * report's key order; without a document, `f` as it is (no position). `atKey` is dropped.
 */
export function locate<C extends string>(f: FileFinding<C>, doc: Locator | undefined): FileFinding<C>;
export function locate<C extends string>(f: Finding<C>, doc: Locator | undefined): Finding<C>;
export function locate<C extends string>(f: Finding<C>, doc: Locator | undefined): Finding<C> {
  const out: Finding<C> =
    f.file === undefined
      ? { severity: f.severity, code: f.code, message: f.message, pointer: f.pointer }
      : { severity: f.severity, code: f.code, message: f.message, file: f.file, pointer: f.pointer };
  if (doc) {
    const pos = doc.locate(f.pointer, f.atKey);
    out.line = pos.line;
    out.column = pos.column;
  }
  return out;
}

/** A finding about `file` (an artifact's diagnostic, as the gate and the CI formats list it). */
export function inFile<C extends string>(f: Finding<C>, file: string): FileFinding<C> {
  return { severity: f.severity, code: f.code, message: f.message, file, pointer: f.pointer, line: f.line, column: f.column };
}
