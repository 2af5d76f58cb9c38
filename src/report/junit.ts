/**
 * JUnit XML: one <testsuite>, one <testcase> per case (artifact or registry entry), one
 * <failure> per error (type = code, message = the diagnostic), warnings and infos in
 * <system-out>. Read by GitLab, Jenkins, Azure and most CI dashboards.
 */
import { createRequire } from "node:module";
import type { FileFinding } from "../findings.js";
import type { CiRun } from "./model.js";

// Loaded on first use: most runs never print JUnit, and start-up time matters in a pre-commit hook.
const requireCjs = createRequire(import.meta.url);
function xmlbuilder(): typeof import("xmlbuilder2") {
  return requireCjs("xmlbuilder2") as typeof import("xmlbuilder2");
}

/** Characters XML 1.0 cannot carry at all are replaced (a message may quote hostile input). */
function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  return s.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD");
}

function where(f: FileFinding): string {
  let w = f.file;
  if (f.line !== undefined) w += `:${f.line}${f.column !== undefined ? `:${f.column}` : ""}`;
  return w;
}

function findingLine(f: FileFinding): string {
  return `${where(f)} ${f.severity} ${f.code}: ${f.message}${f.pointer ? ` [${f.pointer}]` : ""}`;
}

export function renderJunitRun(run: CiRun): string {
  const tests = run.cases.length;
  let failures = 0;
  for (const c of run.cases) failures += c.findings.filter((f) => f.severity === "error").length;
  const failedCases = run.cases.filter((c) => !c.passed).length;
  const timestamp = new Date().toISOString().replace(/\.\d+Z$/, "");

  const doc = xmlbuilder().create({ version: "1.0", encoding: "UTF-8" });
  const suites = doc.ele("testsuites", {
    name: xmlSafe(run.suite),
    tests: String(tests),
    failures: String(failedCases),
    errors: "0",
    time: "0",
  });
  const suite = suites.ele("testsuite", {
    name: xmlSafe(run.suite),
    tests: String(tests),
    failures: String(failedCases),
    errors: "0",
    skipped: "0",
    time: "0",
    timestamp,
  });
  const props = suite.ele("properties");
  props.ele("property", { name: "tool", value: xmlSafe(`${run.tool.name} ${run.tool.version}`) });
  props.ele("property", { name: "root", value: xmlSafe(run.root) });
  props.ele("property", { name: "errors", value: String(failures) });

  for (const c of run.cases) {
    const tc = suite.ele("testcase", {
      name: xmlSafe(c.name),
      classname: xmlSafe(c.classname),
      file: xmlSafe(c.file),
      time: "0",
    });
    const errors = c.findings.filter((f) => f.severity === "error");
    for (const f of errors) {
      tc.ele("failure", { message: xmlSafe(`${f.code}: ${f.message}`), type: xmlSafe(f.code) }).txt(xmlSafe(findingLine(f)));
    }
    if (!c.passed && errors.length === 0) {
      // A failing case always shows as failed, even when its reason is not an error finding.
      tc.ele("failure", { message: "failed", type: "failed" }).txt(xmlSafe(`${c.file}: failed`));
    }
    const others = c.findings.filter((f) => f.severity !== "error");
    if (others.length > 0) tc.ele("system-out").txt(xmlSafe(others.map(findingLine).join("\n")));
  }
  return doc.end({ prettyPrint: true }) + "\n";
}
