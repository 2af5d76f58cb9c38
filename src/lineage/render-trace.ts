/**
 * Output of `runprov trace` in every format: text (a tree with statuses), json (the TraceResult:
 * the pinned `{subject, claims}` plus `artifacts`, `summary`, `ok`, `truncated`), markdown (for
 * pull-request comments and job summaries: a Mermaid graph and a table of the claims), mermaid
 * (a flowchart GitHub renders) and dot (Graphviz).
 *
 * In the graphs a node is a file (an artifact is the file it is) and an edge is a claim, from the
 * artifact that records it to the file it is about, labelled with its role and status; a dashed
 * edge runs from a recorded input directory to an artifact that lies in it.
 */
import pc from "picocolors";
import { clean } from "../report/text.js";
import type { ClaimStatus } from "../types.js";
import { dotString, mdCode, mdText, mermaidText } from "./escape.js";
import type { TraceArtifact, TraceClaim, TraceResult } from "./trace.js";

export interface TraceRenderOptions {
  /** ANSI colours (text only): true only on a TTY without NO_COLOR. */
  color?: boolean;
}

/** `trace of X: N claim(s) on K artifact(s): 3 verified, 1 historical-match, ...`. */
export function traceSummaryLine(r: TraceResult): string {
  const s = r.summary;
  const counts = (Object.keys(s.statuses) as ClaimStatus[]).filter((k) => s.statuses[k] > 0).map((k) => `${s.statuses[k]} ${k}`);
  const errors = s.errors ? `; ${s.errors} judged an error` : "";
  const truncated = r.truncated ? `; truncated at ${s.artifacts} artifacts` : "";
  return `trace of ${r.subject}: ${s.claims} claim(s) on ${s.artifacts} artifact(s)${counts.length ? `: ${counts.join(", ")}` : ""}${errors}${truncated}`;
}

// ----------------------------------------------------------------------------- the shape shared by the pictures

interface Edge {
  from: string;
  to: string;
  label: string;
  status?: ClaimStatus;
  /** A folder holding an artifact (not a claim). */
  contains?: boolean;
}

/** Nodes (files, subject first) and edges (claims, then folder containment) of a trace. */
function graphOf(r: TraceResult): { nodes: string[]; edges: Edge[]; artifacts: Map<string, TraceArtifact> } {
  const artifacts = new Map(r.artifacts.map((a) => [a.file, a]));
  const nodes = new Set<string>([r.subject]);
  const edges: Edge[] = [];
  for (const c of r.claims) {
    nodes.add(c.artifact);
    nodes.add(c.file);
    edges.push({ from: c.artifact, to: c.file, label: `${c.role}: ${c.status}`, status: c.status });
  }
  for (const a of r.artifacts) {
    for (const why of a.reasons) {
      if (why.by !== "inside") continue;
      nodes.add(why.directory);
      nodes.add(a.file);
      edges.push({ from: why.directory, to: a.file, label: "contains", contains: true });
    }
  }
  return { nodes: [...nodes], edges, artifacts };
}

function nodeLabel(file: string, a: TraceArtifact | undefined): string {
  if (!a?.family) return file;
  return `${file} (${a.family}${a.variant ? `/${a.variant}` : ""})`;
}

const EDGE_COLOURS: Record<ClaimStatus, string> = {
  verified: "#1a7f37",
  "historical-match": "#0969da",
  mismatched: "#cf222e",
  "stale-by-design": "#8c959f",
  missing: "#bc4c00",
  unverified: "#8c959f",
};

// ----------------------------------------------------------------------------- mermaid

