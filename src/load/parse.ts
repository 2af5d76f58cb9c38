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
import { childPointer, isObject, own } from "./json-value.js";

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
  /**
   * Where the value at an RFC 6901 pointer starts, or its nearest ancestor's location when the
   * pointer names nothing; O(depth) per call.
   */
  locate(pointer: string): ValueLocation;
  notes: ParseNote[];
  /** How many values the document holds (containers and scalars). */
  values: number;
}

export interface ParseFailure {
  ok: false;
  message: string;
  offset: number;
}

export type ParseResult = ParseSuccess | ParseFailure;

/**
 * Positions are kept per container, not per pointer string: an array keeps the start offsets
 * of its items (a slice of one shared Int32 pool: four bytes per item), an object the offsets of
 * its members in source order. No pointer string is built unless a position is asked for, so a
 * large array of numbers parses in linear time and bounded memory.
 */
interface MemberOffsets {
  keys: string[];
  keyAt: number[];
  valueAt: number[];
}
/** Where an array's item offsets sit in the pool. */
interface ItemOffsets {
  start: number;
  count: number;
}
type Offsets = ItemOffsets | MemberOffsets;

/** A growable list of int32 (offsets into a text of at most 2^31 UTF-16 units). */
class Int32List {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length++] = v;
  }
  /** Append `other[from..other.length)`, then cut `other` back to `from`. */
  moveTail(other: Int32List, from: number): void {
    const n = other.length - from;
    if (this.length + n > this.data.length) this.grow(Math.max(this.data.length * 2, this.length + n));
    this.data.set(other.data.subarray(from, other.length), this.length);
    this.length += n;
    other.length = from;
  }
  private grow(size: number): void {
    const next = new Int32Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

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
  const offsets = new Map<object, Offsets>();
  // Item offsets of the arrays being parsed (nested ones above their parents), and of finished ones.
  const open = new Int32List();
  const pool = new Int32List();
  const notes: ParseNote[] = [];
  /** Keys and indices from the root to the value being parsed (pointers are built from it only for notes). */
  const path: (string | number)[] = [];
  let i = 0;
  const pointerHere = (): string => path.reduce<string>((p, seg) => childPointer(p, seg), "");

  const describe = (at: number): string => {
    if (at >= text.length) return "end of input";
    const cp = text.codePointAt(at)!;
    const ch = String.fromCodePoint(cp);
    return cp < 0x20 || cp === 0x7f ? `control character U+${cp.toString(16).padStart(4, "0").toUpperCase()}` : `'${ch}'`;
  };
  const fail = (message: string, at = i): never => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- caught below: a plain object is cheaper than an Error's stack
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

  const parseNumber = (): number => {
    const start = i;
    if (text.startsWith("-Infinity", i)) {
      i += 9;
      notes.push({ kind: "non-standard-number", pointer: pointerHere(), offset: start, message: "-Infinity is not standard JSON" });
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
    // defineProperty keeps `__proto__` an ordinary data key (assignment would set the prototype).
    if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
    else obj[key] = value;
  };

  /** Parses the value at the current position; its start offset is `i` after whitespace. */
  let values = 0;
  const parseValue = (depth: number): JsonValue => {
    const start = i;
    values++;
    const c = text[i];
    switch (c) {
      case "{": {
        if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
        i++;
        const obj: JsonObject = {};
        const members: MemberOffsets = { keys: [], keyAt: [], valueAt: [] };
        offsets.set(obj, members);
        const seen = new Set<string>();
        skipWs();
        if (text[i] === "}") {
          i++;
          return obj;
        }
        for (;;) {
          skipWs();
          if (text[i] !== '"')
            fail(i >= text.length ? "unexpected end of input inside an object" : `unexpected ${describe(i)}; expected a property name in double quotes`);
          const keyAt = i;
          const key = parseString();
          skipWs();
          if (text[i] !== ":")
            fail(i >= text.length ? "unexpected end of input inside an object" : `unexpected ${describe(i)}; expected ':' after a property name`);
          i++;
          path.push(key);
          if (seen.has(key)) {
            notes.push({ kind: "duplicate-key", pointer: pointerHere(), offset: keyAt, message: `duplicate key ${JSON.stringify(key)}` });
          }
          seen.add(key);
          skipWs();
          members.keys.push(key);
          members.keyAt.push(keyAt);
          members.valueAt.push(i);
          define(obj, key, parseValue(depth + 1));
          path.pop();
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
          offsets.set(arr, { start: 0, count: 0 });
          return arr;
        }
        const mine = open.length;
        for (;;) {
          skipWs();
          open.push(i);
          path.push(arr.length);
          arr.push(parseValue(depth + 1));
          path.pop();
          skipWs();
          if (text[i] === ",") {
            i++;
            skipWs();
            if (text[i] === "]") fail("trailing comma before ']'");
            continue;
          }
          if (text[i] === "]") {
            i++;
            offsets.set(arr, { start: pool.length, count: open.length - mine });
            pool.moveTail(open, mine);
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
        notes.push({ kind: "non-standard-number", pointer: pointerHere(), offset: start, message: "NaN is not standard JSON" });
        return NaN;
      case "I":
        expectLiteral("Infinity");
        notes.push({ kind: "non-standard-number", pointer: pointerHere(), offset: start, message: "Infinity is not standard JSON" });
        return Infinity;
      case undefined:
        return fail("unexpected end of input; expected a JSON value");
      default:
        if (c === "-" || (c >= "0" && c <= "9")) return parseNumber();
        return fail(`unexpected ${describe(i)}; expected a JSON value`);
    }
  };

  try {
    skipWs();
    if (i >= text.length) return { ok: false, message: "empty file: no JSON value", offset: 0 };
    const rootAt = i;
    const value = parseValue(0);
    skipWs();
    if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
    return { ok: true, value, locate: (pointer) => locateIn(value, rootAt, offsets, pool, pointer), notes, values };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, message: e.message, offset: e.offset };
    // RangeError from an exotic engine stack limit: still a clean parse error.
    return { ok: false, message: `cannot parse: ${(e as Error).message}`, offset: i };
  }
}

/** Walk a pointer down the parsed value, returning the deepest location found on the way. */
function locateIn(root: JsonValue, rootAt: number, offsets: Map<object, Offsets>, pool: Int32List, pointer: string): ValueLocation {
  let loc: ValueLocation = { value: rootAt };
  if (pointer === "") return loc;
  let cur: JsonValue | undefined = root;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      const items = offsets.get(cur) as ItemOffsets | undefined;
      if (!/^(0|[1-9][0-9]*)$/.test(seg) || !items || Number(seg) >= items.count) return loc;
      loc = { value: pool.data[items.start + Number(seg)] };
      cur = cur[Number(seg)];
    } else if (isObject(cur)) {
      const members = offsets.get(cur) as MemberOffsets | undefined;
      // The last occurrence of a duplicated key is the one that holds the value.
      const at = members ? members.keys.lastIndexOf(seg) : -1;
      if (at < 0) return loc;
      loc = { value: members!.valueAt[at], key: members!.keyAt[at] };
      cur = own(cur, seg);
    } else {
      return loc;
    }
  }
  return loc;
}
