/**
 * `runprov diff A B`: two versions of an artifact, compared the way a reviewer reads them. A and
 * B are files, or git revisions of one (`REV:path`, read with `git cat-file` through the hardened
 * runner; the path after the colon follows git's rule: relative to the top level, or to the
 * working directory when it starts with `./` or `../`). An operand that names an existing file is
 * that file, whatever its name.
 *
 * Both are parsed by the project's parser (NaN, Infinity, duplicate keys as `validate` reads
 * them). Changes are listed block first: entrypoint (with the commits each recorded digest
 * matches), argv (as one value: a command line), args key by key (each value whole), inputs and
 * outputs name by name (down to the descriptor's path and digest), the block's other keys; then
 * the rest of the document, down to each differing leaf. Numbers compare by value (NaN equals
 * NaN); arrays by index.
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import { readConfined, RefusedFile } from "../files/confined.js";
import { isSafeRev, readBlob, resolveCommit } from "../git/run.js";
import { GitHistory } from "../hash/git.js";
import { confinement, resolveRecorded } from "../hash/resolve.js";
import { childPointer, isObject, own, sameJson, type JsonObject, type JsonValue } from "../load/json-value.js";
import { loadBuffer, MAX_ARTIFACT_BYTES } from "../load/index.js";
import { resolveRoot } from "../pipeline.js";
import { UsageError } from "../types.js";

export const DIFF_SECTIONS = ["entrypoint", "argv", "args", "inputs", "outputs", "block", "document"] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export interface DiffChange {
  /** RFC 6901 pointer of the value that differs. */
  pointer: string;
  kind: "added" | "removed" | "changed";
  /** The value in A (`null` when added). */
  before: JsonValue | null;
  /** The value in B (`null` when removed). */
  after: JsonValue | null;
  /** Where a reviewer reads it: the block's parts in order, then the rest of the document. */
  section: DiffSection;
}

export interface EntrypointSide {
  path: string;
  sha256: string | null;
  /** Commits that put a version with this digest at the path, newest first. */
  commits: string[];
}

export interface DiffResult {
  /** The operands as given. */
  a: string;
  b: string;
  equal: boolean;
  changes: DiffChange[];
  /** Each side's entrypoint (null when that side records none). */
  entrypoint: { a: EntrypointSide | null; b: EntrypointSide | null };
}

export interface DiffOptions {
  root?: string;
  cwd?: string;
  onWarning?: (message: string) => void;
}

export async function diff(a: string, b: string, options: DiffOptions = {}): Promise<DiffResult> {
  const { root, cwd } = await resolveRoot(options);
  const [docA, docB] = [await readOperand(a, cwd, root), await readOperand(b, cwd, root)];
  const prefix = blockPointer(docA) === "" && blockPointer(docB) === "" ? "" : "/run_provenance";
  const changes: DiffChange[] = [];
  compare(docA, docB, "", prefix, changes);
  const rank = (c: DiffChange): number => (c.pointer === prefix ? -1 : DIFF_SECTIONS.indexOf(c.section));
  changes.sort((x, y) => rank(x) - rank(y)); // stable: the walk's order (sorted keys, indices) within a section

  const git = await GitHistory.open(root, options.onWarning);
  try {
    const conf = await confinement(root);
    const side = async (doc: JsonValue): Promise<EntrypointSide | null> => {
      const bp = blockPointer(doc);
      const block = bp === undefined ? undefined : bp === "" ? doc : own(doc as JsonObject, "run_provenance");
      const ep = isObject(block) ? own(block, "entrypoint") : undefined;
      if (!isObject(ep) || typeof own(ep, "path") !== "string") return null;
      const p = own(ep, "path") as string;
      const sha = own(ep, "sha256");
      const sha256 = typeof sha === "string" ? sha : null;
      const r = await resolveRecorded(p, root, conf);
      const commits = git && sha256 && "rel" in r ? await git.findCommits(r.rel, sha256) : [];
      return { path: p, sha256, commits };
    };
    return { a, b, equal: changes.length === 0, changes, entrypoint: { a: await side(docA), b: await side(docB) } };
  } finally {
    git?.close();
  }
}

