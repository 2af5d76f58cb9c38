/**
 * SARIF 2.1.0 log: one run, one rule per diagnostic code (with help text), one result per
 * finding with a physical location (artifact URI relative to the `ROOT` uriBaseId, region
 * startLine/startColumn in Unicode code points). Checked by `sarif-multitool validate` in
 * test/e2e/sarif.test.ts. Typed with the SARIF 2.1.0 object model of @types/sarif.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { Severity } from "../types.js";
import type { FileFinding } from "../findings.js";
import type { CiRun } from "./model.js";
import { ruleDoc, type RuleDoc } from "./rules.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://www.npmjs.com/package/run-provenance";
export const ROOT_BASE_ID = "ROOT";

const LEVEL: Record<Severity, Sarif.Result.level> = { error: "error", warning: "warning", info: "note" };

/** A relative POSIX path as a relative URI reference (each segment percent-encoded). */
function relativeUri(rel: string): string {
  return rel
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

function isAbsolutePath(file: string): boolean {
  return path.posix.isAbsolute(file) || path.win32.isAbsolute(file);
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (isAbsolutePath(file)) return { uri: pathToFileURL(file).href };
  return { uri: relativeUri(file), uriBaseId: ROOT_BASE_ID };
}

function rootUri(root: string): string {
  const href = pathToFileURL(path.resolve(root)).href;
  return href.endsWith("/") ? href : href + "/";
}

function ruleObject(r: RuleDoc): Sarif.ReportingDescriptor {
  return {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.short },
    fullDescription: { text: r.help },
    help: { text: r.help, markdown: r.help },
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { tags: ["run-provenance"] },
  };
}

function resultMessage(f: FileFinding): string {
  // SARIF messages should be sentences ending in a period (SARIF2001 terseness checks aside).
  const m = f.message.trim() || f.code;
  return /[.!?]$/.test(m) ? m : m + ".";
}

export function buildSarif(run: CiRun): Sarif.Log {
  const rules: RuleDoc[] = [...run.rules];
  const ruleIndex = new Map<string, number>();
  rules.forEach((r, i) => ruleIndex.set(r.id, i));
  const ensureRule = (code: string): number => {
    let i = ruleIndex.get(code);
    if (i === undefined) {
      i = rules.length;
      rules.push(ruleDoc(code));
      ruleIndex.set(code, i);
    }
    return i;
  };

  const results: Sarif.Result[] = [];
  for (const c of run.cases) {
    for (const f of c.findings) {
      const idx = ensureRule(f.code);
      // A finding without a position (a parse error with no known offset) is about the whole
      // file: it is anchored at line 1, since validators and viewers expect a region.
      const region: Sarif.Region = { startLine: 1 };
      if (f.line !== undefined && f.line >= 1) {
        region.startLine = f.line;
        if (f.column !== undefined && f.column >= 1) region.startColumn = f.column;
      }
      const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifactLocation(f.file), region };
      const properties: Sarif.PropertyBag = { case: c.name };
      if (f.pointer !== undefined) properties.pointer = f.pointer;
      results.push({
        ruleId: f.code,
        ruleIndex: idx,
        level: LEVEL[f.severity],
        message: { text: resultMessage(f) },
        locations: [{ physicalLocation }],
        properties,
      });
    }
  }

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: run.tool.name,
            version: run.tool.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(run.tool.version) ? run.tool.version : undefined,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleObject),
          },
        },
        automationDetails: { id: `${run.suite.replace(/\s+/g, "/")}/` },
        originalUriBaseIds: { [ROOT_BASE_ID]: { uri: rootUri(run.root) } },
        columnKind: "unicodeCodePoints",
        invocations: [{ executionSuccessful: true }],
        results,
      },
    ],
  };
}

export function renderSarifRun(run: CiRun): string {
  return JSON.stringify(buildSarif(run), null, 2) + "\n";
}
