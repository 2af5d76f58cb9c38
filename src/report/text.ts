/**
 * Text report for people. Per artifact: a status line; per diagnostic: `file:line:column`,
 * severity, code, message and pointer; for errors and warnings a code frame of the offending
 * line. Then a one-line summary. `quiet`: only failing artifacts and their errors (and the
 * summary when something failed; nothing at all when everything passed).
 * Colours only when `color` is set (the CLI sets it on a TTY without NO_COLOR).
 */
import path from "node:path";
import { createRequire } from "node:module";
import pc from "picocolors";
import { readConfined } from "../files/confined.js";
import type { Diagnostic, Report } from "../types.js";
import type { RenderOptions } from "./formats.js";
import { baselineLine, validateSummaryLine } from "./model.js";

// Loaded on first use (only failing runs print code frames; start-up time matters in a hook).
const requireCjs = createRequire(import.meta.url);
type CodeFrame = typeof import("@babel/code-frame");
let codeFrameModule: CodeFrame | undefined;
function codeFrameColumns(...args: Parameters<CodeFrame["codeFrameColumns"]>): string {
  codeFrameModule ??= requireCjs("@babel/code-frame") as CodeFrame;
  return codeFrameModule.codeFrameColumns(...args);
}

/** Files larger than this are not read for code frames. */
const MAX_FRAME_SOURCE = 8 * 1024 * 1024;
/** Lines longer than this are cut to a window around the column. */
const MAX_LINE = 160;
/** Code frames printed per artifact. */
const MAX_FRAMES = 25;

/** Default source reader: regular files inside the root only (the confined opener), bounded in size; never throws. */
export function defaultReadSource(root: string): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    let text: string | undefined;
    try {
      const abs = path.isAbsolute(file) ? file : path.join(root, file);
      text = readConfined(abs, root, MAX_FRAME_SOURCE).toString("utf8");
      if (text.includes("\u0000")) text = undefined;
    } catch {
      text = undefined;
    }
    cache.set(file, text);
    return text;
  };
}

/** Strip terminal control characters from text we print (file names and messages can be hostile). */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it escapes
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, hex);
}

/** Like `clean`, but keeps tabs (for source lines in code frames). */
function cleanSource(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it escapes
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, hex);
}

function hex(ch: string): string {
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * A code frame of `line` (1-based) with a marker at `column` (1-based, code points), two lines of
 * context above and one below; long lines are windowed so a minified file prints one screen.
 * `source` may be the text or its lines (split once per file by the caller: many frames of one
 * file stay linear).
 */
export function codeFrame(source: string | string[], line: number, column: number | undefined, color: boolean): string | undefined {
  const lines = typeof source === "string" ? splitLines(source) : source;
  if (line < 1 || line > lines.length) return undefined;
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line + 1);
  const col = column !== undefined && column >= 1 ? column : undefined;
  // Only a bounded stretch of a long line around the column is ever turned into code points.
  const around = (s: string, unitAt: number): string => s.slice(Math.max(0, unitAt - 4 * MAX_LINE), unitAt + 4 * MAX_LINE);
  const targetLine = lines[line - 1];
  const unitAt = col === undefined ? 0 : unitIndexOf(targetLine, col - 1);
  const cut = Math.max(0, unitAt - 4 * MAX_LINE);
  const target = [...around(targetLine, unitAt)];
  const colInCut = col === undefined ? undefined : [...targetLine.slice(cut, unitAt)].length + 1;
  // Window start (in code points of the cut) chosen on the target line; applied to every shown line.
  let start = 0;
  if (target.length > MAX_LINE || cut > 0) start = Math.max(0, Math.min((colInCut ?? 1) - 1 - Math.floor(MAX_LINE / 2), target.length - MAX_LINE));
  const shown: string[] = [];
  for (let n = first; n <= last; n++) {
    const full = lines[n - 1];
    const cps = [...around(full, unitAt)];
    const leading = cut > 0 && full.length > cut;
    let s = cps.slice(start, start + MAX_LINE).join("");
    if ((start > 0 || leading) && cps.length > start) s = "…" + s;
    if (cps.length > start + MAX_LINE || full.length > unitAt + 4 * MAX_LINE) s += "…";
    shown.push(cleanSource(s));
  }
  let markerCol: number | undefined;
  if (colInCut !== undefined) {
    const prefixCps = target.slice(start, Math.max(start, colInCut - 1));
    // code-frame counts UTF-16 units; convert the code-point column of the windowed line.
    markerCol = cleanSource(prefixCps.join("")).length + 1 + (start > 0 || cut > 0 ? 1 : 0);
  }
  return codeFrameColumns(shown.join("\n"), { start: { line, column: markerCol } }, {
    linesAbove: 2,
    linesBelow: 1,
    highlightCode: color,
    forceColor: color,
    startLine: first,
  } as Parameters<typeof codeFrameColumns>[2]);
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** UTF-16 index of the code point numbered `cp` (0-based) in `s`. */
function unitIndexOf(s: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

function indent(s: string, pad: string): string {
  return s
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

export function renderText(report: Report, opts: RenderOptions): string {
  const color = !!opts.color;
  const c = pc.createColors(color);
  const read = opts.readSource ?? defaultReadSource(opts.root);
  const split = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!split.has(file)) {
      const src = read(file);
      split.set(file, src === undefined ? undefined : splitLines(src));
    }
    return split.get(file);
  };
  const out: string[] = [];
  const sev = (d: Diagnostic) => (d.severity === "error" ? c.red("error") : d.severity === "warning" ? c.yellow("warning") : c.blue("info"));

  let anyFailure = false;
  for (const r of report.results) {
    if (!r.valid) anyFailure = true;
    if (opts.quiet && r.valid) continue;
    const shown = opts.quiet ? r.diagnostics.filter((d) => d.severity === "error") : r.diagnostics;
    const head = r.valid ? c.green("ok  ") : c.red(c.bold("FAIL"));
    const fam = r.family ? c.dim(` (${r.family}${r.variant ? `/${r.variant}` : ""})`) : "";
    out.push(`${head} ${clean(r.file)}${fam}`);
    let frames = 0;
    for (const d of shown) {
      const where = d.line !== undefined ? `${d.line}:${d.column ?? 1}` : "";
      const loc = `${clean(r.file)}${where ? `:${where}` : ""}`;
      const ptr = d.pointer ? c.dim(` [pointer ${clean(d.pointer)}]`) : "";
      out.push(`  ${loc} ${sev(d)} ${c.bold(d.code)} ${clean(d.message)}${ptr}`);
      // Frames for errors and warnings that point inside the document (a frame of line 1 for a
      // whole-document finding such as legacy-no-provenance says nothing; a parse error's does).
      // Past MAX_FRAMES per artifact the lines alone say where: a report of thousands of problems stays readable.
      const framed = (d.severity === "error" || d.severity === "warning") && (d.pointer !== "" || d.code === "parse-error");
      if (framed && d.line !== undefined && frames < MAX_FRAMES) {
        const src = linesOf(r.file);
        if (src !== undefined) {
          frames++;
          let frame: string | undefined;
          try {
            frame = codeFrame(src, d.line, d.column, color);
          } catch {
            frame = undefined;
          }
          if (frame) out.push(indent(frame, "    "));
        }
      }
    }
  }
  if (!opts.quiet || anyFailure) {
    const s = report.summary;
    const line = validateSummaryLine(report);
    out.push(s.invalid > 0 ? c.red(line) : c.green(line));
    const b = baselineLine(report);
    if (b) out.push(c.dim(b));
  }
  return out.length ? out.join("\n") + "\n" : "";
}
