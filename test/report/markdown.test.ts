/** `--format markdown` for validate and the gate: summary, table of failures, details; escaping; size budget. */
import { describe, expect, it } from "vitest";
import { renderGate } from "../../src/report/formats.js";
import type { GateResult } from "../../src/gate/registry-flip.js";
import { renderReport } from "../../src/report/index.js";
import { codeCell, escapeCell, escapeHtml, renderMarkdown, renderMarkdownDocument } from "../../src/report/markdown.js";
import type { Report } from "../../src/types.js";

function report(): Report {
  return {
    tool: { name: "runprov", version: "1.2.3" },
    summary: { artifacts: 3, valid: 1, invalid: 2, skipped: 4, hashes: { verified: 7, mismatched: 1, unverified: 2 } },
    results: [
      {
        file: "model/tiny/x.json",
        family: "model-sidecar",
        variant: "vmaf-tiny",
        schema: null,
        valid: false,
        diagnostics: [
          { severity: "info", code: "file-missing", message: "runs/a.pt is missing", pointer: "/run_provenance/inputs/a", line: 9, column: 7 },
          { severity: "warning", code: "legacy-no-provenance", message: "no run_provenance block", pointer: "", line: 1, column: 1 },
          {
            severity: "error",
            code: "hash-mismatch",
            message: "sha256 differs from model/tiny/x.onnx (recorded 57b2..., found 08ab...)",
            pointer: "/sha256",
            line: 4,
            column: 13,
          },
          { severity: "error", code: "schema", message: "opset: must be integer", pointer: "/opset", line: 5, column: 12 },
        ],
      },
      { file: "model/tiny/ok.json", family: "model-sidecar", variant: null, schema: null, valid: true, diagnostics: [] },
      {
        file: "runs/we|ird `name` <img src=x onerror=alert(1)>.json",
        family: null,
        variant: null,
        schema: null,
        valid: false,
        diagnostics: [{ severity: "error", code: "parse-error", message: "bad | token *here* [x](javascript:y) <b>&amp;\nnext", pointer: "" }],
      },
    ],
  };
}

