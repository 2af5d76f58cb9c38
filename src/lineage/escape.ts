/**
 * Escaping for the places lineage output lands. Every path, pointer and message comes from files
 * under review and may be hostile (quotes, newlines, `|`, backticks, markup): each helper makes a
 * value inert in its one context, so that it can neither end the value nor start anything.
 */
import { codeSpan, markdownText } from "../report/markdown.js";
import { clean } from "../report/text.js";

/**
 * Text inside a quoted Mermaid label (`n1["..."]`, `-->|"..."|`): every character outside a
 * small safe set becomes an entity code (`#35;`), which Mermaid turns back into the character.
 * No quote, bracket, pipe, backtick, `<`, `#` or line break can reach the parser.
 */
export function mermaidText(s: string): string {
  let out = "";
  for (const ch of s) out += /^[A-Za-z0-9 _./,:()=+-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

/**
 * A Graphviz DOT double-quoted string: backslashes doubled (so no `\n`, `\l` or `\N` escape
 * comes from data), quotes escaped, and control characters shown as a visible `\x..`.
 */
export function dotString(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (CONTROL.test(ch)) out += `\\\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `"${out}"`;
}

// eslint-disable-next-line no-control-regex -- control characters are what it matches
const CONTROL = /^[\u0000-\u001f\u007f-\u009f\u2028\u2029]$/;

/** Control characters (line breaks included) as visible escapes: one line per value. */
function oneLine(s: string): string {
  return clean(s).replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

/** A literal (a path, a pointer) as an inline Markdown code span inside a table cell (`codeSpan` of src/report/markdown.ts). */
export function mdCode(s: string): string {
  return codeSpan(oneLine(s));
}

/**
 * Prose in a Markdown table cell or paragraph (`markdownText` of src/report/markdown.ts), `#`
 * and `!` escaped too: a paragraph may not start a heading or an image from data.
 */
export function mdText(s: string): string {
  return markdownText(oneLine(s), /[\\`*_[\]~#!]/g);
}

/** One word of a POSIX shell command: single-quoted, an embedded `'` closed, escaped and reopened. */
export function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text for a shell comment: one line, so that nothing from data can end the comment. */
export function shellComment(s: string): string {
  return oneLine(s);
}
