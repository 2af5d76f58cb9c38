/** What the checks of a registry's entries share, and how they say what they find. */
import { locate, type FileFinding, type FindingCode } from "../findings.js";
import type { Hasher } from "../hash/digest.js";
import type { Confinement } from "../hash/resolve.js";
import { loadFile, type LoadedDocument } from "../load/index.js";
import type { ArtifactResult, Severity } from "../types.js";
import type { GateEntry } from "./result.js";

/** What the checks of every entry share: the registry, what `validate()` found, one hasher. */
export interface CheckContext {
  root: string;
  conf: Confinement;
  hasher: Hasher;
  registryAbs: string;
  registryRel: string;
  registry: LoadedDocument;
  /** The registry as validated as model-registry. */
  registryResult: ArtifactResult | undefined;
  /** Sidecars and verdicts as validated, by root-relative path. */
  sidecarResults: Map<string, ArtifactResult>;
  verdictResults: Map<string, ArtifactResult>;
  /** Documents read for the checks, by absolute path (undefined: not a readable JSON document). */
  docs: Map<string, LoadedDocument | undefined>;
  /** The verdict files that may cover the members of an ensemble. */
  verdictFiles: (ensembleId: string) => Promise<string[]>;
}

/** A parsed document the checks read (once), or undefined when it is not one: `validate()` reports why. */
export function loadDoc(ctx: CheckContext, abs: string): LoadedDocument | undefined {
  if (!ctx.docs.has(abs)) {
    let doc: LoadedDocument | undefined;
    try {
      const r = loadFile(abs, ctx.root);
      doc = r.ok ? r : undefined;
    } catch {
      doc = undefined; // not a regular file inside the root: validate() reports why
    }
    ctx.docs.set(abs, doc);
  }
  return ctx.docs.get(abs);
}

/** A finding about the registry, located in it. */
export function registryFinding(ctx: CheckContext, severity: Severity, code: FindingCode, message: string, pointer: string): FileFinding {
  return locate({ severity, code, message, file: ctx.registryRel, pointer }, ctx.registry);
}

/** A finding about another file the gate read, located when it parsed. */
export function docFinding(
  doc: LoadedDocument | undefined,
  file: string,
  severity: Severity,
  code: FindingCode,
  message: string,
  pointer: string,
): FileFinding {
  return locate({ severity, code, message, file, pointer }, doc);
}

/** Add `f` to the entry, an error as a reason it fails and anything else as a warning, unless the same finding is listed already. */
export function note(entry: GateEntry, f: FileFinding): void {
  const list = f.severity === "error" ? entry.reasons : entry.warnings;
  if (list.some((g) => g.code === f.code && g.file === f.file && g.pointer === f.pointer && g.message === f.message)) return;
  list.push(f);
}

/** Note findings about the registry on `entry`. */
export function registrySayer(ctx: CheckContext, entry: GateEntry) {
  return (severity: Severity, code: FindingCode, message: string, pointer: string): void => note(entry, registryFinding(ctx, severity, code, message, pointer));
}
