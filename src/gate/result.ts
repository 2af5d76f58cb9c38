/** What `runprov gate registry-flip` takes and returns (the object `--format json` prints, pinned by docs/contract.md). */
import type { FileFinding } from "../findings.js";
import type { HashProgress, SharedResources } from "../types.js";

export type EntryStatus = "promoted" | "changed" | "unchanged" | "smoke" | "removed";

export interface GateEntry {
  /** Registry `id` (for a row without a string id: `models[<index>]`). */
  id: string;
  /** Index of the row in the current registry's `models`; null for removed entries. */
  index: number | null;
  status: EntryStatus;
  /** True for promoted and changed entries: the ones the gate checks. */
  checked: boolean;
  /** True when the entry passed every check, or was not checked. */
  pass: boolean;
  /** The ONNX graph, relative to the root, when the row names one. */
  onnx?: string;
  /** The sidecar that was checked, relative to the root. */
  sidecar?: string;
  /** Verdict files considered for an ensemble member, relative to the root. */
  verdicts?: string[];
  /** Why the entry fails (empty when it passes); `code` is a pinned validate code (schema, hash-mismatch, ...) or a gate code. */
  reasons: FileFinding[];
  /** Warnings and notes that do not fail the gate (uncovered `.onnx.data` weights, ...). */
  warnings: FileFinding[];
}

export interface GateResult {
  tool: { name: "runprov"; version: string };
  gate: "registry-flip";
  /** The registry, relative to the root. */
  registry: string;
  /** Absolute repository root the paths are relative to. */
  root: string;
  base: {
    /** `git` (from --base), `file` (from --before) or `none` (audit mode: everything production is checked). */
    kind: "git" | "file" | "none";
    /** The --base ref as given. */
    ref?: string;
    /** The commit the ref resolved to. */
    commit?: string;
    /** The --before file. */
    file?: string;
    /** Whether the base holds a registry at all (false: every production entry is promoted). */
    found: boolean;
  };
  /** Whether the registry's content differs from the base. */
  registryChanged: boolean;
  pass: boolean;
  summary: {
    entries: number;
    promoted: number;
    changed: number;
    unchanged: number;
    smoke: number;
    removed: number;
    checked: number;
    passed: number;
    failed: number;
  };
  /** Failures of the gate itself, not of one entry (the registry cannot be read, a row has no id, ...). */
  problems: FileFinding[];
  entries: GateEntry[];
}

export interface RegistryFlipOptions {
  /** The registry file (relative to `cwd`). */
  registry: string;
  /** Git ref of the base registry. */
  base?: string;
  /** File holding the base registry. */
  before?: string;
  /** Verdict files to use for ensemble members (instead of searching the registry's folder). */
  verdicts?: string[];
  /** Repository root; default: git top level of the registry's folder, else of `cwd`, else `cwd`. */
  root?: string;
  cwd?: string;
  jobs?: number;
  onHashProgress?: (p: HashProgress) => void;
  /** One hasher and one git history for the gate and what runs beside it (its lineage); the caller closes them. */
  shared?: SharedResources;
}
