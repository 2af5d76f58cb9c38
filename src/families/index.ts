/**
 * Every family the contract pins. Order matters only as a tie-breaker: when two
 * families score the same in one detection step, the earlier one wins, so the
 * generic fallbacks (`run-manifest`, `run-provenance`) come last.
 */
import type { FamilySpec } from "./types.js";
import { modelSidecar } from "./model-sidecar.js";
import { ensembleManifest } from "./ensemble-manifest.js";
import { verdict } from "./verdict.js";
import { losoSeedReport } from "./loso-seed-report.js";
import { evalReport } from "./eval-report.js";
import { validatorReport } from "./validator-report.js";
import { trainingMetrics } from "./training-metrics.js";
import { quantReport } from "./quant-report.js";
import { recipe } from "./recipe.js";
import { analysisReport } from "./analysis-report.js";
import { vmafTrainReport } from "./vmaf-train-report.js";
import { tableAudit } from "./table-audit.js";
import { chugSplitManifest } from "./chug-split-manifest.js";
import { chugHdrAudit } from "./chug-hdr-audit.js";
import { predictorReport } from "./predictor-report.js";
import { featureTableManifest } from "./feature-table-manifest.js";
import { modelRegistry } from "./model-registry.js";
import { runManifest } from "./run-manifest.js";
import { runProvenance } from "./run-provenance.js";

export const FAMILIES: readonly FamilySpec[] = [
  modelSidecar,
  ensembleManifest,
  verdict,
  losoSeedReport,
  evalReport,
  validatorReport,
  trainingMetrics,
  quantReport,
  recipe,
  analysisReport,
  vmafTrainReport,
  tableAudit,
  chugSplitManifest,
  chugHdrAudit,
  predictorReport,
  featureTableManifest,
  modelRegistry,
  runManifest,
  runProvenance,
];

export function familyByName(name: string): FamilySpec | undefined {
  return FAMILIES.find((f) => f.name === name);
}

export type { FamilySpec, VariantSpec, DigestClaim, RuleViolation, FileFacts, Stakes, DeclaredStakes } from "./types.js";