/** Where the block is: `/run_provenance`, `""` for a bare block (family run-provenance), or undefined. */
function blockPointer(doc: JsonValue): string | undefined {
  if (!isObject(doc)) return undefined;
  if (isObject(own(doc, "run_provenance"))) return "/run_provenance";
  if (own(doc, "schema") === "ai-run-provenance-v1" && isObject(own(doc, "entrypoint"))) return "";
  return undefined;
}

function sectionOf(pointer: string, prefix: string): DiffSection {
  if (pointer !== prefix && !pointer.startsWith(`${prefix}/`)) return "document";
  const part = pointer.slice(prefix.length).split("/")[1];
  if (prefix === "" && !["entrypoint", "argv", "args", "inputs", "outputs", "schema", "shared_trainer"].includes(part)) return "document";
  return part === "entrypoint" || part === "argv" || part === "args" || part === "inputs" || part === "outputs" ? part : "block";
}

/** Values compared whole: argv is one command line, and each args value one setting. */
function atomic(pointer: string, prefix: string): boolean {
  if (pointer === `${prefix}/argv`) return true;
  const args = `${prefix}/args/`;
  return pointer.startsWith(args) && !pointer.slice(args.length).includes("/");
}

function compare(a: JsonValue | undefined, b: JsonValue | undefined, pointer: string, prefix: string, out: DiffChange[]): void {
  const section = sectionOf(pointer, prefix);
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ pointer, kind: "added", before: null, after: b!, section });
  if (b === undefined) return void out.push({ pointer, kind: "removed", before: a, after: null, section });
  if (!atomic(pointer, prefix)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) compare(a[i], b[i], childPointer(pointer, i), prefix, out);
      return;
    }
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) compare(own(a, k), own(b, k), childPointer(pointer, k), prefix, out);
      return;
    }
  }
  if (!sameJson(a, b)) out.push({ pointer, kind: "changed", before: a, after: b, section });
}

// ----------------------------------------------------------------------------- reading an operand

async function readOperand(given: string, cwd: string, root: string): Promise<JsonValue> {
  if (given === "") throw new UsageError("diff: an operand is empty");
  const abs = path.resolve(cwd, given);
  if (await lstat(abs).catch(() => null)) return parseOperand(given, readFile(given, abs, root));
  const m = /^([^:]+):(.+)$/s.exec(given);
  if (!m) throw new UsageError(`${given}: no such file (a git revision of one is written REV:path)`);
  return parseOperand(given, await readRevision(given, m[1], m[2], cwd));
}

function readFile(given: string, abs: string, root: string): Buffer {
  try {
    return readConfined(abs, root, MAX_ARTIFACT_BYTES);
  } catch (e) {
    const why = e instanceof RefusedFile ? e.message : (e as Error).message;
    throw new UsageError(`${given}: ${why}${e instanceof RefusedFile && e.reason === "outside-root" ? ` (the root is ${root}; pass --root)` : ""}`);
  }
}

/** `REV:path` through the hardened git runner; a ref that could be read as an option is refused. */
async function readRevision(given: string, rev: string, file: string, cwd: string): Promise<Buffer> {
  if (!isSafeRev(rev) || file.includes("\0")) throw new UsageError(`${given}: not REV:path (a revision may not start with "-" nor hold spaces)`);
  const oid = await resolveCommit(cwd, rev);
  if (oid === undefined) throw new UsageError(`${given}: ${rev} is no commit of a git repository here (not fetched? a shallow clone?)`);
  const blob = await readBlob(cwd, oid, file, MAX_ARTIFACT_BYTES + 1);
  if (blob === undefined) throw new UsageError(`${given}: ${file} does not exist at ${rev} (${oid.slice(0, 12)}), or is not a file there`);
  return blob;
}

function parseOperand(given: string, bytes: Buffer): JsonValue {
  const loaded = loadBuffer(bytes);
  if (!loaded.ok) {
    const d = loaded.diagnostics.find((x) => x.severity === "error") ?? loaded.diagnostics[0];
    throw new UsageError(`${given}: not JSON: ${d?.message ?? "parse error"}${d?.line !== undefined ? ` (line ${d.line}, column ${d.column ?? 1})` : ""}`);
  }
  return loaded.value;
}
