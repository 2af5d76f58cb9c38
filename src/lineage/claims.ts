/**
 * The claim index of a root: every claim that every artifact under it records, keyed by the
 * file the claim is about. `runprov trace` walks it.
 *
 * It is built with the stages `validate` uses, and nothing else: the discover walker (every
 * regular `*.json` under the root, `.gitignore` files not read, because emitters write under an
 * ignored `runs/`; `.runprov.json` excludes still apply), the confined loader, detection, the
 * family's integrity digests and the verify stage's own list of claims. Nothing is hashed here:
 * the trace judges only the claims it reaches.
 */
import { loadConfig } from "../config.js";
import { detect } from "../detect.js";
import { discover } from "../discover.js";
import type { DigestClaim } from "../families/types.js";
import { confinement, resolveRecorded, type Confinement } from "../hash/resolve.js";
import { recordedClaims, type RecordedClaim } from "../hash/verify.js";
import { isObject } from "../load/json-value.js";
import { loadFile } from "../load/index.js";
import { displayPath, fileFacts } from "../pipeline.js";
import type { ClaimRole } from "../types.js";

export interface IndexedClaim {
  /** The artifact that records the claim (root-relative). */
  artifact: string;
  pointer: string;
  label: string;
  role: ClaimRole;
  /** The path as recorded. */
  recorded: string;
  kind: RecordedClaim["recordedKind"];
  sha256?: string;
  /**
   * The root-relative path the claim is about: the real path when the file exists (so a link and
   * its target are one node), else the path as written. Undefined when the path cannot lie in the
   * root (absolute, or climbing out of it).
   */
  target?: string;
  /** Recorded as a directory, or one now: the artifacts inside it are what the run read. */
  directory: boolean;
  /**
   * The claim says where its target came from: an output of the run, or the integrity digest of
   * a model graph (a sidecar's `sha256`, a registry row, an ensemble member). Every other claim
   * records what the run used: entrypoint, shared trainer, inputs, and digests paired with a
   * corpus path.
   */
  explains: boolean;
  /** Position of `pointer` in the artifact when the index was built. */
  line: number;
  column: number;
}

export interface IndexedArtifact {
  /** Root-relative path. */
  file: string;
  abs: string;
  family: string;
  claims: IndexedClaim[];
}

export interface ClaimIndex {
  /** The canonical root. */
  root: string;
  artifacts: Map<string, IndexedArtifact>;
  /** Claims by the target they are about. */
  about: Map<string, IndexedClaim[]>;
  /** Artifact paths in code-unit order (the artifacts inside a folder are one run of it). */
  sorted: string[];
  /** JSON files met while walking that could not be read. */
  unreadable: string[];
}

export interface IndexOptions {
  onWarning?: (message: string) => void;
}

/** Index every claim of every artifact under `root` (canonical, see `resolveRoot`). */
export async function indexClaims(root: string, options: IndexOptions = {}): Promise<ClaimIndex> {
  const config = loadConfig(root);
  const conf = await confinement(root);
  const found = await discover([root], root, root, { exclude: config.exclude, onWarning: options.onWarning, gitignore: false });
  const index: ClaimIndex = { root, artifacts: new Map(), about: new Map(), sorted: [], unreadable: [] };
  for (const f of found.files) {
    const a = await indexArtifact(f.absPath, root, conf, config.familyFor(displayPath(f.absPath, root)), index);
    if (!a) continue;
    index.artifacts.set(a.file, a);
    for (const c of a.claims) {
      if (c.target === undefined) continue;
      const list = index.about.get(c.target);
      if (list) list.push(c);
      else index.about.set(c.target, [c]);
    }
  }
  index.sorted = [...index.artifacts.keys()].sort();
  return index;
}

async function indexArtifact(
  abs: string,
  root: string,
  conf: Confinement,
  configured: string | undefined,
  index: ClaimIndex,
): Promise<IndexedArtifact | undefined> {
  const facts = fileFacts(abs, root);
  let loaded;
  try {
    loaded = loadFile(abs, root);
  } catch {
    // Refused (gone since the walk, unreadable, not regular): validate reports such files; a
    // trace can only say it could not look.
    index.unreadable.push(facts.relPath);
    return undefined;
  }
  if (!loaded.ok || !isObject(loaded.value)) return undefined;
  const doc = loaded.value;
  const detection = detect(doc, facts, undefined, configured);
  if (!detection) return undefined;
  const { family, variant } = detection;
  let integrity: DigestClaim[] = [];
  try {
    integrity = family.integrityDigests?.(doc, variant, facts) ?? [];
  } catch {
    // validate reports the rule that threw (`internal`); the block's claims still link.
  }
  const claims: IndexedClaim[] = [];
  for (const c of recordedClaims(doc, family, variant, integrity, abs, root)) {
    const r = await resolveRecorded(c.recordedPath, c.baseDir, conf);
    const pos = loaded.locate(c.pointer);
    const claim: IndexedClaim = {
      artifact: facts.relPath,
      pointer: c.pointer,
      label: c.label,
      role: c.role,
      recorded: c.recordedPath,
      kind: c.recordedKind,
      directory: c.recordedKind === "directory" || r.state === "directory",
      explains: c.role === "output" || (c.role === "integrity" && c.graph),
      line: pos.line,
      column: pos.column,
    };
    if (c.digest) claim.sha256 = c.digest;
    if ("abs" in r) claim.target = displayPath(r.abs, root);
    claims.push(claim);
  }
  return { file: facts.relPath, abs, family: family.name, claims };
}

/** The artifacts that lie below the folder `dir` (root-relative), from the sorted list. */
export function artifactsUnder(index: ClaimIndex, dir: string): string[] {
  const prefix = `${dir}/`;
  let lo = 0;
  let hi = index.sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < index.sorted.length && index.sorted[i].startsWith(prefix); i++) out.push(index.sorted[i]);
  return out;
}
