/**
 * Output of `runprov gate registry-flip` in every report format: text (one line per entry,
 * PASS/FAIL with every reason), json (the GateResult object), github, sarif and junit (one case
 * per entry, through the shared CI model of src/report), and markdown (a table of the failing
 * entries and their details, laid out like the validate report's).
 */
import pc from "picocolors";
import type { FileFinding } from "../findings.js";
import type { Case, CiRun } from "../report/model.js";
import { codeCell, escapeCell, escapeHtml, findingsTable, position, renderMarkdownDocument, severityCounts } from "../report/markdown.js";
import { gateRules } from "../report/rules.js";
import { clean } from "../report/text.js";
import type { GateEntry, GateResult } from "./result.js";

export interface GateRenderOptions {
  /** ANSI colours (text only). */
  color?: boolean;
  /** Text: list only failing entries (and gate problems). */
  quiet?: boolean;
  /** Markdown: the lineage of each checked entry as a Mermaid graph, by entry id (see src/lineage/gate.ts). */
  lineage?: Map<string, string>;
}

function baseLabel(r: GateResult): string {
  const b = r.base;
  if (b.kind === "git") return `${b.ref} (${b.commit?.slice(0, 12)})${b.found ? "" : ", where it does not exist"}`;
  if (b.kind === "file") return b.file ?? "";
  return "nothing (no --base/--before: every production entry is checked)";
}

export function gateSummaryLine(r: GateResult): string {
  const s = r.summary;
  const verdict = r.pass ? "PASS" : "FAIL";
  let why: string;
  if (!r.pass && s.failed > 0) why = `: ${s.failed} of ${s.checked} checked entr${s.checked === 1 ? "y" : "ies"} failed`;
  else if (!r.pass) why = ": the registry could not be checked";
  else if (s.checked === 0) why = r.registryChanged ? ": no entry was promoted or changed" : ": the registry did not change";
  else why = `: ${s.checked} checked entr${s.checked === 1 ? "y" : "ies"} passed`;
  return `registry-flip ${verdict}${why} (${s.promoted} promoted, ${s.changed} changed, ${s.unchanged} unchanged, ` + `${s.smoke} smoke, ${s.removed} removed)`;
}

function findingText(f: FileFinding): string {
  const where = `${f.file}${f.line !== undefined ? `:${f.line}:${f.column ?? 1}` : ""}`;
  return `${clean(where)} ${f.code} ${clean(f.message)}${f.pointer ? ` [pointer ${clean(f.pointer)}]` : ""}`;
}

export function renderGateText(r: GateResult, opts: GateRenderOptions = {}): string {
  const c = pc.createColors(!!opts.color);
  const out: string[] = [];
  out.push(c.bold(`registry-flip: ${clean(r.registry)} against ${clean(baseLabel(r))}`));
  for (const p of r.problems) {
    const sev = p.severity === "error" ? c.red("error") : c.yellow(p.severity);
    out.push(`  ${sev} ${findingText(p)}`);
  }
  const order: Record<GateEntry["status"], number> = { promoted: 0, changed: 1, unchanged: 2, smoke: 3, removed: 4 };
  const entries = [...r.entries].sort((a, b) => order[a.status] - order[b.status] || (a.index ?? 1e9) - (b.index ?? 1e9));
  for (const e of entries) {
    if (opts.quiet && e.pass) continue;
    const status = e.status.padEnd(9);
    if (!e.checked) {
      out.push(`${c.dim("-   ")} ${status} ${clean(e.id)} ${c.dim("(not checked)")}`);
      continue;
    }
    const head = e.pass ? c.green("PASS") : c.red(c.bold("FAIL"));
    const what = [e.onnx, e.sidecar].filter(Boolean).join(", ");
    out.push(`${head} ${status} ${clean(e.id)}${what ? c.dim(` (${clean(what)})`) : ""}`);
    for (const f of e.reasons) out.push(`       ${c.red("reason")}  ${findingText(f)}`);
    if (!opts.quiet) for (const f of e.warnings) out.push(`       ${f.severity === "warning" ? c.yellow("warning") : c.blue("note")} ${findingText(f)}`);
  }
  const line = gateSummaryLine(r);
  out.push(r.pass ? c.green(line) : c.red(line));
  return out.join("\n") + "\n";
}

export function gateToCiRun(r: GateResult): CiRun {
  const cases: Case[] = [];
  if (r.problems.length > 0) {
    cases.push({
      name: r.registry,
      classname: "registry-flip.registry",
      file: r.registry,
      passed: !r.problems.some((p) => p.severity === "error"),
      findings: r.problems,
    });
  }
  for (const e of r.entries) {
    cases.push({
      name: e.id,
      classname: `registry-flip.${e.status}`,
      file: e.sidecar ?? r.registry,
      passed: e.pass,
      findings: [...e.reasons, ...e.warnings],
    });
  }
  return {
    tool: r.tool,
    suite: "runprov gate registry-flip",
    root: r.root,
    cases,
    rules: gateRules(),
    summary: gateSummaryLine(r),
    ok: r.pass,
  };
}

/** Markdown for job summaries and pull-request comments (see src/report/markdown.ts). */
export function renderGateMarkdown(r: GateResult, opts: GateRenderOptions = {}): string {
  const failing = r.entries.filter((e) => e.checked && !e.pass);
  const registryFailed = r.problems.some((p) => p.severity === "error");
  const failures: { name: string; label: string; findings: FileFinding[] }[] = [];
  if (r.problems.length > 0 && registryFailed) failures.push({ name: r.registry, label: "registry", findings: r.problems });
  for (const e of failing) failures.push({ name: e.id, label: e.status, findings: opts.quiet ? e.reasons : [...e.reasons, ...e.warnings] });
  const s = r.summary;
  return renderMarkdownDocument({
    title: "runprov gate registry-flip",
    ok: r.pass,
    summaryLine: gateSummaryLine(r),
    preamble: [`Registry ${codeCell(r.registry)} against ${escapeCell(baseLabel(r))}; ${s.checked} of ${s.entries} entries checked.`],
    header: ["entry", "status", "file", "first reason", "line"],
    rows: failures.map((f) => {
      const first = f.findings.find((x) => x.severity === "error") ?? f.findings[0];
      return {
        cells: [
          codeCell(f.name),
          escapeCell(f.label),
          first ? codeCell(first.file) : "",
          first ? `${codeCell(first.code)} ${escapeCell(first.message)}` : "",
          first ? position(first.line, first.column) : "",
        ],
      };
    }),
    details: failures.map((f) => ({
      summary: `<code>${escapeHtml(f.name)}</code> (${escapeHtml(f.label)}): ${severityCounts(f.findings.map((x) => x.severity))}`,
      body: findingsTable(f.findings, true),
    })),
    allPassed: s.checked === 0 ? "No entry was promoted or changed." : "Every promoted or changed entry passes.",
    // The evidence of a flip as one picture per checked entry: what vouches for its ONNX, back to the corpus.
    appendix: r.entries
      .filter((e) => e.checked && opts.lineage?.has(e.id))
      .map((e) => ({
        summary: `Lineage of <code>${escapeHtml(e.id)}</code> (${escapeHtml(e.status)}, ${e.pass ? "passes" : "fails"})`,
        body: ["```mermaid", opts.lineage!.get(e.id)!.trimEnd(), "```"].join("\n"),
      })),
  });
}
