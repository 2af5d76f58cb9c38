/**
 * Lineage for the registry-flip gate: the trace of each entry the gate checked (promoted or
 * changed), so that the evidence of a flip is one picture per entry in the pull request
 * (`traceMermaid` of ./render-trace.ts renders each). One claim index of the root and one
 * hasher and git history serve every entry.
 */
import path from "node:path";
import type { GateEntry, GateResult } from "../gate/registry-flip.js";
import { Hasher } from "../hash/digest.js";
import { GitHistory } from "../hash/git.js";
import type { SharedResources } from "../types.js";
import { indexClaims, type ClaimIndex } from "./claims.js";
import { trace, type TraceResult } from "./trace.js";

export interface GateTraceOptions {
  jobs?: number;
  /** One hasher and one git history (the caller closes them); default: opened and closed here. */
  shared?: SharedResources;
  /** The claim index of the gate's root, when built already. */
  index?: ClaimIndex;
  onWarning?: (message: string) => void;
}

/** The trace of one registry entry's ONNX, or undefined when the row names none inside the root. */
export async function traceRegistryEntry(
  gate: GateResult,
  entry: GateEntry,
  options: GateTraceOptions & { shared: SharedResources; index: ClaimIndex },
): Promise<TraceResult | undefined> {
  if (!entry.onnx || path.isAbsolute(entry.onnx)) return undefined;
  return trace(entry.onnx, { root: gate.root, cwd: gate.root, shared: options.shared, index: options.index, jobs: options.jobs, onWarning: options.onWarning });
}

/** The traces of every entry the gate checked, by entry id (in the gate's order). */
export async function traceGateEntries(gate: GateResult, options: GateTraceOptions = {}): Promise<Map<string, TraceResult>> {
  const out = new Map<string, TraceResult>();
  const checked = gate.entries.filter((e) => e.checked);
  if (checked.length === 0) return out;
  const shared = options.shared ?? { hasher: new Hasher(gate.root, options.jobs), git: await GitHistory.open(gate.root, options.onWarning) };
  try {
    const index = options.index ?? (await indexClaims(gate.root, { onWarning: options.onWarning }));
    for (const entry of checked) {
      const t = await traceRegistryEntry(gate, entry, { ...options, shared, index });
      if (t) out.set(entry.id, t);
    }
    return out;
  } finally {
    if (!options.shared) {
      await shared.hasher.close();
      shared.git?.close();
    }
  }
}
