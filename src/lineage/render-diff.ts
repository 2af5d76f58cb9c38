/**
 * Output of `runprov diff`: text and markdown under the headings a reviewer reads (entrypoint,
 * argv, args, inputs, outputs, the block's other keys, the rest of the document), and json:
 * `{a, b, changes: [{pointer, kind, before, after}]}` plus `equal`, each change's `section` and
 * both entrypoints with the commits their digests match. JSON has no NaN or Infinity, so
 * non-finite numbers are written as the strings "NaN", "Infinity" and "-Infinity".
 */
import pc from "picocolors";
import { strictJsonValue } from "../attest/index.js";
import { showValue } from "../families/util.js";
import { dottedPath, type JsonValue } from "../load/json-value.js";
import { clean } from "../report/text.js";
import type { DiffChange, DiffResult, DiffSection, EntrypointSide } from "./diff.js";
import { mdCode, mdText } from "./escape.js";

export interface DiffRenderOptions {
  /** ANSI colours (text only). */
  color?: boolean;
}

const HEADINGS: Record<DiffSection, string> = {
  entrypoint: "entrypoint",
  argv: "argv",
  args: "args",
  inputs: "inputs",
  outputs: "outputs",
  block: "other keys of the block",
  document: "other keys",
};

/** The result as strict JSON (what `--format json` prints). */
export function diffJson(r: DiffResult): object {
  const v = (x: JsonValue | null): JsonValue => (x === null ? null : strictJsonValue(x));
  return { ...r, changes: r.changes.map((c) => ({ ...c, before: v(c.before), after: v(c.after) })) };
}

/** A change's name under its heading: `epochs` under args, `corpus.sha256` under inputs, `gate.mean_plcc` elsewhere. */
function nameOf(c: DiffChange): string {
  const dotted = dottedPath(c.pointer);
  if (c.section === "document") return dotted || "(the whole document)";
  const inBlock = dotted.replace(/^run_provenance(\.|$)/, "");
  if (inBlock === c.section) return c.section;
  return inBlock.startsWith(`${c.section}.`) ? inBlock.slice(c.section.length + 1) : inBlock || "run_provenance";
}

const digestOf = (s: EntrypointSide): string => s.sha256 ?? "(no digest)";
const commitsOf = (s: EntrypointSide): string =>
  s.commits.length ? `matches ${s.commits.length === 1 ? "commit" : "commits"} ${s.commits.join(", ")}` : "no commit holds this version";

export function diffSummaryLine(r: DiffResult): string {
  if (r.equal) return "no difference";
  const n = (k: DiffChange["kind"]): number => r.changes.filter((c) => c.kind === k).length;
  return `${r.changes.length} difference(s): ${n("changed")} changed, ${n("added")} added, ${n("removed")} removed`;
}

function sectionsWith(r: DiffResult): DiffSection[] {
  const block = r.entrypoint.a !== null || r.entrypoint.b !== null || r.changes.some((c) => c.section !== "document");
  const present = new Set(r.changes.map((c) => c.section));
  return (Object.keys(HEADINGS) as DiffSection[]).filter((s) => present.has(s) || (block && s !== "block" && s !== "document"));
}

export function diffText(r: DiffResult, opts: DiffRenderOptions = {}): string {
  const c = pc.createColors(!!opts.color);
  const out: string[] = [`a: ${clean(r.a)}`, `b: ${clean(r.b)}`];
  for (const section of sectionsWith(r)) {
    out.push("", c.bold(HEADINGS[section]));
    if (section === "entrypoint") {
      for (const [label, s] of [
        ["a", r.entrypoint.a],
        ["b", r.entrypoint.b],
      ] as const) {
        out.push(s ? `  ${label}: ${clean(s.path)} sha256 ${clean(digestOf(s))}, ${commitsOf(s)}` : `  ${label}: (no entrypoint)`);
      }
    }
    const changes = r.changes.filter((x) => x.section === section);
    if (changes.length === 0 && section !== "entrypoint") out.push(c.dim("  no change"));
    for (const ch of changes) {
      const name = clean(nameOf(ch));
      if (ch.kind === "added") out.push(c.green(`  + ${name}: ${clean(showValue(ch.after!))}`));
      else if (ch.kind === "removed") out.push(c.red(`  - ${name}: ${clean(showValue(ch.before!))}`));
      else out.push(`  ${c.yellow("~")} ${name}: ${clean(showValue(ch.before!))} -> ${clean(showValue(ch.after!))}`);
    }
  }
  out.push("", diffSummaryLine(r));
  return out.join("\n") + "\n";
}

export function diffMarkdown(r: DiffResult): string {
  const cell = (v: JsonValue | null): string => (v === null ? "" : mdCode(showValue(v)));
  const out: string[] = [`### runprov diff ${mdCode(r.a)} ${mdCode(r.b)}`, "", `**${r.equal ? "EQUAL" : "DIFFERENT"}**: ${mdText(diffSummaryLine(r))}`];
  for (const section of sectionsWith(r)) {
    out.push("", `#### ${HEADINGS[section]}`, "");
    if (section === "entrypoint") {
      out.push("| | path | sha256 | commits |", "| --- | --- | --- | --- |");
      for (const [label, s] of [
        ["a", r.entrypoint.a],
        ["b", r.entrypoint.b],
      ] as const) {
        out.push(
          s
            ? `| ${label} | ${mdCode(s.path)} | ${mdCode(digestOf(s))} | ${s.commits.length ? s.commits.map(mdCode).join(" ") : "none"} |`
            : `| ${label} | | | |`,
        );
      }
      out.push("");
    }
    const changes = r.changes.filter((x) => x.section === section);
    if (changes.length === 0) {
      if (section !== "entrypoint") out.push("_no change_");
      continue;
    }
    out.push("| | key | a | b |", "| --- | --- | --- | --- |");
    for (const ch of changes) out.push(`| ${ch.kind} | ${mdCode(nameOf(ch))} | ${cell(ch.before)} | ${cell(ch.after)} |`);
  }
  return out.join("\n") + "\n";
}
