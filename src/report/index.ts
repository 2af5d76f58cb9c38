/** Report stage: turns a result into the bytes printed on stdout, per `--format` (the formats of every command: ./formats.ts). */
export {
  FORMATS,
  formatTable,
  renderReport,
  REPORT_FORMATS,
  VALIDATE_RENDERERS,
  type FormatCommand,
  type FormatTable,
  type RenderOptions,
  type Renderer,
  type ReportFormat,
} from "./formats.js";

export { renderJson } from "./json.js";
export { renderText, codeFrame } from "./text.js";
export { renderGithubRun, escapeData, escapeProperty } from "./github.js";
export { renderSarifRun, buildSarif } from "./sarif.js";
export { renderJunitRun } from "./junit.js";
export { renderMarkdown } from "./markdown.js";
export { reportToCiRun, type CiRun, type Case } from "./model.js";
export { ruleDoc, validateRules, type RuleDoc } from "./rules.js";
