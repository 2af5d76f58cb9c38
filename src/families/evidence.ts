/** Whether declared detection evidence holds for a file or a document (families/types.ts). */
import { own, type JsonObject } from "../load/json-value.js";
import type { FamilySpec, FileFacts, FileNameEvidence, KeyEvidence, NameTier } from "./types.js";

export function nameHolds(e: FileNameEvidence, file: FileFacts): boolean {
  if (e.name && !e.name.test(file.baseName)) return false;
  if (e.path && !e.path.test(file.relPath)) return false;
  if (e.unless && e.unless.test(file.baseName)) return false;
  if (e.beside !== undefined) {
    if (!file.baseName.endsWith(".json")) return false;
    if (!file.siblingExists(file.baseName.slice(0, -".json".length) + e.beside)) return false;
  }
  return true;
}

export function keysHold(e: KeyEvidence, doc: JsonObject): boolean {
  if (e.has && !e.has.every((k) => Object.prototype.hasOwnProperty.call(doc, k))) return false;
  if (e.lacks && e.lacks.some((k) => Object.prototype.hasOwnProperty.call(doc, k))) return false;
  if (e.equals && !Object.entries(e.equals).every(([k, v]) => own(doc, k) === v)) return false;
  if (e.where && !e.where(doc)) return false;
  return true;
}

/** Whether the family's file-name evidence of `tier` holds. */
export function namedBy(family: FamilySpec, tier: NameTier, file: FileFacts): boolean {
  return family.detection?.fileNames?.some((e) => e.tier === tier && nameHolds(e, file)) ?? false;
}

/** Whether any of the family's key sets holds. */
export function keyedBy(family: FamilySpec, doc: JsonObject): boolean {
  return family.detection?.keys?.some((e) => keysHold(e, doc)) ?? false;
}

/** The variant named by the first key set that holds (in declaration order), or undefined. */
export function variantByKeys(evidence: readonly KeyEvidence[], doc: JsonObject): string | undefined {
  return evidence.find((e) => e.variant !== undefined && keysHold(e, doc))?.variant;
}
