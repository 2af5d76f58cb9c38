/**
 * The registry's rows against the base (docs/contract.md, "The registry-flip gate"):
 * - promoted: production now (`smoke` false or absent) and absent from the base or `smoke: true` there;
 * - changed: production in both, with a different `onnx`, `sha256` or `int8_sha256`;
 * - unchanged: production in both with the same files (listed, not checked);
 * - smoke: `smoke: true` now (listed, not checked);
 * - removed: in the base only (listed, not checked).
 */
import path from "node:path";
import { locate, type FileFinding } from "../findings.js";
import { isObject, own, sameJson, type JsonObject } from "../load/json-value.js";
import type { LoadedDocument } from "../load/index.js";
import { displayPath } from "../pipeline.js";
import type { BaseRegistry } from "./base.js";
import type { EntryStatus, GateEntry } from "./result.js";

export interface RegistryRow {
  row: JsonObject | undefined;
  index: number;
  /** The row's `id` when it is a string. */
  id: string | undefined;
}

/** The rows of the registry's `models`, or undefined when it has no such array. */
export function registryRows(doc: LoadedDocument): RegistryRow[] | undefined {
  if (!isObject(doc.value)) return undefined;
  const models = own(doc.value, "models");
  if (!Array.isArray(models)) return undefined;
  return models.map((m, index) => {
    const row = isObject(m) ? m : undefined;
    const id = row ? own(row, "id") : undefined;
    return { row, index, id: typeof id === "string" ? id : undefined };
  });
}

/** Fail closed: anything but a literal `smoke: true` is production. */
export function isProduction(row: JsonObject): boolean {
  return own(row, "smoke") !== true;
}

export interface Classified {
  /** Every entry: the registry's rows in order, then the ones the base alone has. */
  entries: GateEntry[];
  /** The promoted and changed entries, with their rows: what the gate checks. */
  plan: { entry: GateEntry; row: JsonObject }[];
  /** Production rows that cannot be checked (no string id). */
  problems: FileFinding[];
}

export function classify(
  registry: LoadedDocument,
  rows: RegistryRow[],
  base: BaseRegistry,
  where: { registryAbs: string; registryRel: string; root: string },
): Classified {
  const out: Classified = { entries: [], plan: [], problems: [] };
  const baseRows = base.rows;
  const currentIds = new Set<string>();
  for (const { row, index, id } of rows) {
    if (id !== undefined) currentIds.add(id);
    if (!row || id === undefined) {
      if (row && !isProduction(row)) continue;
      const message = `models[${index}] has no string id: it cannot be checked`;
      out.problems.push(locate({ severity: "error", code: "registry-row", message, file: where.registryRel, pointer: `/models/${index}` }, registry));
      continue;
    }
    let status: EntryStatus;
    if (!isProduction(row)) status = "smoke";
    else if (!baseRows || base.unreadable) status = "promoted";
    else {
      const before = baseRows.get(id);
      if (!before || !isProduction(before)) status = "promoted";
      else if (["onnx", "sha256", "int8_sha256"].some((k) => !sameJson(own(row, k), own(before, k)))) status = "changed";
      else status = "unchanged";
    }
    const entry: GateEntry = { id, index, status, checked: status === "promoted" || status === "changed", pass: true, reasons: [], warnings: [] };
    const onnx = own(row, "onnx");
    if (typeof onnx === "string" && onnx) entry.onnx = displayPath(path.resolve(path.dirname(where.registryAbs), onnx), where.root);
    out.entries.push(entry);
    if (entry.checked) out.plan.push({ entry, row });
  }
  if (baseRows) {
    for (const [id] of baseRows) {
      if (!currentIds.has(id)) out.entries.push({ id, index: null, status: "removed", checked: false, pass: true, reasons: [], warnings: [] });
    }
  }
  return out;
}
