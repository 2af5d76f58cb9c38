/**
 * What the pipeline needs to know about one artifact family. Each family is one
 * module in this folder exporting a `FamilySpec`; `index.ts` lists them in
 * detection order. The spec says how to recognise the family, which variant a
 * document is, which digests outside the block it carries, when each of its
 * outputs is written relative to the block, and which cross-field rules its
 * emitters always keep.
 */
import type { JsonObject } from "../load/json-value.js";
import type { RuleViolation } from "../findings.js";

/** Facts about the file being checked, for name- and location-based detection. */
export interface FileFacts {
  /** POSIX path relative to the root (absolute when outside it). */
  relPath: string;
  absPath: string;
  /** File name without folders, e.g. `fr_regressor_v1.json`. */
  baseName: string;
  /** True when a file of this name exists in the artifact's own folder. */
  siblingExists(name: string): boolean;
}

/**
 * When an emitter writes an output relative to building the block:
 * - `before`: the output exists when the block is built, so its digest is an integrity digest
 *   (a difference is a `hash-mismatch` error);
 * - `after`: written after the block (or the artifact itself): stale by design, a difference is info;
 * - `reexport`: written before the block, but known to go stale when the file is legitimately
 *   regenerated later (ensemble members re-exported): a difference is info.
 * Outputs that a family does not list are judged like provenance digests, capped at warning.
 */
export type OutputTiming = "before" | "after" | "reexport";

export interface VariantSpec {
  /** Variant name as printed in reports, e.g. `fr-regressor-v1` or `ptq-dynamic-report-v1`. */
  name: string;
  /** Key of this variant's schema in the family schema's `$defs`. */
  def: string;
  description: string;
  /** Top-level `schema` string values that name this variant (docs/contract.md, "Detection", step 3). */
  schemaStrings?: string[];
  /** Basenames of `run_provenance.entrypoint.path` that write this variant, e.g. `train_fr_regressor.py`. */
  entrypoints?: string[];
  /**
   * Output timing by output name (key of `run_provenance.outputs`). A name ending in `*` matches
   * every key with that prefix. Applies to every descriptor of an array value.
   */
  outputs?: Record<string, OutputTiming>;
}

/** A digest recorded outside the block that pairs a path with the digest of that file's bytes. */
export interface DigestClaim {
  /** Pointer to the recorded digest string. */
  pointer: string;
  /** The file path as recorded (or derived, e.g. `<basename>.int8.onnx`). */
  path: string;
  /** Resolve `path` against the artifact's folder or against the root. */
  relativeTo: "artifact" | "root";
  /** Human label used in messages, e.g. `sha256 of onnx`. */
  label: string;
  /** `integrity`: a difference is an error; `reexport`: known to go stale, a difference is info. */
  stakes: "integrity" | "reexport";
  /**
   * The file is an ONNX graph: say when `<path>.data` weights sit beside it uncovered.
   * Default: the path ends in `.onnx`.
   */
  onnxGraph?: boolean;
}

/** What a cross-field rule finds (src/findings.ts): reported as an `inconsistent` finding. */
export type { RuleViolation };

export interface FamilySpec {
  name: string;
  description: string;
  /** File name of the family schema in `schema/v1/`. */
  schemaFile: string;
  /** Whether documents of this family carry (or should carry) `run_provenance`. */
  carriesProvenance: boolean;
  /** Human-readable file patterns, listed by `runprov families`. */
  filePatterns: string[];
  variants: VariantSpec[];
  /** Output timing shared by all variants (a variant's own `outputs` take precedence). */
  outputs?: Record<string, OutputTiming>;
  /**
   * File-name convention (docs/contract.md, "Detection", step 4): a specificity score, higher wins,
   * 0 when the name does not match. Name-only, no content.
   */
  matchFileName?(file: FileFacts): number;
  /**
   * Content detection (step 5): a score > 0 when the document's key set looks like this family
   * (entrypoint basenames listed in `variants[].entrypoints` are matched by the pipeline already).
   */
  matchContent?(doc: JsonObject, file: FileFacts): number;
  /** Variant of a document of this family; undefined when none can be told (all are tried). */
  variantOf(doc: JsonObject, file: FileFacts): string | undefined;
  /** Digests outside the block (sidecar `sha256`, `int8_sha256`, registry rows, corpus pairs). */
  integrityDigests?(doc: JsonObject, variant: string | undefined, file: FileFacts): DigestClaim[];
  /** Cross-field rules the emitters always keep (reported as `inconsistent`). */
  consistency?(doc: JsonObject, variant: string | undefined, file: FileFacts): RuleViolation[];
}
