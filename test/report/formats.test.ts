/** Report formats: text (code frames, quiet, colours), github, sarif, junit. */
import { describe, expect, it } from "vitest";
import { codeFrame, renderText } from "../../src/report/text.js";
import { escapeData, escapeProperty } from "../../src/report/github.js";
import { renderReport } from "../../src/report/index.js";
import type { Report } from "../../src/types.js";

const SIDE = `{
  "id": "x",
  "onnx": "x.onnx",
  "sha256": "57b2b7e0c62e84e3238b266e423e2008da76ec12ce957c173b2bbed11c65eb78"
}
`;

function report(): Report {
  return {
    tool: { name: "runprov", version: "1.2.3" },
    summary: { artifacts: 3, valid: 2, invalid: 1, skipped: 0, hashes: { verified: 7, mismatched: 1, unverified: 2 } },
    results: [
      {
        file: "model/tiny/x.json",
        family: "model-sidecar",
        variant: "vmaf-tiny",
        schema: "https://run-provenance.dev/schema/v1/model-sidecar.schema.json",
        valid: false,
        diagnostics: [
          {
            severity: "error",
            code: "hash-mismatch",
            message: "sha256 of onnx: sha256 differs from model/tiny/x.onnx (recorded 57b2..., found 08ab...)",
            pointer: "/sha256",
            line: 4,
            column: 13,
          },
          { severity: "warning", code: "legacy-no-provenance", message: "no run_provenance block", pointer: "", line: 1, column: 1 },
          { severity: "info", code: "file-missing", message: "a, b: c%\nd", pointer: "/onnx", line: 3, column: 11 },
        ],
      },
      { file: "model/tiny/ok.json", family: "model-sidecar", variant: null, schema: null, valid: true, diagnostics: [] },
      {
        file: "model/weird name,%.json",
        family: null,
        variant: null,
        schema: null,
        valid: true,
        diagnostics: [{ severity: "warning", code: "non-standard-number", message: "NaN", pointer: "/a", line: 2, column: 8 }],
      },
    ],
  };
}

const opts = { root: "/repo", readSource: (f: string) => (f === "model/tiny/x.json" ? SIDE : undefined) };

