/**
 * Load stage: bytes -> UTF-8 text -> JSON value with a position for every value, plus the
 * dialect diagnostics (non-standard numbers, duplicate keys, byte order mark).
 */
import { readFile } from "node:fs/promises";
import type { Diagnostic } from "../types.js";
import type { JsonValue } from "./json-value.js";
import { parseJson, type ValueLocation } from "./parse.js";
import { LineIndex, type Position } from "./positions.js";
import { firstInvalidUtf8 } from "./utf8.js";

/** Artifacts are small JSON files; anything larger than this is refused, never buffered. */
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

export interface LoadedDocument {
  ok: true;
  text: string;
  value: JsonValue;
  /** Line and column of the value at `pointer` (its key with `preferKey`), falling back to the nearest ancestor. */
  locate(pointer: string, preferKey?: boolean): Position;
  diagnostics: Diagnostic[];
}

export interface FailedDocument {
  ok: false;
  /** The text when it could be decoded (for code frames), else undefined. */
  text?: string;
  diagnostics: Diagnostic[];
}

export type LoadResult = LoadedDocument | FailedDocument;

export interface LoadOptions {
  strictJson?: boolean;
}

export async function loadFile(absPath: string, size: number, opts: LoadOptions = {}): Promise<LoadResult> {
  if (size > MAX_ARTIFACT_BYTES) {
    return failed(`file is ${size} bytes; artifacts larger than ${MAX_ARTIFACT_BYTES} bytes are not read`);
  }
  const buf = await readFile(absPath);
  return loadBuffer(buf, opts);
}

export function loadBuffer(buf: Uint8Array, opts: LoadOptions = {}): LoadResult {
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) {
    const pos = LineIndex.fromBytes(buf, bad);
    return failed(`invalid UTF-8: byte 0x${buf[bad].toString(16).padStart(2, "0")} at byte offset ${bad}`, pos);
  }
  let text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("utf8");
  const diagnostics: Diagnostic[] = [];
  let bomShift = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    // Python's json.load rejects a BOM ("decode using utf-8-sig"); no emitter writes one.
    text = text.slice(1);
    bomShift = 1;
    diagnostics.push({
      severity: "warning",
      code: "parse-error",
      message: "UTF-8 byte order mark at the start of the file (Python's json.load rejects it)",
      pointer: "",
      line: 1,
      column: 1,
    });
  }
  const lines = new LineIndex(text);
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const pos = lines.position(parsed.offset);
    return { ok: false, text, diagnostics: [...diagnostics, parseError(parsed.message, pos, bomShift)] };
  }
  const locations = parsed.locations;
  const locate = (pointer: string, preferKey = false): Position => {
    const loc = nearest(locations, pointer);
    const offset = preferKey && loc.key !== undefined ? loc.key : loc.value;
    const pos = lines.position(offset);
    return pos.line === 1 ? { line: 1, column: pos.column + bomShift } : pos;
  };
  for (const note of parsed.notes) {
    const isNumber = note.kind === "non-standard-number";
    const pos = lines.position(note.offset);
    diagnostics.push({
      severity: isNumber && !opts.strictJson ? "warning" : "error",
      code: note.kind,
      message: isNumber
        ? `${note.message} (Python's json allow_nan dialect); read as a number`
        : `${note.message}: JSON parsers disagree on which value wins (this one, like Python, keeps the last)`,
      pointer: note.pointer,
      line: pos.line,
      column: pos.line === 1 ? pos.column + bomShift : pos.column,
    });
  }
  return { ok: true, text, value: parsed.value, locate, diagnostics };
}

function nearest(locations: Map<string, ValueLocation>, pointer: string): ValueLocation {
  let p = pointer;
  for (;;) {
    const loc = locations.get(p);
    if (loc) return loc;
    if (p === "") return { value: 0 };
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

function parseError(message: string, pos: Position, bomShift: number): Diagnostic {
  return {
    severity: "error",
    code: "parse-error",
    message,
    pointer: "",
    line: pos.line,
    column: pos.line === 1 ? pos.column + bomShift : pos.column,
  };
}

function failed(message: string, pos?: Position): FailedDocument {
  const d: Diagnostic = { severity: "error", code: "parse-error", message, pointer: "" };
  if (pos) {
    d.line = pos.line;
    d.column = pos.column;
  }
  return { ok: false, diagnostics: [d] };
}
