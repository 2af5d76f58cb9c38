/**
 * GitHub-flavoured Markdown, for job summaries (`$GITHUB_STEP_SUMMARY`) and pull-request
 * comments: a heading with the verdict, the summary line of the text report, a table of what
 * failed (file, family, first error with line:column), and the details of each failure in a
 * collapsible `<details>` section.
 *
 * Everything printed comes from files under review (names, messages, pointers) and may be
 * hostile: text is escaped for the context it lands in, so that no value can close a table
 * cell, open a link, inject HTML, or end a code span. GitHub refuses a job summary over 1 MiB;
 * the output stays under a budget, dropping details sections (and saying how many) before
 * table rows.
 */
import type { Finding } from "../findings.js";
import type { Diagnostic, Report, Severity } from "../types.js";
import type { RenderOptions } from "./formats.js";
import { baselineLine, validateSummaryLine } from "./model.js";

/** Upper bound of the rendered text (GitHub's job summary limit is 1 MiB per step). */
export const MARKDOWN_BUDGET = 900 * 1024;

/** Control characters (and line breaks) as visible escapes: one line per value, always. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it escapes
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Text in HTML context (`<summary>`, `<code>`): entities for the HTML-significant characters. */
export function escapeHtml(s: string): string {
  return oneLine(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The characters Markdown acts on inline in a table cell: emphasis, code spans, links, images, strikethrough. */
const INLINE_ACTIVE = /[\\`*_[\]~]/g;

/**
 * One line of prose in Markdown (a table cell, a paragraph): a backslash before every character
 * in `active`, HTML entities for `<`, `>` and `&` (no tag, no entity from data), and the cell
 * separator `|` escaped as GFM requires.
 */
export function markdownText(line: string, active: RegExp = INLINE_ACTIVE): string {
  return line.replace(active, "\\$&").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|");
}

/**
 * One line of literal text (a path, a pointer, a code) as an inline code span inside a table
 * cell: the fence is longer than any run of backticks inside, padded when the text starts or ends
 * with a backtick or a space, and `|` escaped (GFM splits cells before it parses code spans).
 */
export function codeSpan(line: string): string {
  if (line === "") return "";
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(line) ? " " : "";
  return `${fence}${pad}${line.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** Prose inside a Markdown table cell (see `markdownText`). */
export function escapeCell(s: string): string {
  return markdownText(oneLine(s));
}

/** A literal inside a Markdown table cell (see `codeSpan`). */
export function codeCell(s: string): string {
  return codeSpan(oneLine(s));
}

export interface MarkdownRow {
  /** Cells, already escaped. */
  cells: string[];
}

export interface MarkdownDetails {
  /** Summary line of the section, already HTML-escaped. */
  summary: string;
  /** Body: Markdown, already escaped. */
  body: string;
}

export interface MarkdownDocument {
  title: string;
  ok: boolean;
  summaryLine: string;
  /** Lines between the summary and the table (already escaped). */
  preamble?: string[];
  /** Table header (plain words) and rows of what failed; no table when there are no rows. */
  header: string[];
  rows: MarkdownRow[];
  /** One collapsible section per failure. */
  details: MarkdownDetails[];
  /** Said when nothing failed. */
  allPassed: string;
  /** Collapsible sections shown whatever the outcome, after the failures (the gate's lineage graphs). */
  appendix?: MarkdownDetails[];
}

function tableLines(header: string[], rows: MarkdownRow[]): string[] {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.cells.join(" | ")} |`)];
}

/** Lay out a document within MARKDOWN_BUDGET bytes. */
export function renderMarkdownDocument(doc: MarkdownDocument, budget = MARKDOWN_BUDGET): string {
  const head: string[] = [`### ${doc.ok ? "✅" : "❌"} ${escapeCell(doc.title)}: ${doc.ok ? "PASS" : "FAIL"}`, "", escapeCell(doc.summaryLine), ""];
  if (doc.preamble?.length) head.push(...doc.preamble, "");
  const size = (lines: string[]) => Buffer.byteLength(lines.join("\n")) + 1;
  if (doc.rows.length === 0) {
    head.push(escapeCell(doc.allPassed), "");
    return [...head, ...sections(doc.appendix ?? [], budget - size(head), budget, "Lineage of")].join("\n");
  }
  let used = size(head);
  const out = [...head];
  // Table rows first (each one line); what does not fit is counted.
  const table = tableLines(doc.header, []);
  used += size(table);
  let shownRows = 0;
  for (const r of doc.rows) {
    const line = tableLines(doc.header, [r])[2];
    const cost = Buffer.byteLength(line) + 1;
    if (used + cost > budget) break;
    table.push(line);
    used += cost;
    shownRows++;
  }
  out.push(...table, "");
  if (shownRows < doc.rows.length) out.push(`${doc.rows.length - shownRows} more not shown (the report is limited to ${Math.round(budget / 1024)} KiB).`, "");
  const details = sections(doc.details, budget - used, budget, "Details of");
  out.push(...details);
  used += size(details);
  out.push(...sections(doc.appendix ?? [], budget - used, budget, "Lineage of"));
  return out.join("\n");
}

/** Collapsible sections within `room` bytes; what does not fit is counted in one line. */
function sections(list: MarkdownDetails[], room: number, budget: number, what: string): string[] {
  const out: string[] = [];
  let used = 0;
  let shown = 0;
  for (const d of list) {
    const section = [`<details><summary>${d.summary}</summary>`, "", d.body, "", "</details>", ""];
    const cost = Buffer.byteLength(section.join("\n")) + 1;
    if (used + cost > room - 200) break;
    out.push(...section);
    used += cost;
    shown++;
  }
  if (shown < list.length) {
    out.push(
      `${what} ${list.length - shown} more not shown (the report is limited to ${Math.round(budget / 1024)} KiB); \`--format json\` has everything.`,
      "",
    );
  }
  return out;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function position(line?: number, column?: number): string {
  return line !== undefined ? `${line}:${column ?? 1}` : "";
}

/** `counts` of a list of severities: "2 errors, 1 warning". */
export function severityCounts(severities: Severity[]): string {
  const n = (s: Severity) => severities.filter((x) => x === s).length;
  const parts: string[] = [];
  const e = n("error");
  const w = n("warning");
  const i = n("info");
  if (e) parts.push(`${e} error${e === 1 ? "" : "s"}`);
  if (w) parts.push(`${w} warning${w === 1 ? "" : "s"}`);
  if (i) parts.push(`${i} note${i === 1 ? "" : "s"}`);
  return parts.join(", ") || "no findings";
}

/** The details table of one failure: every finding, errors first, in their original order otherwise (a finding from a library caller may lack its pointer). */
export function findingsTable(findings: Finding[], withFile: boolean): string {
  const sorted = findings.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i);
  const header = withFile ? ["severity", "code", "file", "line", "message", "pointer"] : ["severity", "code", "line", "message", "pointer"];
  const rows = sorted.map(({ f }) => ({
    cells: [
      f.severity,
      codeCell(f.code),
      ...(withFile ? [codeCell(f.file ?? "")] : []),
      position(f.line, f.column),
      escapeCell(f.message),
      codeCell(f.pointer ?? ""),
    ],
  }));
  return tableLines(header, rows).join("\n");
}

function familyLabel(family: string | null, variant: string | null): string {
  return family ? `${family}${variant ? `/${variant}` : ""}` : "unknown";
}

/** `runprov validate --format markdown`. `quiet`: the details list errors only. */
export function renderMarkdown(report: Report, opts: Pick<RenderOptions, "quiet"> = {}): string {
  const failed = report.results.filter((r) => !r.valid);
  const firstError = (ds: Diagnostic[]) => ds.find((d) => d.severity === "error");
  const baseline = baselineLine(report);
  return renderMarkdownDocument({
    title: "runprov validate",
    ok: report.summary.invalid === 0,
    summaryLine: validateSummaryLine(report),
    preamble: baseline ? [escapeCell(baseline)] : undefined,
    header: ["file", "family", "first error", "line"],
    rows: failed.map((r) => {
      const e = firstError(r.diagnostics);
      return {
        cells: [
          codeCell(r.file),
          escapeCell(familyLabel(r.family, r.variant)),
          e ? `${codeCell(e.code)} ${escapeCell(e.message)}` : "",
          e ? position(e.line, e.column) : "",
        ],
      };
    }),
    details: failed.map((r) => {
      const shown = opts.quiet ? r.diagnostics.filter((d) => d.severity === "error") : r.diagnostics;
      return {
        summary: `<code>${escapeHtml(r.file)}</code> (${escapeHtml(familyLabel(r.family, r.variant))}): ${severityCounts(shown.map((d) => d.severity))}`,
        body: findingsTable(shown, false),
      };
    }),
    allPassed: report.summary.artifacts === 0 ? "No artifact was checked." : "Every artifact is valid.",
  });
}
