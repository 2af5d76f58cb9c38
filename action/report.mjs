#!/usr/bin/env node
/**
 * Helper of the composite GitHub Action (../action.yml): renders the JSON report of one
 * `runprov validate` run as GitHub annotations (stdout) or as the Markdown job summary, with
 * the package's own renderers, so that annotations and summary always describe the same run.
 *
 *   node action/report.mjs github   REPORT.json EXIT_CODE STDERR_FILE [--quiet]
 *   node action/report.mjs markdown REPORT.json EXIT_CODE STDERR_FILE [--quiet]
 *
 * EXIT_CODE 0 or 1: REPORT.json holds the report. Anything else (2: a usage error such as a
 * missing path): no report; the first lines of runprov's stderr are shown instead.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { renderReport } = await import(path.join(here, "..", "dist", "index.js"));

const [format, reportFile, exitCode, stderrFile, ...flags] = process.argv.slice(2);
const quiet = flags.includes("--quiet");

function readText(file) {
  try {
    return file ? readFileSync(file, "utf8") : "";
  } catch {
    return "";
  }
}

/** runprov's own message for a run that produced no report (first lines, bounded). */
function failureMessage() {
  const text = readText(stderrFile).trim();
  const lines = text.split("\n").slice(0, 20).join("\n").slice(0, 4000);
  return lines || `runprov exited with code ${exitCode}`;
}

function escapeData(s) {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

let out;
if (exitCode === "0" || exitCode === "1") {
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  out = renderReport(report, format, { quiet, color: false, root: process.cwd() });
} else if (format === "github") {
  out = `::error title=runprov::${escapeData(failureMessage())}\n`;
} else {
  const message = failureMessage();
  const longest = Math.max(0, ...(message.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  out = `### ❌ runprov validate: FAIL (exit code ${Number(exitCode) || "unknown"})\n\nrunprov did not produce a report:\n\n${fence}text\n${message}\n${fence}\n`;
}
process.stdout.write(out);
