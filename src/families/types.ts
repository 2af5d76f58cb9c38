/**
 * What the pipeline needs to know about one artifact family. A family is its schema
 * (`schema/v1/<family>.schema.json`), one module in this folder (`<family>.ts`, exporting
 * `defineFamily({...})` as the camel-cased family name) and its golden fixtures. The schema says
 * the variants (catalog.generated.ts); the module says how to recognise the family (declared
 * evidence, docs/contract.md "Detection"), which variant a document is, which digests outside the
 * block it carries, the stakes of each of its outputs, and which cross-field rules its emitters
 * always keep.
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
 * How a recorded digest is judged when the file it names differs (docs/contract.md, "Hash
 * policy"). One vocabulary for the family catalogs and the verify stage:
 * - `integrity`: says what the artifact *is* (a sidecar's `sha256`, an output written *before*
 *   the block, such as an exporter's ONNX): a difference is a `hash-mismatch` error;
 * - `provenance`: what the run *used* (entrypoint, inputs, shared_trainer): judged against git
 *   history (`historical-match`, or an error, or a warning for untracked data);
 * - `unknown`: an output the catalog gives no stakes for: like provenance, capped at warning;
 * - `stale`: written *after* the block (or the artifact itself): stale by design, a difference is info;
 * - `reexport`: written before the block, but known to go stale when the file is legitimately
 *   regenerated later (ensemble members re-exported): a difference is info.
 */
export type Stakes = "integrity" | "provenance" | "unknown" | "stale" | "reexport";

/**
 * The stakes a family declares for one of its outputs (by when the emitter writes it relative to
 * the block) or for a digest outside the block: `integrity` (written before the block), `stale`
 * (after it) or `reexport`. The block's own entrypoint and inputs are always `provenance`, and an
 * output the family does not list is `unknown`.
 */
export type DeclaredStakes = Extract<Stakes, "integrity" | "stale" | "reexport">;

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
   * Stakes by output name (key of `run_provenance.outputs`). A name ending in `*` matches
   * every key with that prefix. Applies to every descriptor of an array value.
   */
  outputs?: Record<string, DeclaredStakes>;
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
  stakes: Extract<DeclaredStakes, "integrity" | "reexport">;
  /**
   * The file is an ONNX graph: say when `<path>.data` weights sit beside it uncovered.
   * Default: the path ends in `.onnx`.
   */
  onnxGraph?: boolean;
}

/** What a cross-field rule finds (src/findings.ts): reported as an `inconsistent` finding. */
export type { RuleViolation };

/**
 * The tiers of file-name evidence, in precedence order (docs/contract.md, "Detection", step 4):
 * - `fixed`: the one name (or path) the emitter always writes: `PROMOTE.json`, `loso_seed<N>.json`;
 * - `beside-model`: `<id>.json` beside `<id>.onnx` (a model sidecar);
 * - `convention`: a naming convention that other tools also follow (`registry.json`, `*_ensemble_v*.json`).
 * Within a tier at most one family may match a file; test/detection.test.ts proves it on every
 * golden document, the real corpus and the conformance vectors.
 */
export const NAME_TIERS = ["fixed", "beside-model", "convention"] as const;
export type NameTier = (typeof NAME_TIERS)[number];

/** A file-name convention: every given part must hold. */
export interface FileNameEvidence {
  tier: NameTier;
  /** The file name must match. */
  name?: RegExp;
  /** The root-relative POSIX path must match. */
  path?: RegExp;
  /** The file name must not match (a convention of another family that looks alike). */
  unless?: RegExp;
  /** A file named like this one with `.json` replaced by this suffix must exist beside it (`.onnx`). */
  beside?: string;
}

/** A key set only this family's documents have: every given part must hold. */
export interface KeyEvidence {
  /** Own keys the document has. */
  has?: readonly string[];
  /** Own keys it does not have. */
  lacks?: readonly string[];
  /** Top-level values it has. */
  equals?: Readonly<Record<string, string | number | boolean>>;
  /** What keys cannot say (the shape of a value); code only where a key set is not enough. */
  where?(doc: JsonObject): boolean;
  /** The variant this evidence names, when it names one. */
  variant?: string;
}

/** What tells a family's documents apart, beside the catalog's schema strings and emitters. */
export interface DetectionEvidence {
  /** File-name conventions (step 4). */
  fileNames?: readonly FileNameEvidence[];
  /** Key sets (step 5); any one that holds is evidence. */
  keys?: readonly KeyEvidence[];
  /**
   * One emitter writes two families with one block (a trainer's sidecar and metrics file): the
   * family whose key set holds wins, and when neither holds, the one that is not secondary.
   */
  secondaryWriter?: boolean;
}

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
  /** Output stakes shared by all variants (a variant's own `outputs` take precedence). */
  outputs?: Record<string, DeclaredStakes>;
  /** Declared detection evidence (docs/contract.md, "Detection", steps 4 and 5). */
  detection?: DetectionEvidence;
  /** Variant of a document of this family; undefined when none can be told (all are tried). */
  variantOf(doc: JsonObject, file: FileFacts): string | undefined;
  /** Digests outside the block (sidecar `sha256`, `int8_sha256`, registry rows, corpus pairs). */
  integrityDigests?(doc: JsonObject, variant: string | undefined, file: FileFacts): DigestClaim[];
  /** Cross-field rules the emitters always keep (reported as `inconsistent`). */
  consistency?(doc: JsonObject, variant: string | undefined, file: FileFacts): RuleViolation[];
}
