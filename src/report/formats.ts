/**
 * The one format registry: every command that prints a result declares here which formats it
 * supports, each with its renderer. The commands' `--format` choices and help text
 * (src/cli/options.ts), the rendering, the library's `render*` functions and the docs tests all
 * read this table; no other place lists formats or switches on them.
 *
 * A new command adds one entry; one that prints a validate `Report` (e.g. `merge`) reuses the
 * validate renderers with `formatTable(...)(VALIDATE_RENDERERS)`.
 */
import { renderGateMarkdown, renderGateText, gateToCiRun, type GateRenderOptions } from "../gate/render.js";
import type { GateResult } from "../gate/result.js";
import type { DiffResult } from "../lineage/diff.js";
import { diffJson, diffMarkdown, diffText, type DiffRenderOptions } from "../lineage/render-diff.js";
import { replayScript } from "../lineage/render-replay.js";
import { traceDot, traceMarkdown, traceMermaid, traceText, type TraceRenderOptions } from "../lineage/render-trace.js";
import type { ReplayPlan } from "../lineage/replay.js";
import type { TraceResult } from "../lineage/trace.js";
import type { Report } from "../types.js";
import { familiesText, type FamilyListing } from "./families.js";
import { renderGithubRun } from "./github.js";
import { renderJson } from "./json.js";
import { renderJunitRun } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { reportToCiRun } from "./model.js";
import { renderSarifRun } from "./sarif.js";
import { renderText } from "./text.js";

/** How one command's result is printed in one format. */
export type Renderer<R, O> = (result: R, opts: O) => string;

export interface FormatTable<R, O, F extends string = string> {
  /** The command, as typed after `runprov`. */
  readonly command: string;
  /** Its formats, in the order `--help` lists them; the first is the default. */
  readonly formats: readonly F[];
  /** What `--help` says of `--format`. */
  readonly describe: string;
  /** The result in `format`. */
  render(result: R, format: F, opts: O): string;
}

/** A command's entry: its renderers, by format name, in the order `--help` lists them. */
export function formatTable<R, O>(command: string, describe: string) {
  return <const F extends string>(renderers: Record<F, Renderer<R, O>>): FormatTable<R, O, F> => ({
    command,
    describe,
    formats: Object.keys(renderers) as F[],
    render(result, format, opts) {
      const render = Object.prototype.hasOwnProperty.call(renderers, format) ? renderers[format] : undefined;
      if (!render) throw new Error(`runprov ${command}: unknown format ${JSON.stringify(format)} (one of ${Object.keys(renderers).join(", ")})`);
      return render(result, opts);
    },
  });
}

export interface RenderOptions {
  /**
   * Print only failing artifacts and their errors (text, github, sarif, junit, markdown; the
   * pinned JSON report is always complete).
   */
  quiet?: boolean;
  /** ANSI colours (text only): true only on a TTY without NO_COLOR. */
  color?: boolean;
  /** Absolute repository root the report's relative `file`s are relative to. */
  root: string;
  /** Source text of a reported file (for code frames), or undefined when unreadable. */
  readSource?: (file: string) => string | undefined;
}

/** The formats of a validate `Report`. */
export const VALIDATE_RENDERERS = {
  text: renderText,
  json: renderJson,
  github: (report, opts) => renderGithubRun(reportToCiRun(report, opts.root, opts.quiet)),
  sarif: (report, opts) => renderSarifRun(reportToCiRun(report, opts.root, opts.quiet)),
  junit: (report, opts) => renderJunitRun(reportToCiRun(report, opts.root, opts.quiet)),
  markdown: renderMarkdown,
} satisfies Record<string, Renderer<Report, RenderOptions>>;

const GATE_RENDERERS = {
  text: renderGateText,
  json: renderJson,
  github: (r) => renderGithubRun(gateToCiRun(r)),
  sarif: (r) => renderSarifRun(gateToCiRun(r)),
  junit: (r) => renderJunitRun(gateToCiRun(r)),
  markdown: renderGateMarkdown,
} satisfies Record<string, Renderer<GateResult, GateRenderOptions>>;

const TRACE_RENDERERS = {
  text: traceText,
  json: renderJson,
  markdown: traceMarkdown,
  mermaid: traceMermaid,
  dot: traceDot,
} satisfies Record<string, Renderer<TraceResult, TraceRenderOptions>>;

const DIFF_RENDERERS = {
  text: diffText,
  json: (r) => renderJson(diffJson(r)),
  markdown: diffMarkdown,
} satisfies Record<string, Renderer<DiffResult, DiffRenderOptions>>;

/** Every command that prints a result, with its formats. */
export const FORMATS = {
  validate: formatTable<Report, RenderOptions>("validate", "report format on stdout")(VALIDATE_RENDERERS),
  merge: formatTable<Report, RenderOptions>("merge", "report format on stdout")(VALIDATE_RENDERERS),
  "gate registry-flip": formatTable<GateResult, GateRenderOptions>("gate registry-flip", "report format on stdout")(GATE_RENDERERS),
  trace: formatTable<TraceResult, TraceRenderOptions>("trace", "output format on stdout")(TRACE_RENDERERS),
  diff: formatTable<DiffResult, DiffRenderOptions>("diff", "output format on stdout")(DIFF_RENDERERS),
  replay: formatTable<ReplayPlan, object>("replay", "text: a POSIX shell script; json: the plan")({ text: replayScript, json: renderJson }),
  families: formatTable<FamilyListing[], object>("families", "output format")({ text: familiesText, json: renderJson }),
};

export type FormatCommand = keyof typeof FORMATS;

export const REPORT_FORMATS = FORMATS.validate.formats;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const TRACE_FORMATS = FORMATS.trace.formats;
export type TraceFormat = (typeof TRACE_FORMATS)[number];
export const DIFF_FORMATS = FORMATS.diff.formats;
export type DiffFormat = (typeof DIFF_FORMATS)[number];
export const REPLAY_FORMATS = FORMATS.replay.formats;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

/** A validate report in `format` (the library's entry point; the CLI prints exactly this). */
export function renderReport(report: Report, format: ReportFormat, opts: RenderOptions): string {
  return FORMATS.validate.render(report, format, opts);
}

export function renderGate(r: GateResult, format: ReportFormat, opts: GateRenderOptions = {}): string {
  return FORMATS["gate registry-flip"].render(r, format, opts);
}

export function renderTrace(result: TraceResult, format: TraceFormat, opts: TraceRenderOptions = {}): string {
  return FORMATS.trace.render(result, format, opts);
}

export function renderDiff(r: DiffResult, format: DiffFormat, opts: DiffRenderOptions = {}): string {
  return FORMATS.diff.render(r, format, opts);
}

export function renderReplay(plan: ReplayPlan, format: ReplayFormat): string {
  return FORMATS.replay.render(plan, format, {});
}