/** Cells of a GFM table row: split on `|` not escaped by a backslash, without the outer pipes. */
function cells(row: string): string[] {
  expect(row.startsWith("| ") && row.endsWith(" |"), row).toBe(true);
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function tables(md: string): string[][][] {
  const out: string[][][] = [];
  let cur: string[][] | undefined;
  for (const line of md.split("\n")) {
    if (line.startsWith("|")) {
      if (!cur) out.push((cur = []));
      if (!/^\| (---( \| )?)+ ?\|$/.test(line) && !/^\|( --- \|)+$/.test(line)) cur.push(cells(line));
    } else cur = undefined;
  }
  return out;
}

describe("markdown (validate)", () => {
  it("has a verdict heading, the text report's summary line, a table of failures and one details section each", () => {
    const md = renderReport(report(), "markdown", { root: "/repo" });
    const lines = md.split("\n");
    expect(lines[0]).toBe("### ❌ runprov validate: FAIL");
    expect(md).toContain("3 artifact(s): 1 valid, 2 invalid, 4 skipped; hashes: 7 verified, 1 mismatched, 2 unverified");
    const [failures, ...details] = tables(md);
    expect(failures[0]).toEqual(["file", "family", "first error", "line"]);
    expect(failures).toHaveLength(3); // header + two failing artifacts; the valid one is not listed
    expect(failures[1]).toEqual([
      "`model/tiny/x.json`",
      "model-sidecar/vmaf-tiny",
      "`hash-mismatch` sha256 differs from model/tiny/x.onnx (recorded 57b2..., found 08ab...)",
      "4:13",
    ]);
    expect(md).not.toContain("ok.json");
    expect((md.match(/<details>/g) ?? []).length).toBe(2);
    expect((md.match(/<\/details>/g) ?? []).length).toBe(2);
    expect(md).toContain("<details><summary><code>model/tiny/x.json</code> (model-sidecar/vmaf-tiny): 2 errors, 1 warning, 1 note</summary>");
    // details: every diagnostic, errors first
    expect(details[0].slice(1).map((r) => r[0])).toEqual(["error", "error", "warning", "info"]);
    expect(details[0][1]).toEqual(["error", "`hash-mismatch`", "4:13", "sha256 differs from model/tiny/x.onnx (recorded 57b2..., found 08ab...)", "`/sha256`"]);
  });

  it("escapes what the files say: no cell is split, no tag, link, emphasis or code span escapes", () => {
    const md = renderMarkdown(report());
    const [failures] = tables(md);
    for (const row of failures) expect(row).toHaveLength(4);
    const weird = failures[2];
    expect(weird[0]).toBe("``runs/we\\|ird `name` <img src=x onerror=alert(1)>.json``");
    expect(weird[1]).toBe("unknown");
    expect(weird[2]).toBe("`parse-error` bad \\| token \\*here\\* \\[x\\](javascript:y) &lt;b&gt;&amp;amp;\\\\x0anext");
    expect(weird[3]).toBe(""); // no position
    // HTML from data appears raw only inside that code span (rendered literally), nowhere else
    expect(md.split("<img").length - 1).toBe(1);
    expect(md).not.toContain("<b>");
    expect(md).toContain("<summary><code>runs/we|ird `name` &lt;img src=x onerror=alert(1)&gt;.json</code> (unknown): 1 error</summary>");
  });

  it("escaping helpers", () => {
    expect(escapeCell("a|b")).toBe("a\\|b");
    expect(escapeCell("`x` *y* _z_ ~w~ [l](u) \\")).toBe("\\`x\\` \\*y\\* \\_z\\_ \\~w\\~ \\[l\\](u) \\\\");
    expect(escapeCell("<script>&")).toBe("&lt;script&gt;&amp;");
    expect(escapeCell("a\r\nb\u0000")).toBe("a\\\\x0d\\\\x0ab\\\\x00"); // a visible, escaped "\x0d"
    expect(codeCell("plain")).toBe("`plain`");
    expect(codeCell("a`b")).toBe("``a`b``");
    expect(codeCell("`x``")).toBe("``` `x`` ```");
    expect(codeCell("p|q")).toBe("`p\\|q`");
    expect(codeCell("")).toBe("");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("--quiet keeps only errors in the details", () => {
    const md = renderMarkdown(report(), { quiet: true });
    expect(md).toContain("(model-sidecar/vmaf-tiny): 2 errors</summary>");
    expect(md).not.toContain("legacy-no-provenance");
  });

  it("says so when everything passed (no table, no details)", () => {
    const r = report();
    r.results = [r.results[1]];
    r.summary = { ...r.summary, artifacts: 1, valid: 1, invalid: 0 };
    const md = renderMarkdown(r);
    expect(md.split("\n")[0]).toBe("### ✅ runprov validate: PASS");
    expect(md).toContain("Every artifact is valid.");
    expect(md).not.toContain("|");
    expect(md).not.toContain("<details>");
  });

  it("stays under its size budget, dropping details first and saying how many", () => {
    const r = report();
    const big = r.results[0];
    r.results = Array.from({ length: 400 }, (_, i) => ({ ...big, file: `model/tiny/m${i}.json` }));
    const md = renderMarkdownDocument(
      {
        title: "t",
        ok: false,
        summaryLine: "s",
        header: ["file"],
        rows: r.results.map((x) => ({ cells: [codeCell(x.file)] })),
        details: r.results.map((x) => ({ summary: x.file, body: "y".repeat(500) })),
        allPassed: "",
      },
      20_000,
    );
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/Details of \d+ more not shown/);
    expect(tables(md)[0].length).toBe(401); // every row fits
    const tiny = renderMarkdownDocument(
      { title: "t", ok: false, summaryLine: "s", header: ["file"], rows: r.results.map((x) => ({ cells: [x.file] })), details: [], allPassed: "" },
      2_000,
    );
    expect(Buffer.byteLength(tiny)).toBeLessThanOrEqual(2_100);
    expect(tiny).toMatch(/\d+ more not shown/);
  });
});

function gateResult(): GateResult {
  return {
    tool: { name: "runprov", version: "1.2.3" },
    gate: "registry-flip",
    registry: "model/tiny/registry.json",
    root: "/repo",
    base: { kind: "git", ref: "origin/main", commit: "0123456789abcdef", found: true },
    registryChanged: true,
    pass: false,
    summary: { entries: 3, promoted: 2, changed: 0, unchanged: 1, smoke: 0, removed: 0, checked: 2, passed: 1, failed: 1 },
    problems: [],
    entries: [
      {
        id: "seed0",
        index: 0,
        status: "promoted",
        checked: true,
        pass: false,
        onnx: "model/tiny/seed0.onnx",
        sidecar: "model/tiny/seed0.json",
        reasons: [
          {
            severity: "error",
            code: "legacy-no-provenance",
            message: "no run_provenance block",
            file: "model/tiny/seed0.json",
            pointer: "",
            line: 1,
            column: 1,
          },
          {
            severity: "error",
            code: "verdict-missing",
            message: "seed 0 has no PROMOTE | verdict",
            file: "model/tiny/registry.json",
            pointer: "/models/0/id",
            line: 4,
            column: 13,
          },
        ],
        warnings: [
          {
            severity: "warning",
            code: "uncovered-file",
            message: "seed0.onnx.data is covered by no digest",
            file: "model/tiny/registry.json",
            pointer: "/models/0/onnx",
            line: 6,
            column: 15,
          },
        ],
      },
      { id: "ok_v1", index: 1, status: "promoted", checked: true, pass: true, reasons: [], warnings: [] },
      { id: "old_v1", index: 2, status: "unchanged", checked: false, pass: true, reasons: [], warnings: [] },
    ],
  };
}

describe("markdown (gate registry-flip)", () => {
  it("lists the failing entries with their first reason, and the details of each", () => {
    const md = renderGate(gateResult(), "markdown");
    expect(md.split("\n")[0]).toBe("### ❌ runprov gate registry-flip: FAIL");
    expect(md).toContain("registry-flip FAIL: 1 of 2 checked entries failed (2 promoted, 0 changed, 1 unchanged, 0 smoke, 0 removed)");
    expect(md).toContain("Registry `model/tiny/registry.json` against origin/main (0123456789ab); 2 of 3 entries checked.");
    const [failures, details] = tables(md);
    expect(failures).toEqual([
      ["entry", "status", "file", "first reason", "line"],
      ["`seed0`", "promoted", "`model/tiny/seed0.json`", "`legacy-no-provenance` no run\\_provenance block", "1:1"],
    ]);
    expect(details[0]).toEqual(["severity", "code", "file", "line", "message", "pointer"]);
    expect(details.slice(1).map((r) => r[1])).toEqual(["`legacy-no-provenance`", "`verdict-missing`", "`uncovered-file`"]);
    expect(details[2][4]).toBe("seed 0 has no PROMOTE \\| verdict");
    expect(md).toContain("<summary><code>seed0</code> (promoted): 2 errors, 1 warning</summary>");
    expect(md).not.toContain("ok_v1");
  });

  it("reports a registry that cannot be read as its own row", () => {
    const r = gateResult();
    r.entries = [];
    r.summary = { ...r.summary, checked: 0, failed: 0, passed: 0 };
    r.problems = [{ severity: "error", code: "registry-unreadable", message: "not JSON", file: "model/tiny/registry.json", line: 1, column: 12 }];
    const [failures] = tables(renderGate(r, "markdown"));
    expect(failures[1]).toEqual(["`model/tiny/registry.json`", "registry", "`model/tiny/registry.json`", "`registry-unreadable` not JSON", "1:12"]);
  });

  it("passes with a sentence", () => {
    const r = gateResult();
    r.pass = true;
    r.entries = r.entries.filter((e) => e.pass);
    r.summary = { ...r.summary, failed: 0, passed: 1, checked: 1 };
    const md = renderGate(r, "markdown");
    expect(md.split("\n")[0]).toBe("### ✅ runprov gate registry-flip: PASS");
    expect(md).toContain("Every promoted or changed entry passes.");
    expect(md).not.toContain("<details>");
  });
});
