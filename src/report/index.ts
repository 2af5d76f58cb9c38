/** Report stage: turns a Report into the bytes printed on stdout, per `--format` (the one list of formats). */
import type { Report } from "../types.js";
import { renderGithubRun } from "./github.js";
import { renderJson } from "./json.js";
import { renderJunitRun } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { reportToCiRun } from "./model.js";
import { renderSarifRun } from "./sarif.js";
import { renderText } from "./text.js";

export const REPORT_FORMATS = ["text", "json", "github", "sarif", "junit", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /**
   * Print only failing artifacts and their errors (text, github, sarif, junit, markdown; the
   * pinned JSON report is always complete).
   */
  quiet?: boolean;
  /** ANSI colours (text only): true only on a TTY without NO_COLOR. */
  color?: boolean;
  /** Absolute repository root the report's relative `file`s are relative to. */
  root: string;
  /** Source text of a reported file (for code frames), or undefined when unreadable. */
  readSource?: (file: string) => string | undefined;
}

export function renderReport(report: Report, format: ReportFormat, opts: RenderOptions): string {
  switch (format) {
    case "json":
      return renderJson(report);
    case "text":
      return renderText(report, opts);
    case "github":
      return renderGithubRun(reportToCiRun(report, opts.root, opts.quiet));
    case "sarif":
      return renderSarifRun(reportToCiRun(report, opts.root, opts.quiet));
    case "junit":
      return renderJunitRun(reportToCiRun(report, opts.root, opts.quiet));
    case "markdown":
      return renderMarkdown(report, opts);
    default: {
      const never: never = format;
      throw new Error(`unknown report format ${String(never)}`);
    }
  }
}

export { renderJson } from "./json.js";
export { renderText, codeFrame } from "./text.js";
export { renderGithubRun, escapeData, escapeProperty } from "./github.js";
export { renderSarifRun, buildSarif } from "./sarif.js";
export { renderJunitRun } from "./junit.js";
export { renderMarkdown } from "./markdown.js";
export { reportToCiRun, type CiRun, type Case } from "./model.js";
export { ruleDoc, validateRules, type RuleDoc } from "./rules.js";
