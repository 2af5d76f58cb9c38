/**
 * A JSON parser for the dialect the Python emitters write: strict RFC 8259 JSON plus the
 * bare tokens `NaN`, `Infinity` and `-Infinity` (json.dumps with allow_nan=True).
 *
 * Why hand-written: no maintained npm parser offers all four things the validator needs at
 * once: (1) the source position of every value and key (diagnostics must name line and
 * column), (2) Python's non-standard numbers read as numbers and reported, (3) duplicate keys
 * reported rather than silently merged, (4) strictness everywhere else (JSON5 parsers accept
 * comments, single quotes, hex and trailing commas, which no emitter writes and Python rejects).
 *
 * Guarantees: never throws for any input (errors are returned), never recurses deeper than
 * `maxDepth`, treats every key (including `__proto__`) as data, last duplicate wins (as in Python).
 */
import type { JsonObject, JsonValue } from "./json-value.js";
import { childPointer } from "./json-value.js";

export interface ValueLocation {
  /** Offset (UTF-16 index into the text) where the value starts. */
  value: number;
  /** Offset of the member's key, for object members. */
  key?: number;
}

export interface ParseNote {
  kind: "non-standard-number" | "duplicate-key";
  pointer: string;
  offset: number;
  message: string;
}

export interface ParseSuccess {
  ok: true;
  value: JsonValue;
  locations: Map<string, ValueLocation>;
  notes: ParseNote[];
}

export interface ParseFailure {
  ok: false;
  message: string;
  offset: number;
}

export type ParseResult = ParseSuccess | ParseFailure;

export const DEFAULT_MAX_DEPTH = 512;

class Fail {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function parseJson(text: string, maxDepth = DEFAULT_MAX_DEPTH): ParseResult {
  const locations = new Map<string, ValueLocation>();
  const notes: ParseNote[] = [];
  let i = 0;

  const describe = (at: number): string => {
    if (at >= text.length) return "end of input";
    const cp = text.codePointAt(at)!;
    const ch = String.fromCodePoint(cp);
    return cp < 0x20 || cp === 0x7f ? `control character U+${cp.toString(16).padStart(4, "0").toUpperCase()}` : `'${ch}'`;
  };
  const fail = (message: string, at = i): never => {
    throw new Fail(message, at);
  };
  const skipWs = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const expectLiteral = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(i)}; expected a JSON value`);
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail("unterminated string (end of input)", start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c < 0x20) fail(`${describe(i)} inside a string; it must be escaped`);
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        if (e === undefined) fail("unterminated string (end of input)", start);
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape: expected four hexadecimal digits");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e in ESCAPES) {
          out += ESCAPES[e];
          i += 2;
        } else {
          fail(`invalid escape '\\${e}' in a string`);
        }
        chunk = i;
        continue;
      }
      i++;
    }
  };

  const parseNumber = (pointer: string): number => {
    const start = i;
    if (text.startsWith("-Infinity", i)) {
      i += 9;
      notes.push({ kind: "non-standard-number", pointer, offset: start, message: "-Infinity is not standard JSON" });
      return -Infinity;
    }
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (!m) fail(`invalid number starting with ${describe(i)}`);
    i += m![0].length;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+\-a-zA-Z_]/.test(next)) fail(`invalid number: unexpected ${describe(i)}`);
    return Number(m![0]);
  };

  const define = (obj: JsonObject, key: string, value: JsonValue): void => {
    // defineProperty keeps `__proto__` and friends as ordinary data keys.
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  };

  const parseValue = (pointer: string, depth: number, keyOffset?: number): JsonValue => {
    skipWs();
    const start = i;
    locations.set(pointer, keyOffset === undefined ? { value: start } : { value: start, key: keyOffset });
    const c = text[i];
    switch (c) {
      case "{": {
        if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
        i++;
        const obj: JsonObject = {};
        const seen = new Set<string>();
        skipWs();
        if (text[i] === "}") {
          i++;
          return obj;
        }
        for (;;) {
          skipWs();
          if (text[i] !== '"') fail(i >= text.length ? "unexpected end of input inside an object" : `unexpected ${describe(i)}; expected a property name in double quotes`);
          const keyAt = i;
          const key = parseString();
          skipWs();
          if (text[i] !== ":") fail(i >= text.length ? "unexpected end of input inside an object" : `unexpected ${describe(i)}; expected ':' after a property name`);
          i++;
          const childPtr = childPointer(pointer, key);
          if (seen.has(key)) {
            notes.push({ kind: "duplicate-key", pointer: childPtr, offset: keyAt, message: `duplicate key ${JSON.stringify(key)}` });
          }
          seen.add(key);
          define(obj, key, parseValue(childPtr, depth + 1, keyAt));
          skipWs();
          if (text[i] === ",") {
            i++;
            skipWs();
            if (text[i] === "}") fail("trailing comma before '}'");
            continue;
          }
          if (text[i] === "}") {
            i++;
            return obj;
          }
          fail(i >= text.length ? "unexpected end of input inside an object" : `unexpected ${describe(i)}; expected ',' or '}'`);
        }
      }
      case "[": {
        if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
        i++;
        const arr: JsonValue[] = [];
        skipWs();
        if (text[i] === "]") {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(parseValue(childPointer(pointer, arr.length), depth + 1));
          skipWs();
          if (text[i] === ",") {
            i++;
            skipWs();
            if (text[i] === "]") fail("trailing comma before ']'");
            continue;
          }
          if (text[i] === "]") {
            i++;
            return arr;
          }
          fail(i >= text.length ? "unexpected end of input inside an array" : `unexpected ${describe(i)}; expected ',' or ']'`);
        }
      }
      case '"':
        return parseString();
      case "t":
        expectLiteral("true");
        return true;
      case "f":
        expectLiteral("false");
        return false;
      case "n":
        expectLiteral("null");
        return null;
      case "N":
        expectLiteral("NaN");
        notes.push({ kind: "non-standard-number", pointer, offset: start, message: "NaN is not standard JSON" });
        return NaN;
      case "I":
        expectLiteral("Infinity");
        notes.push({ kind: "non-standard-number", pointer, offset: start, message: "Infinity is not standard JSON" });
        return Infinity;
      case undefined:
        return fail("unexpected end of input; expected a JSON value");
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return parseNumber(pointer);
        return fail(`unexpected ${describe(i)}; expected a JSON value`);
    }
  };

  try {
    skipWs();
    if (i >= text.length) return { ok: false, message: "empty file: no JSON value", offset: 0 };
    const value = parseValue("", 0);
    skipWs();
    if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
    return { ok: true, value, locations, notes };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, message: e.message, offset: e.offset };
    // RangeError from an exotic engine stack limit: still a clean parse error.
    return { ok: false, message: `cannot parse: ${(e as Error).message}`, offset: i };
  }
}
