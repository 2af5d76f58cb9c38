import { describe, expect, it } from "vitest";
import { loadBuffer } from "../../src/load/index.js";
import { parseJson } from "../../src/load/parse.js";
import { firstInvalidUtf8 } from "../../src/load/utf8.js";
import { LineIndex } from "../../src/load/positions.js";

const ok = (text: string) => {
  const r = parseJson(text);
  if (!r.ok) throw new Error(`expected success: ${r.message}`);
  return r;
};
const bad = (text: string) => {
  const r = parseJson(text);
  if (r.ok) throw new Error("expected a parse error");
  return r;
};

describe("parseJson: the Python json dialect", () => {
  it("reads standard JSON exactly like JSON.parse", () => {
    const samples = ['{"a": [1, -2.5e-05, 0, true, false, null, "x\\u00e9\\n"]}', "[]", "{}", '"s"', "12", "-0", "1E+2"];
    for (const s of samples) expect(ok(s).value).toEqual(JSON.parse(s));
  });

  it("reads NaN, Infinity and -Infinity as numbers and notes each one with its pointer", () => {
    const r = ok('{"a": NaN, "b": [Infinity, -Infinity]}');
    const v = r.value as { a: number; b: number[] };
    expect(Number.isNaN(v.a)).toBe(true);
    expect(v.b).toEqual([Infinity, -Infinity]);
    expect(r.notes.map((n) => [n.kind, n.pointer])).toEqual([
      ["non-standard-number", "/a"],
      ["non-standard-number", "/b/0"],
      ["non-standard-number", "/b/1"],
    ]);
  });

  it("reports duplicate keys and keeps the last value, like Python", () => {
    const r = ok('{"k": 1, "k": 2}');
    expect(r.value).toEqual({ k: 2 });
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatchObject({ kind: "duplicate-key", pointer: "/k", offset: 9 });
  });

  it("treats __proto__ and constructor as data keys", () => {
    const r = ok('{"__proto__": {"polluted": true}, "constructor": 1}');
    const v = r.value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it("escapes pointer segments per RFC 6901", () => {
    const r = ok('{"a/b": {"c~d": 1}}');
    expect(r.locate("/a~1b/c~0d")).toEqual({ value: 16, key: 9 });
  });

  it.each([
    ["trailing comma", "[1, 2,]"],
    ["comment", "// x\n{}"],
    ["single quotes", "{'a': 1}"],
    ["leading zero", "[01]"],
    ["leading plus", "[+1]"],
    ["hex", "[0x10]"],
    ["bare word", "[nan]"],
    ["unquoted key", "{a: 1}"],
    ["control character in string", '["a\tb"]'],
    ["bad escape", '["\\x41"]'],
    ["truncated", '{"a": [1, 2'],
    ["trailing garbage", "{} {}"],
    ["empty", "   "],
    ["lone dot", "[1.]"],
  ])("rejects %s", (_name, text) => {
    const r = bad(text);
    expect(r.message.length).toBeGreaterThan(5);
  });

  it("refuses deep nesting cleanly instead of overflowing the stack", () => {
    const r = bad("[".repeat(200_000) + "]".repeat(200_000));
    expect(r.message).toMatch(/nesting deeper than 512/);
    expect(ok("[".repeat(500) + "]".repeat(500)).ok).toBe(true);
  });

  it("gives the position of the error", () => {
    const text = '{\n  "a": 1,\n  "b": ]\n}';
    const r = bad(text);
    expect(new LineIndex(text).position(r.offset)).toEqual({ line: 3, column: 8 });
  });
});

describe("loadBuffer", () => {
  it("locates values and keys by pointer, falling back to the nearest ancestor", () => {
    const r = loadBuffer(Buffer.from('{\n  "run_provenance": {\n    "argv": ["x"]\n  }\n}\n'));
    if (!r.ok) throw new Error("parse");
    expect(r.locate("/run_provenance/argv/0")).toEqual({ line: 3, column: 14 });
    expect(r.locate("/run_provenance/argv", true)).toEqual({ line: 3, column: 5 });
    expect(r.locate("/run_provenance/missing/deeper")).toEqual({ line: 2, column: 21 });
  });

  it("reports invalid UTF-8 with the line and column of the bad byte", () => {
    const r = loadBuffer(Buffer.concat([Buffer.from('{\n  "a": "x'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n}')]));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: "parse-error", line: 2, column: 10 });
  });

  it("accepts a BOM with a warning and keeps columns on line 1 true to the file", () => {
    const r = loadBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": NaN}')]));
    if (!r.ok) throw new Error("parse");
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["parse-error", "warning"],
      ["non-standard-number", "warning"],
    ]);
    expect(r.diagnostics[1]).toMatchObject({ line: 1, column: 8 });
  });

  it("makes NaN an error under strictJson", () => {
    const r = loadBuffer(Buffer.from("[NaN]"), { strictJson: true });
    if (!r.ok) throw new Error("parse");
    expect(r.diagnostics[0]).toMatchObject({ code: "non-standard-number", severity: "error", pointer: "/0" });
  });
});

describe("firstInvalidUtf8", () => {
  it.each([
    [[0x41, 0x42], -1],
    [[0xe2, 0x80, 0x94], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x41, 0xff], 1],
    [[0xc0, 0xaf], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xe2, 0x80], 0], // truncated
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
  ])("%j -> %i", (bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });
});
