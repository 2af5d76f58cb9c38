/**
 * Library entry point: `import { validate } from "run-provenance"`. `validate()` returns the
 * same objects the JSON report prints.
 */
export { validate, TOOL_VERSION } from "./pipeline.js";
export { mergeReports, readReportFile, type ReportInput, type MergeOptions } from "./merge.js";
export { parseShard, shardOf, type Shard } from "./shard.js";
export { registryFlip, type GateResult, type GateEntry, type RegistryFlipOptions } from "./gate/registry-flip.js";
// Every command's formats and renderers (src/report/formats.ts).
export {
  FORMATS,
  renderReport,
  renderGate,
  renderTrace,
  renderDiff,
  renderReplay,
  REPORT_FORMATS,
  TRACE_FORMATS,
  DIFF_FORMATS,
  REPLAY_FORMATS,
  type FormatCommand,
  type FormatTable,
  type ReportFormat,
  type RenderOptions,
  type TraceFormat,
  type DiffFormat,
  type ReplayFormat,
} from "./report/formats.js";
// Lineage: runprov trace, diff and replay (docs/lineage.md).
export { trace, type TraceOptions, type TraceResult, type TraceClaim, type TraceArtifact, type TraceReason } from "./lineage/trace.js";
export { indexClaims, type ClaimIndex } from "./lineage/claims.js";
export { traceMermaid, traceDot, traceMarkdown, traceText, traceSummaryLine } from "./lineage/render-trace.js";
export { traceGateEntries, traceRegistryEntry, type GateTraceOptions } from "./lineage/gate.js";
export { diff, type DiffResult, type DiffChange, type DiffSection, type DiffOptions, type EntrypointSide } from "./lineage/diff.js";
export { replay, type ReplayPlan, type ReplayInput, type InputState, type ReplayOptions } from "./lineage/replay.js";
export { replayScript } from "./lineage/render-replay.js";
export { FAMILIES, familyByName } from "./families/index.js";
export type { FamilySpec, VariantSpec, DigestClaim, RuleViolation, FileFacts, Stakes, DeclaredStakes } from "./families/index.js";
export { GATE_CODES, type Finding, type FileFinding, type FindingCode, type GateCode } from "./findings.js";
export { loadBuffer, type LoadResult } from "./load/index.js";
export { parseJson } from "./load/parse.js";
export type { JsonValue, JsonObject } from "./load/json-value.js";
export * from "./types.js";

// Types generated from the schemas (json-schema-to-typescript), one namespace per family.
export type * from "../generated/types/index.js";