describe("text", () => {
  it("prints file:line:column, code, message, pointer and a code frame, then a summary", () => {
    const out = renderText(report(), { ...opts, color: false });
    expect(out).toContain("FAIL model/tiny/x.json (model-sidecar/vmaf-tiny)");
    expect(out).toContain("model/tiny/x.json:4:13 error hash-mismatch sha256 of onnx");
    expect(out).toContain("[pointer /sha256]");
    expect(out).toMatch(/> 4 \| {3}"sha256": "57b2/);
    expect(out).toMatch(/\n\s+\| {13}\^\n/); // the marker under column 13
    expect(out).toContain("ok   model/tiny/ok.json");
    expect(out.trim().split("\n").pop()).toBe("3 artifact(s): 2 valid, 1 invalid, 0 skipped; hashes: 7 verified, 1 mismatched, 2 unverified");
    expect(out).not.toMatch(/\x1b\[/);
    // control characters in messages never reach the terminal raw
    expect(out).toContain("c%\\x0ad");
  });

  it("--quiet prints only failures and their errors", () => {
    const out = renderText(report(), { ...opts, quiet: true });
    expect(out).toContain("FAIL model/tiny/x.json");
    expect(out).toContain("hash-mismatch");
    expect(out).not.toContain("legacy-no-provenance");
    expect(out).not.toContain("ok.json");
    expect(out).not.toContain("weird");
    const ok = report();
    ok.results = ok.results.filter((r) => r.valid);
    ok.summary.invalid = 0;
    expect(renderText(ok, { ...opts, quiet: true })).toBe("");
  });

  it("colours only when asked", () => {
    expect(renderText(report(), { ...opts, color: true })).toMatch(/\x1b\[/);
  });

  it("code frames survive odd input", () => {
    expect(codeFrame("{}", 5, 1, false)).toBeUndefined();
    expect(codeFrame("a\r\nb\rc\nd", 3, 1, false)).toMatch(/> 3 \| c/);
    const long = "{\n" + "x".repeat(5000) + '"k": 1' + "\n}";
    const frame = codeFrame(long, 2, 5001, false)!;
    expect(frame.split("\n").every((l) => l.length < 200)).toBe(true);
    expect(frame).toContain('"k": 1');
    expect(codeFrame("\u001b[31mred", 1, 1, false)).not.toMatch(/\x1b/);
  });
});

describe("github", () => {
  it("escapes data and properties as the Actions runner does", () => {
    expect(escapeData("a%b\r\nc")).toBe("a%25b%0D%0Ac");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
  });

  it("prints one workflow command per diagnostic and a one-line summary", () => {
    const out = renderReport(report(), "github", opts);
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe(
      "::error file=model/tiny/x.json,line=4,col=13,title=hash-mismatch::sha256 of onnx: sha256 differs from model/tiny/x.onnx (recorded 57b2..., found 08ab...) (at /sha256)",
    );
    expect(lines[1]).toMatch(/^::warning file=model\/tiny\/x\.json,line=1,col=1,title=legacy-no-provenance::no run_provenance block$/);
    expect(lines[2]).toBe("::notice file=model/tiny/x.json,line=3,col=11,title=file-missing::a, b: c%25%0Ad (at /onnx)");
    expect(lines[3]).toBe("::warning file=model/weird name%2C%25.json,line=2,col=8,title=non-standard-number::NaN (at /a)");
    expect(lines[4]).toMatch(/^runprov: 3 artifact\(s\): 2 valid, 1 invalid/);
    expect(lines).toHaveLength(5);
  });

  it("omits line and col when a diagnostic has no position", () => {
    const r = report();
    r.results[0].diagnostics = [{ severity: "error", code: "parse-error", message: "truncated", pointer: "" }];
    expect(renderReport(r, "github", opts).split("\n")[0]).toBe("::error file=model/tiny/x.json,title=parse-error::truncated");
  });
});

describe("sarif", () => {
  it("is a SARIF 2.1.0 log with one rule per code and located results", () => {
    const log = JSON.parse(renderReport(report(), "sarif", opts));
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("runprov");
    expect(run.tool.driver.version).toBe("1.2.3");
    const ids: string[] = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(["hash-mismatch", "schema", "parse-error", "inconsistent"]));
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text.length).toBeGreaterThan(10);
      expect(rule.name.toLowerCase()).not.toBe(rule.id.toLowerCase());
    }
    expect(run.originalUriBaseIds.ROOT.uri).toBe("file:///repo/");
    const [first] = run.results;
    expect(first).toMatchObject({
      ruleId: "hash-mismatch",
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "model/tiny/x.json", uriBaseId: "ROOT" }, region: { startLine: 4, startColumn: 13 } } }],
    });
    expect(ids[first.ruleIndex]).toBe("hash-mismatch");
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(["error", "warning", "note", "warning"]);
    const weird = run.results[3].locations[0].physicalLocation.artifactLocation.uri;
    expect(weird).toBe("model/weird%20name%2C%25.json");
  });

  it("uses an absolute file URI for files outside the root", () => {
    const r = report();
    r.results[0].file = "/elsewhere/x y.json";
    const log = JSON.parse(renderReport(r, "sarif", opts));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: "file:///elsewhere/x%20y.json" });
  });
});

describe("junit", () => {
  it("has one testcase per artifact and one failure per error", () => {
    const xml = renderReport(report(), "junit", opts);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(3);
    expect((xml.match(/<failure /g) ?? []).length).toBe(1);
    expect(xml).toContain('<testcase name="model/tiny/x.json" classname="model-sidecar.vmaf-tiny" file="model/tiny/x.json"');
    expect(xml).toContain('type="hash-mismatch"');
    expect(xml).toContain("model/tiny/x.json:4:13 error hash-mismatch");
    expect(xml).toMatch(/<testsuite [^>]*tests="3"[^>]*failures="1"/);
    expect(xml).toContain("<system-out>");
  });

  it("never writes characters XML cannot carry", () => {
    const r = report();
    r.results[0].diagnostics[0].message = "bad \u0000\u0007 byte & <tag>";
    const xml = renderReport(r, "junit", opts);
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
    expect(xml).toContain("&amp; &lt;tag&gt;");
  });
});