/** The trace as a Mermaid flowchart (the gate's Markdown shows one per promoted entry). */
export function traceMermaid(r: TraceResult): string {
  const { nodes, edges, artifacts } = graphOf(r);
  const id = new Map(nodes.map((n, i) => [n, `n${i}`]));
  const out = ["flowchart LR"];
  for (const n of nodes) {
    const label = `"${mermaidText(nodeLabel(n, artifacts.get(n)))}"`;
    out.push(`  ${id.get(n)}${artifacts.has(n) ? `[${label}]` : `(${label})`}`);
  }
  const byColour = new Map<string, number[]>();
  edges.forEach((e, i) => {
    const arrow = e.contains ? `-.->|"${mermaidText(e.label)}"|` : `-->|"${mermaidText(e.label)}"|`;
    out.push(`  ${id.get(e.from)} ${arrow} ${id.get(e.to)}`);
    if (e.status) {
      const colour = EDGE_COLOURS[e.status];
      byColour.set(colour, [...(byColour.get(colour) ?? []), i]);
    }
  });
  for (const [colour, list] of byColour) out.push(`  linkStyle ${list.join(",")} stroke:${colour},color:${colour}`);
  out.push("  classDef subject stroke-width:3px");
  out.push(`  class ${id.get(r.subject)} subject`);
  return out.join("\n") + "\n";
}

// ----------------------------------------------------------------------------- dot

