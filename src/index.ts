/**
 * Library entry point: `import { validate } from "run-provenance"`. `validate()` returns the
 * same objects the JSON report prints.
 */
export { validate, TOOL_VERSION } from "./pipeline.js";
export { registryFlip, type GateResult, type GateEntry, type RegistryFlipOptions } from "./gate/registry-flip.js";
export { renderReport, REPORT_FORMATS, type ReportFormat, type RenderOptions } from "./report/index.js";
// Lineage: runprov trace, diff and replay (docs/lineage.md).
export { trace, type TraceOptions, type TraceResult, type TraceClaim, type TraceArtifact, type TraceReason } from "./lineage/trace.js";
export { indexClaims, type ClaimIndex } from "./lineage/claims.js";
export { renderTrace, traceMermaid, traceDot, traceMarkdown, traceText, traceSummaryLine, TRACE_FORMATS, type TraceFormat } from "./lineage/render-trace.js";
export { traceGateEntries, traceRegistryEntry, type GateTraceOptions } from "./lineage/gate.js";
export { diff, type DiffResult, type DiffChange, type DiffSection, type DiffOptions, type EntrypointSide } from "./lineage/diff.js";
export { renderDiff, DIFF_FORMATS, type DiffFormat } from "./lineage/render-diff.js";
export { replay, type ReplayPlan, type ReplayInput, type InputState, type ReplayOptions } from "./lineage/replay.js";
export { renderReplay, replayScript, REPLAY_FORMATS, type ReplayFormat } from "./lineage/render-replay.js";
export { FAMILIES, familyByName } from "./families/index.js";
export type { FamilySpec, VariantSpec, DigestClaim, RuleViolation, FileFacts, OutputTiming } from "./families/index.js";
export { GATE_CODES, type Finding, type FileFinding, type FindingCode, type GateCode } from "./findings.js";
export { loadBuffer, type LoadResult } from "./load/index.js";
export { parseJson } from "./load/parse.js";
export type { JsonValue, JsonObject } from "./load/json-value.js";
export * from "./types.js";

// Types generated from the schemas (json-schema-to-typescript), one namespace per family.
export type * from "../generated/types/index.js";
