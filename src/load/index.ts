/**
 * Load stage: bytes -> UTF-8 text -> JSON value with a position for every value, plus the
 * dialect diagnostics (non-standard numbers, duplicate keys, byte order mark).
 */
import { createHash } from "node:crypto";
import { readConfined, RefusedFile } from "../files/confined.js";
import type { Diagnostic } from "../types.js";
import type { JsonValue } from "./json-value.js";
import { parseJson, type ParseNote } from "./parse.js";
import { LineIndex, type Position } from "./positions.js";
import { firstInvalidUtf8 } from "./utf8.js";

/**
 * Artifacts are small JSON files (the largest real ones are a few hundred KiB); a larger file is
 * a parse error, never read. The limit bounds memory: a document costs about five times its
 * size once parsed and located, and a run stays well under 150 MiB.
 */
export const MAX_ARTIFACT_BYTES = 8 * 1024 * 1024;
/** Dialect notes listed per kind and artifact; the rest are counted in one more diagnostic. */
export const MAX_LISTED_NOTES = 100;

export interface LoadedDocument {
  ok: true;
  text: string;
  value: JsonValue;
  /** Line and column of the value at `pointer` (its key with `preferKey`), falling back to the nearest ancestor. */
  locate(pointer: string, preferKey?: boolean): Position;
  diagnostics: Diagnostic[];
  /** How many JSON values the document holds (validation of very large documents stops at the first error). */
  values: number;
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

/** A loaded file and the SHA-256 of the very bytes that were parsed. */
export type LoadedFile = LoadResult & { sha256: string };

/**
 * Read and parse an artifact through the confined opener (a regular file inside `realRoot`).
 * A file over the size limit is a parse error; any other refusal is thrown (`RefusedFile`)
 * for the caller to judge (a named file: usage error; a walked one: `unreadable`).
 */
export function loadFile(absPath: string, realRoot: string, opts: LoadOptions = {}): LoadedFile {
  let buf: Buffer;
  try {
    buf = readConfined(absPath, realRoot, MAX_ARTIFACT_BYTES);
  } catch (e) {
    if (e instanceof RefusedFile && e.reason === "too-large") {
      // Not read, so no digest of its bytes: the empty string matches no baseline entry.
      return { ...failed(`file ${e.message}; artifacts larger than ${MAX_ARTIFACT_BYTES} bytes are not read`), sha256: "" };
    }
    throw e;
  }
  return { ...loadBuffer(buf, opts), sha256: createHash("sha256").update(buf).digest("hex") };
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
  const noteDiagnostic = (note: ParseNote, message: string): Diagnostic => {
    const pos = lines.position(note.offset);
    return {
      severity: note.kind === "non-standard-number" && !opts.strictJson ? "warning" : "error",
      code: note.kind,
      message,
      pointer: note.pointer,
      line: pos.line,
      column: pos.line === 1 ? pos.column + bomShift : pos.column,
    };
  };
  const locate = (pointer: string, preferKey = false): Position => {
    const loc = parsed.locate(pointer);
    const offset = preferKey && loc.key !== undefined ? loc.key : loc.value;
    const pos = lines.position(offset);
    return pos.line === 1 ? { line: 1, column: pos.column + bomShift } : pos;
  };
  const listed = { "non-standard-number": 0, "duplicate-key": 0 };
  const unlisted = { "non-standard-number": [] as ParseNote[], "duplicate-key": [] as ParseNote[] };
  for (const note of parsed.notes) {
    if (listed[note.kind] >= MAX_LISTED_NOTES) {
      unlisted[note.kind].push(note);
      continue;
    }
    listed[note.kind]++;
    diagnostics.push(
      noteDiagnostic(
        note,
        note.kind === "non-standard-number"
          ? `${note.message} (Python's json allow_nan dialect); read as a number`
          : `${note.message}: JSON parsers disagree on which value wins (this one, like Python, keeps the last)`,
      ),
    );
  }
  // Past the limit, one diagnostic (at the first unlisted token) says how many more there are:
  // a report stays readable, and the artifact's validity is the same.
  for (const kind of ["non-standard-number", "duplicate-key"] as const) {
    const more = unlisted[kind];
    if (more.length) {
      const what = kind === "non-standard-number" ? "NaN/Infinity tokens" : "duplicate keys";
      diagnostics.push(noteDiagnostic(more[0], `${more.length} more ${what} from here on are not listed (the first ${MAX_LISTED_NOTES} are)`));
    }
  }
  return { ok: true, text, value: parsed.value, locate, diagnostics, values: parsed.values };
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