export function traceDot(r: TraceResult): string {
  const { nodes, edges, artifacts } = graphOf(r);
  const id = new Map(nodes.map((n, i) => [n, `n${i}`]));
  const out = ["digraph trace {", "  rankdir=LR;", '  node [shape=box, fontname="monospace"];'];
  for (const n of nodes) {
    const attrs = [`label=${dotString(nodeLabel(n, artifacts.get(n)))}`];
    if (!artifacts.has(n)) attrs.push("style=rounded");
    if (n === r.subject) attrs.push("penwidth=3");
    out.push(`  ${id.get(n)} [${attrs.join(", ")}];`);
  }
  for (const e of edges) {
    const attrs = [`label=${dotString(e.label)}`];
    if (e.contains) attrs.push("style=dashed");
    if (e.status) attrs.push(`color=${dotString(EDGE_COLOURS[e.status])}`, `fontcolor=${dotString(EDGE_COLOURS[e.status])}`);
    out.push(`  ${id.get(e.from)} -> ${id.get(e.to)} [${attrs.join(", ")}];`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}

// ----------------------------------------------------------------------------- markdown

/** Mermaid refuses diagrams past its text limit (50 000 characters by default): the table stays. */
const MERMAID_MAX = 40_000;

function note(c: TraceClaim): string {
  if (c.status === "historical-match") return c.commit ? `matches commit ${c.commit}` : "matches the staged version";
  return c.severity === "error" || c.severity === "warning" ? (c.message ?? "") : "";
}

export function traceMarkdown(r: TraceResult): string {
  const out: string[] = [];
  out.push(`### runprov trace ${mdCode(r.subject)}`, "");
  out.push(`**${r.ok ? "PASS" : "FAIL"}**: ${mdText(traceSummaryLine(r))}`, "");
  if (r.claims.length) {
    const graph = traceMermaid(r);
    if (graph.length <= MERMAID_MAX) out.push("```mermaid", graph.trimEnd(), "```", "");
    else out.push(`_The graph (${r.artifacts.length} artifacts) is too large to draw; the table lists every claim._`, "");
    out.push("| status | role | file | artifact | pointer | note |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of r.claims) {
      const status = c.severity === "error" ? `**${c.status}**` : c.status;
      out.push(`| ${status} | ${c.role} | ${mdCode(c.file)} | ${mdCode(`${c.artifact}:${c.line}:${c.column}`)} | ${mdCode(c.pointer)} | ${mdText(note(c))} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

// ----------------------------------------------------------------------------- text

/**
 * A tree: the subject, then each artifact that records it, with its claims; under a claim about
 * something the run used, what explains that file in turn. Each file is unfolded once; a second
 * mention says so.
 */
export function traceText(r: TraceResult, opts: TraceRenderOptions = {}): string {
  const c = pc.createColors(!!opts.color);
  const paint: Record<ClaimStatus, (s: string) => string> = {
    verified: c.green,
    "historical-match": c.cyan,
    mismatched: (s) => c.red(c.bold(s)),
    "stale-by-design": c.dim,
    missing: c.yellow,
    unverified: c.dim,
  };
  const artifacts = new Map(r.artifacts.map((a) => [a.file, a]));
  const claimsOf = new Map<string, TraceClaim[]>();
  for (const cl of r.claims) claimsOf.set(cl.artifact, [...(claimsOf.get(cl.artifact) ?? []), cl]);
  /** Artifacts that explain a file: they record it, or lie in it (a folder). */
  const explainers = new Map<string, string[]>();
  for (const a of r.artifacts) {
    for (const why of a.reasons) {
      const key = why.by === "records" ? why.file : why.by === "inside" ? why.directory : undefined;
      if (key === undefined || key === a.file) continue;
      const list = explainers.get(key) ?? [];
      if (!list.includes(a.file)) list.push(a.file);
      explainers.set(key, list);
    }
  }
  const unfolded = new Set<string>();
  const shown = new Set<string>();
  const lines: string[] = [];
  const fam = (a: TraceArtifact | undefined): string => (a?.family ? c.dim(` [${a.family}${a.variant ? `/${a.variant}` : ""}]`) : "");

  // Nodes are built when printed, so "above" means above in the output.
  type Node = () => { text: string; children: Node[] };
  const hasChildren = (file: string): boolean =>
    (artifacts.get(file)?.reasons.some((w) => w.by === "itself") ?? false) || (explainers.get(file)?.length ?? 0) > 0;
  const claimNode =
    (cl: TraceClaim): Node =>
    () => {
      const pos = c.dim(`(${clean(cl.artifact)}:${cl.line}:${cl.column} ${clean(cl.pointer)})`);
      const extra = note(cl);
      const text = `${paint[cl.status](cl.status)} ${cl.role} ${clean(cl.file)} ${pos}${extra ? ` ${clean(extra)}` : ""}`;
      // Down to what explains the file, unless this artifact is one of its explainers (the way back up).
      const down = cl.role !== "output" && cl.file !== cl.artifact && !explainers.get(cl.file)?.includes(cl.artifact) && hasChildren(cl.file);
      if (!down) return { text, children: [] };
      if (unfolded.has(cl.file)) return { text: `${text} ${c.dim("(traced above)")}`, children: [] };
      return { text, children: fileChildren(cl.file) };
    };
  const artifactNode =
    (file: string): Node =>
    () => {
      if (shown.has(file)) return { text: `${clean(file)} ${c.dim("(above)")}`, children: [] };
      shown.add(file);
      return { text: `${c.bold(clean(file))}${fam(artifacts.get(file))}`, children: (claimsOf.get(file) ?? []).map(claimNode) };
    };
  function fileChildren(file: string): Node[] {
    unfolded.add(file);
    const kids: Node[] = [];
    if (artifacts.get(file)?.reasons.some((w) => w.by === "itself") && !shown.has(file)) {
      shown.add(file);
      kids.push(...(claimsOf.get(file) ?? []).map(claimNode));
    }
    for (const a of explainers.get(file) ?? []) kids.push(artifactNode(a));
    return kids;
  }
  const print = (nodes: Node[], prefix: string): void => {
    nodes.forEach((build, i) => {
      const last = i === nodes.length - 1;
      const n = build();
      lines.push(`${prefix}${last ? "└── " : "├── "}${n.text}`);
      print(n.children, prefix + (last ? "    " : "│   "));
    });
  };
  const subject = artifacts.get(r.subject);
  lines.push(`${c.bold(clean(r.subject))}${subject?.reasons.some((w) => w.by === "itself") ? fam(subject) : ""}`);
  print(fileChildren(r.subject), "");
  if (r.claims.length === 0) lines.push(c.dim("  (no artifact under the root records this path)"));
  const summary = traceSummaryLine(r);
  lines.push(r.ok ? c.green(clean(summary)) : c.red(clean(summary)));
  return lines.join("\n") + "\n";
}
