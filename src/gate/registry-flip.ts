/**
 * `runprov gate registry-flip`: the check a CI job runs before a change to the model registry
 * (`model/tiny/registry.json`) merges.
 *
 * The registry is compared with its base version (`--base GIT_REF`, read with git, or
 * `--before FILE`; with neither, every production entry is checked: audit mode). Entries:
 * - promoted: production now (`smoke` false or absent) and absent from the base or `smoke: true` there;
 * - changed: production in both, with a different `onnx`, `sha256` or `int8_sha256`;
 * - unchanged: production in both with the same files (listed, not checked);
 * - smoke: `smoke: true` now (listed, not checked);
 * - removed: in the base only (listed, not checked).
 * Every promoted or changed entry must pass every check (see `checkEntry`). The gate passes
 * when all of them pass and nothing stopped the gate from reading the registry.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { isInside, readConfined, RefusedFile } from "../files/confined.js";
import { gitTopLevel, runGit, workTreeTop } from "../git/run.js";
import { Hasher } from "../hash/digest.js";
import { GitHistory } from "../hash/git.js";
import { confinement, resolveRecorded, type Confinement } from "../hash/resolve.js";
import { uncoveredWeights } from "../hash/verify.js";
import { loadBuffer, loadFile, MAX_ARTIFACT_BYTES, type LoadedDocument } from "../load/index.js";
import { childPointer, isObject, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import { int8Name } from "../families/model.js";
import { verdictOfFileName, verdictSeeds } from "../families/verdict.js";
import { TOOL_VERSION, displayPath, resolveRoot, validate } from "../pipeline.js";
import type { Finding } from "../report/model.js";
import { UsageError, type ArtifactResult, type Diagnostic, type HashProgress, type SharedResources, type Severity } from "../types.js";

export type EntryStatus = "promoted" | "changed" | "unchanged" | "smoke" | "removed";

/** A located finding; `code` is a pinned validate code (schema, hash-mismatch, ...) or a gate code (see GATE_CODES). */
export type GateFinding = Finding;

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
  /** Why the entry fails (empty when it passes). */
  reasons: GateFinding[];
  /** Warnings and notes that do not fail the gate (uncovered `.onnx.data` weights, ...). */
  warnings: GateFinding[];
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
  problems: GateFinding[];
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

/** Codes the gate adds to the pinned validate codes (documented for SARIF in ./rules.ts). */
export const GATE_CODES = [
  "registry-unreadable",
  "registry-row",
  "registry-invalid",
  "onnx-missing",
  "int8-missing",
  "sidecar-missing",
  "registry-disagrees",
  "verdict-missing",
  "verdict-hold",
] as const;

const SHA256_RE = /^[0-9a-f]{64}$/;
const SEED_ID_RE = /^(.+)_seed(\d+)$/;

// ----------------------------------------------------------------------------- small helpers

/** A file the gate reads (registry, base registry): a regular file inside the root, or a usage error. */
function readInsideRoot(abs: string, root: string, what: string): Buffer {
  try {
    return readConfined(abs, root, MAX_ARTIFACT_BYTES);
  } catch (e) {
    throw new UsageError(`${what}: ${e instanceof RefusedFile ? e.message : (e as Error).message}`);
  }
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

function fmt(v: JsonValue | undefined): string {
  if (v === undefined) return "(absent)";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v);
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function isProduction(row: JsonObject): boolean {
  // Fail closed: anything but a literal `smoke: true` is production.
  return own(row, "smoke") !== true;
}

interface LoadedRegistry {
  doc: LoadedDocument;
  rows: { row: JsonObject | undefined; index: number; id: string | undefined }[];
}

function registryRows(doc: LoadedDocument): LoadedRegistry["rows"] | undefined {
  if (!isObject(doc.value)) return undefined;
  const models = own(doc.value, "models");
  if (!Array.isArray(models)) return undefined;
  return models.map((m, index) => {
    const row = isObject(m) ? m : undefined;
    const id = row ? str(own(row, "id")) : undefined;
    return { row, index, id };
  });
}

/** Base registry rows by id (first occurrence wins), or undefined when there is no base registry. */
function baseIndex(value: JsonValue | undefined): Map<string, JsonObject> | undefined {
  if (!isObject(value)) return undefined;
  const models = own(value, "models");
  if (!Array.isArray(models)) return undefined;
  const out = new Map<string, JsonObject>();
  for (const m of models) {
    if (!isObject(m)) continue;
    const id = str(own(m, "id"));
    if (id !== undefined && !out.has(id)) out.set(id, m);
  }
  return out;
}

// ----------------------------------------------------------------------------- the base registry

interface BaseRegistry {
  info: GateResult["base"];
  /** Raw bytes (to tell whether the registry changed), undefined when absent. */
  bytes?: Buffer;
  rows?: Map<string, JsonObject>;
  /** The base exists but cannot be read as a registry: every production entry is treated as promoted. */
  unreadable?: string;
}

async function readBase(opts: RegistryFlipOptions, cwd: string, registryAbs: string, root: string): Promise<BaseRegistry> {
  if (opts.base !== undefined && opts.before !== undefined) {
    throw new UsageError("--base and --before are mutually exclusive");
  }
  if (opts.before !== undefined) {
    const bytes = readInsideRoot(path.resolve(cwd, opts.before), root, `--before ${opts.before}`);
    const loaded = loadBuffer(bytes);
    const info: GateResult["base"] = { kind: "file", file: opts.before, found: true };
    if (!loaded.ok) throw new UsageError(`--before ${opts.before}: not valid JSON (${loaded.diagnostics[0]?.message ?? "parse error"})`);
    const rows = baseIndex(loaded.value);
    if (!rows) throw new UsageError(`--before ${opts.before}: not a registry (no "models" array)`);
    return { info, bytes, rows };
  }
  if (opts.base !== undefined) {
    const ref = opts.base;
    if (ref === "" || ref.startsWith("-") || /[\s\0]/.test(ref)) throw new UsageError(`--base ${JSON.stringify(ref)}: not a git ref`);
    const dir = path.dirname(registryAbs);
    const top = (await gitTopLevel(dir)).top;
    if (!top) throw new UsageError(`--base ${ref}: ${displayPath(dir, cwd)} is not inside a git repository`);
    const rev = await runGit(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    if (!rev.ok) {
      throw new UsageError(
        `--base ${ref}: no such commit in this clone (a shallow clone or a branch that was not fetched? ` +
          `fetch it first, e.g. actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`,
      );
    }
    const commit = rev.stdout.toString("utf8").trim();
    const realTop = await realpath(top).catch(() => top);
    const realReg = await realpath(registryAbs).catch(() => registryAbs);
    const rel = path.relative(realTop, realReg).split(path.sep).join("/");
    const info: GateResult["base"] = { kind: "git", ref, commit, found: false };
    if (rel.startsWith("..")) throw new UsageError(`--registry is outside the git repository of ${top}`);
    const show = await runGit(top, ["cat-file", "blob", `${commit}:${rel}`]);
    if (!show.ok) return { info, rows: new Map() }; // not in the base: every production entry is promoted
    info.found = true;
    const loaded = loadBuffer(show.stdout);
    if (!loaded.ok) return { info, bytes: show.stdout, unreadable: `the registry at ${ref} is not valid JSON` };
    const rows = baseIndex(loaded.value);
    if (!rows) return { info, bytes: show.stdout, unreadable: `the registry at ${ref} has no "models" array` };
    return { info, bytes: show.stdout, rows };
  }
  return { info: { kind: "none", found: false } };
}

// ----------------------------------------------------------------------------- the gate

interface Ctx {
  root: string;
  conf: Confinement;
  hasher: Hasher;
  registryAbs: string;
  registryRel: string;
  registry: LoadedRegistry;
  registryResult: ArtifactResult | undefined;
  sidecarResults: Map<string, ArtifactResult>;
  verdictResults: Map<string, ArtifactResult>;
  docs: Map<string, LoadedDocument | undefined>;
  verdictFiles: (ensembleId: string) => Promise<string[]>;
}

function loadDoc(ctx: Ctx, abs: string): LoadedDocument | undefined {
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

function fromDiagnostic(d: Diagnostic, file: string): GateFinding {
  return { severity: d.severity, code: d.code, message: d.message, file, pointer: d.pointer, line: d.line, column: d.column };
}

function registryFinding(ctx: Ctx, severity: Severity, code: string, message: string, pointer: string, preferKey = false): GateFinding {
  const pos = ctx.registry.doc.locate(pointer, preferKey);
  return { severity, code, message, file: ctx.registryRel, pointer, line: pos.line, column: pos.column };
}

function docFinding(doc: LoadedDocument | undefined, file: string, severity: Severity, code: string, message: string, pointer: string): GateFinding {
  if (!doc) return { severity, code, message, file, pointer };
  const pos = doc.locate(pointer);
  return { severity, code, message, file, pointer, line: pos.line, column: pos.column };
}

/** Digest of a file the registry names: content hash, or the LFS oid when it is a pointer. */
async function fileDigest(ctx: Ctx, recorded: string, baseDir: string): Promise<{ abs?: string; rel?: string; digest?: string; lfs?: boolean; problem?: string }> {
  const r = await resolveRecorded(recorded, baseDir, ctx.conf);
  switch (r.state) {
    case "local-only":
      return { problem: `${recorded} is an absolute path; the registry must name a file in the repository` };
    case "outside-root":
      return { problem: `${recorded} resolves outside the repository root${r.via === "symlink" ? " through a symbolic link" : ""}` };
    case "missing":
      return { abs: r.abs, rel: r.rel, problem: `${r.rel} does not exist` };
    case "directory":
      return { abs: r.abs, rel: r.rel, problem: `${r.rel} is a directory` };
    case "special":
      return { abs: r.abs, rel: r.rel, problem: `${r.rel} is ${r.what}; it is never opened` };
    case "file": {
      try {
        const d = await ctx.hasher.digest(r.abs, r.size);
        return d.lfs ? { abs: r.abs, rel: r.rel, digest: d.lfs.oid, lfs: true } : { abs: r.abs, rel: r.rel, digest: d.sha256 };
      } catch (e) {
        return { abs: r.abs, rel: r.rel, problem: `${r.rel} ${e instanceof RefusedFile ? e.message : `cannot be read (${(e as Error).message})`}` };
      }
    }
  }
}

/** `<basename of onnx>.json` beside the ONNX the registry names (not resolved through links). */
function sidecarOf(registryDir: string, onnx: string): string {
  return path.resolve(registryDir, ...onnx.split(/[\\/]+/).filter(Boolean)).replace(/\.onnx$/i, "") + ".json";
}

function push(list: GateFinding[], f: GateFinding): void {
  if (list.some((g) => g.code === f.code && g.file === f.file && g.pointer === f.pointer && g.message === f.message)) return;
  list.push(f);
}

/** Every path descriptor in `run_provenance.inputs`/`outputs`, with its pointer. */
function descriptors(block: JsonObject): { pointer: string; path: string; sha256?: string; kind?: string }[] {
  const out: { pointer: string; path: string; sha256?: string; kind?: string }[] = [];
  for (const section of ["outputs", "inputs"]) {
    const obj = own(block, section);
    if (!isObject(obj)) continue;
    const base = `/run_provenance/${section}`;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      const visit = (x: JsonValue, pointer: string) => {
        if (isObject(x) && typeof own(x, "path") === "string") {
          out.push({ pointer, path: own(x, "path") as string, sha256: str(own(x, "sha256")), kind: str(own(x, "kind")) });
        }
      };
      if (Array.isArray(v)) v.forEach((x, i) => visit(x, childPointer(childPointer(base, key), i)));
      else visit(v, childPointer(base, key));
    }
  }
  return out;
}

async function checkEntry(ctx: Ctx, entry: GateEntry, row: JsonObject): Promise<void> {
  const rowPtr = `/models/${entry.index}`;
  const reasons = entry.reasons;
  const warnings = entry.warnings;
  const registryDir = path.dirname(ctx.registryAbs);

  // 1. The registry validates as model-registry.
  if (!ctx.registryResult) {
    push(reasons, registryFinding(ctx, "error", "registry-invalid", "the registry could not be validated", ""));
  } else {
    for (const d of ctx.registryResult.diagnostics) {
      if (d.severity !== "error") continue;
      const own = d.pointer === rowPtr || d.pointer.startsWith(rowPtr + "/");
      const f = fromDiagnostic(d, ctx.registryResult.file);
      if (!own) f.message = `registry is invalid: ${f.message}`;
      push(reasons, f);
    }
  }

  // 2. The ONNX exists under the registry's folder and hashes to sha256.
  const onnx = str(own(row, "onnx"));
  const sha = str(own(row, "sha256"));
  if (onnx === undefined || onnx === "") {
    push(reasons, registryFinding(ctx, "error", "registry-row", `entry ${entry.id} names no onnx file`, rowPtr));
    return; // nothing else can be located
  }
  if (sha === undefined || !SHA256_RE.test(sha)) {
    push(reasons, registryFinding(ctx, "error", "registry-row", `entry ${entry.id} has no valid sha256 (64 lowercase hex digits)`, own(row, "sha256") === undefined ? rowPtr : `${rowPtr}/sha256`));
  }
  const model = await fileDigest(ctx, onnx, registryDir);
  if (model.rel) entry.onnx = model.rel;
  if (model.problem) {
    push(reasons, registryFinding(ctx, "error", "onnx-missing", `onnx of ${entry.id}: ${model.problem}`, `${rowPtr}/onnx`));
  } else if (sha !== undefined && model.digest !== sha) {
    push(
      reasons,
      registryFinding(ctx, "error", "hash-mismatch", `sha256 of ${entry.id} differs from ${model.rel}${model.lfs ? " (Git LFS pointer oid)" : ""} (recorded ${sha}, found ${model.digest})`, `${rowPtr}/sha256`),
    );
  } else if (model.lfs) {
    push(warnings, registryFinding(ctx, "info", "lfs-pointer", `${model.rel} is a Git LFS pointer; its oid matches sha256`, `${rowPtr}/sha256`));
  }
  if (model.abs && (await uncoveredWeights(model.abs, ctx.conf))) {
    push(
      warnings,
      registryFinding(ctx, "warning", "uncovered-file", `${model.rel}.data (external weights of the graph) is covered by no recorded digest`, `${rowPtr}/onnx`),
    );
  }

  // 3. Quantised model: `<basename>.int8.onnx` hashes to int8_sha256.
  const quant = own(row, "quant_mode");
  const int8Rel = int8Name(onnx);
  let int8: Awaited<ReturnType<typeof fileDigest>> | undefined;
  const int8Sha = str(own(row, "int8_sha256"));
  if (quant !== undefined && quant !== "fp32") {
    if (int8Sha === undefined || !SHA256_RE.test(int8Sha)) {
      push(reasons, registryFinding(ctx, "error", "registry-row", `entry ${entry.id} has quant_mode ${fmt(quant)} but no valid int8_sha256`, own(row, "int8_sha256") === undefined ? `${rowPtr}/quant_mode` : `${rowPtr}/int8_sha256`));
    }
    int8 = await fileDigest(ctx, int8Rel, registryDir);
    if (int8.problem) {
      push(reasons, registryFinding(ctx, "error", "int8-missing", `int8 model of ${entry.id}: ${int8.problem}`, `${rowPtr}/quant_mode`));
    } else if (int8Sha !== undefined && int8.digest !== int8Sha) {
      push(
        reasons,
        registryFinding(ctx, "error", "hash-mismatch", `int8_sha256 of ${entry.id} differs from ${int8.rel}${int8.lfs ? " (Git LFS pointer oid)" : ""} (recorded ${int8Sha}, found ${int8.digest})`, `${rowPtr}/int8_sha256`),
      );
    }
    if (int8.abs && (await uncoveredWeights(int8.abs, ctx.conf))) {
      push(warnings, registryFinding(ctx, "warning", "uncovered-file", `${int8.rel}.data (external weights of the graph) is covered by no recorded digest`, `${rowPtr}/quant_mode`));
    }
  }

  // 4. The sidecar `<basename of onnx>.json` beside the ONNX.
  const sidecarAbs = sidecarOf(registryDir, onnx);
  const sidecarRel = displayPath(sidecarAbs, ctx.root);
  const sidecarResult = ctx.sidecarResults.get(sidecarRel);
  const sidecarDoc = sidecarResult ? loadDoc(ctx, sidecarAbs) : undefined;
  if (!sidecarResult) {
    push(reasons, registryFinding(ctx, "error", "sidecar-missing", `no sidecar ${sidecarRel} beside ${model.rel ?? onnx}`, `${rowPtr}/onnx`));
  } else {
    entry.sidecar = sidecarRel;
    for (const d of sidecarResult.diagnostics) {
      if (d.severity === "error") push(reasons, fromDiagnostic(d, sidecarRel));
      // uncovered-file is said once per entry, on the registry row (below/above).
      else if (d.severity === "warning" && d.code !== "uncovered-file") push(warnings, fromDiagnostic(d, sidecarRel));
    }
    const doc = sidecarDoc && isObject(sidecarDoc.value) ? sidecarDoc.value : undefined;
    if (doc) {
      const block = own(doc, "run_provenance");
      if (!isObject(block)) {
        if (!reasons.some((r) => r.file === sidecarRel && r.code === "legacy-no-provenance")) {
          push(reasons, docFinding(sidecarDoc, sidecarRel, "error", "legacy-no-provenance", "the sidecar carries no run_provenance block", ""));
        }
      } else {
        // Where the block records the ONNX (or its int8 twin) as a descriptor, it holds the registry's digest.
        for (const d of descriptors(block)) {
          if (d.kind !== "file" || d.sha256 === undefined) continue;
          const r = await resolveRecorded(d.path, ctx.root, ctx.conf);
          if (r.state === "local-only" || r.state === "outside-root") continue;
          const target = "abs" in r ? r.abs : undefined;
          if (!target) continue;
          const realTarget = await realpath(target).catch(() => target);
          if (model.abs && realTarget === model.abs && sha !== undefined && d.sha256 !== sha) {
            push(reasons, docFinding(sidecarDoc, sidecarRel, "error", "registry-disagrees", `run_provenance records ${d.path} with sha256 ${d.sha256}; the registry says ${sha}`, `${d.pointer}/sha256`));
          }
          if (int8?.abs && realTarget === int8.abs && int8Sha !== undefined && d.sha256 !== int8Sha) {
            push(reasons, docFinding(sidecarDoc, sidecarRel, "error", "registry-disagrees", `run_provenance records ${d.path} with sha256 ${d.sha256}; the registry's int8_sha256 is ${int8Sha}`, `${d.pointer}/sha256`));
          }
        }
      }
      for (const key of ["id", "sha256", "int8_sha256", "opset"]) {
        const a = own(doc, key);
        const b = own(row, key);
        if (a === undefined || b === undefined || sameJson(a, b)) continue;
        push(reasons, docFinding(sidecarDoc, sidecarRel, "error", "registry-disagrees", `sidecar ${key} ${fmt(a)} differs from the registry's ${fmt(b)} (${ctx.registryRel}, ${entry.id})`, `/${key}`));
      }
    }
  }

  // 5. Ensemble members need a PROMOTE verdict covering their seed and no HOLD listing it.
  const seedMatch = SEED_ID_RE.exec(entry.id);
  if (seedMatch) {
    const ensembleId = seedMatch[1];
    const seed = Number(seedMatch[2]);
    const files = await ctx.verdictFiles(ensembleId);
    entry.verdicts = files.map((f) => displayPath(f, ctx.root));
    const rejected: string[] = [];
    let promoted = false;
    for (const abs of files) {
      const rel = displayPath(abs, ctx.root);
      const doc = loadDoc(ctx, abs);
      const info = verdictSeeds(doc?.value);
      const result = ctx.verdictResults.get(rel);
      const kind = info?.verdict ?? verdictOfFileName(path.basename(abs));
      if (kind === "HOLD") {
        if (info && info.seeds.includes(seed)) {
          push(reasons, docFinding(doc, rel, "error", "verdict-hold", `HOLD verdict ${rel} lists seed ${seed} of ${ensembleId}`, "/seeds"));
        } else if (!info) {
          rejected.push(`${rel}: a HOLD that cannot be read`);
        }
        continue;
      }
      if (!info) {
        rejected.push(`${rel}: not a readable verdict`);
        continue;
      }
      const why: string[] = [];
      if (!info.passed) why.push("its gate did not pass");
      if (!info.seeds.includes(seed)) why.push(`its seeds [${info.seeds.join(", ")}] do not include ${seed}`);
      if (!(isObject(doc?.value) && isObject(own(doc!.value as JsonObject, "run_provenance")))) why.push("it carries no run_provenance");
      const errors = result ? result.diagnostics.filter((d) => d.severity === "error" && d.code !== "legacy-no-provenance") : [];
      if (!result) why.push("it could not be validated");
      else if (errors.length > 0) why.push(`it is invalid (${errors.length} error(s): ${errors[0]?.code ?? "?"} ${errors[0]?.message ?? ""})`);
      if (why.length === 0) promoted = true;
      else rejected.push(`${rel}: ${why.join("; ")}`);
    }
    if (!promoted) {
      const detail = files.length === 0 ? "no verdict file found" : rejected.join(" | ");
      push(
        reasons,
        registryFinding(ctx, "error", "verdict-missing", `seed ${seed} of ${ensembleId} has no valid PROMOTE verdict with a passed gate, its seed and run_provenance (${detail})`, `${rowPtr}/id`),
      );
    }
  }
}

/** The gate's root: --root, else the git top level of the registry's folder (else of cwd, else cwd); canonical. */
export async function gateRoot(opts: Pick<RegistryFlipOptions, "registry" | "root" | "cwd">): Promise<string> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const registryDir = path.dirname(await realpath(path.resolve(cwd, opts.registry)).catch(() => path.resolve(cwd, opts.registry)));
  const topOfRegistry = opts.root ? undefined : await workTreeTop(registryDir);
  return (await resolveRoot({ cwd, root: opts.root ?? topOfRegistry })).root;
}

export async function registryFlip(opts: RegistryFlipOptions): Promise<GateResult> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  if (opts.jobs !== undefined && (!Number.isInteger(opts.jobs) || opts.jobs < 1)) throw new UsageError("--jobs must be a positive integer");
  const given = path.resolve(cwd, opts.registry);
  const regStat = await stat(given).catch(() => null);
  if (!regStat) throw new UsageError(`--registry ${opts.registry}: no such file`);
  if (!regStat.isFile()) throw new UsageError(`--registry ${opts.registry}: not a regular file`);
  const registryAbs = await realpath(given);

  const root = await gateRoot(opts);
  if (!isInside(registryAbs, root)) throw new UsageError(`--registry ${opts.registry}: lies outside the root ${root} (pass --root)`);

  const verdictOverride: string[] | undefined = opts.verdicts?.length ? [] : undefined;
  for (const v of opts.verdicts ?? []) {
    const abs = await realpath(path.resolve(cwd, v)).catch(() => null);
    const st = abs ? await stat(abs).catch(() => null) : null;
    if (!abs || !st?.isFile()) throw new UsageError(`--verdict ${v}: no such file`);
    if (!isInside(abs, root)) throw new UsageError(`--verdict ${v}: lies outside the root ${root} (pass --root)`);
    verdictOverride!.push(abs);
  }

  const base = await readBase(opts, cwd, registryAbs, root);
  const registryRel = displayPath(registryAbs, root);
  const bytes = readInsideRoot(registryAbs, root, `--registry ${opts.registry}`);
  const registryChanged = base.bytes === undefined ? true : !bytes.equals(base.bytes);

  const result: GateResult = {
    tool: { name: "runprov", version: TOOL_VERSION },
    gate: "registry-flip",
    registry: registryRel,
    root,
    base: base.info,
    registryChanged,
    pass: false,
    summary: { entries: 0, promoted: 0, changed: 0, unchanged: 0, smoke: 0, removed: 0, checked: 0, passed: 0, failed: 0 },
    problems: [],
    entries: [],
  };

  const loaded = loadBuffer(bytes);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) {
      result.problems.push({ ...fromDiagnostic(d, registryRel), code: d.code === "parse-error" ? d.code : d.code });
    }
    result.problems.push({ severity: "error", code: "registry-unreadable", message: "the registry is not valid JSON: no entry can be checked", file: registryRel, pointer: "", line: 1, column: 1 });
    return finish(result);
  }
  const rows = registryRows(loaded);
  if (!rows) {
    const pos = loaded.locate("");
    result.problems.push({ severity: "error", code: "registry-unreadable", message: 'the registry has no "models" array: no entry can be checked', file: registryRel, pointer: "", line: pos.line, column: pos.column });
    return finish(result);
  }
  if (base.unreadable) {
    result.problems.push({ severity: "warning", code: "registry-unreadable", message: `${base.unreadable}: every production entry is checked as promoted`, file: registryRel, pointer: "" });
  }

  // Classify.
  const baseRows = base.rows;
  const plan: { entry: GateEntry; row: JsonObject }[] = [];
  const currentIds = new Set<string>();
  for (const { row, index, id } of rows) {
    if (id !== undefined) currentIds.add(id);
    if (!row || id === undefined) {
      if (row && !isProduction(row)) continue;
      const pos = loaded.locate(`/models/${index}`);
      result.problems.push({
        severity: "error",
        code: "registry-row",
        message: `models[${index}] has no string id: it cannot be checked`,
        file: registryRel,
        pointer: `/models/${index}`,
        line: pos.line,
        column: pos.column,
      });
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
    const onnx = str(own(row, "onnx"));
    if (onnx) entry.onnx = displayPath(path.resolve(path.dirname(registryAbs), onnx), root);
    result.entries.push(entry);
    if (entry.checked) plan.push({ entry, row });
  }
  if (baseRows) {
    for (const [id] of baseRows) {
      if (!currentIds.has(id)) result.entries.push({ id, index: null, status: "removed", checked: false, pass: true, reasons: [], warnings: [] });
    }
  }

  if (plan.length > 0) {
    // One hasher and one git history for the whole gate: each file is hashed once.
    const hasher = opts.shared?.hasher ?? new Hasher(root, opts.jobs, opts.onHashProgress);
    const git = opts.shared ? opts.shared.git : await GitHistory.open(root);
    try {
      const conf = await confinement(root);
      const registryDir = path.dirname(registryAbs);
      // Candidate sidecars and verdicts, validated in one run each.
      const sidecars = new Set<string>();
      for (const { row } of plan) {
        const onnx = str(own(row, "onnx"));
        if (!onnx) continue;
        const abs = sidecarOf(registryDir, onnx);
        const r = await resolveRecorded(path.relative(root, abs).split(path.sep).join("/"), root, conf);
        if (r.state === "file") sidecars.add(abs);
      }
      // Verdict candidates: regular files inside the root only (no FIFOs, no links out of the root).
      const listing: string[] = [];
      for (const n of verdictOverride ? [] : await readdir(registryDir).catch(() => [] as string[])) {
        if (verdictOfFileName(n) === undefined) continue;
        const r = await resolveRecorded(path.relative(root, path.join(registryDir, n)).split(path.sep).join("/"), root, conf);
        if (r.state === "file") listing.push(n);
      }
      const verdictCache = new Map<string, string[]>();
      const verdictFilesFor = (ensembleId: string): string[] => {
        let v = verdictCache.get(ensembleId);
        if (!v) {
          v = verdictOverride ?? listing.filter((n) => n.startsWith(ensembleId + "_") && verdictOfFileName(n) !== undefined).sort().map((n) => path.join(registryDir, n));
          verdictCache.set(ensembleId, v);
        }
        return v;
      };
      const verdicts = new Set<string>();
      for (const { entry } of plan) {
        const m = SEED_ID_RE.exec(entry.id);
        if (m) for (const f of verdictFilesFor(m[1])) verdicts.add(f);
      }

      // The gate judges every file as it is: a baseline never applies here.
      const common = { root, cwd, shared: { hasher, git }, baseline: false as const };
      const [regReport, sideReport, verdictReport] = await Promise.all([
        validate([registryAbs], { ...common, family: "model-registry" }),
        sidecars.size ? validate([...sidecars], { ...common, family: "model-sidecar", requireProvenance: true }) : undefined,
        verdicts.size ? validate([...verdicts], { ...common, family: "verdict", requireProvenance: true }) : undefined,
      ]);
      const byFile = (r: typeof regReport | undefined) => new Map((r?.results ?? []).map((x) => [x.file, x] as const));
      const ctx: Ctx = {
        root,
        conf,
        hasher,
        registryAbs,
        registryRel,
        registry: { doc: loaded, rows },
        registryResult: regReport.results.find((r) => r.file === registryRel) ?? regReport.results[0],
        sidecarResults: byFile(sideReport),
        verdictResults: byFile(verdictReport),
        docs: new Map(),
        verdictFiles: async (id) => verdictFilesFor(id),
      };
      for (const { entry, row } of plan) {
        try {
          await checkEntry(ctx, entry, row);
        } catch (e) {
          if (e instanceof UsageError) throw e;
          entry.reasons.push(registryFinding(ctx, "error", "registry-row", `entry ${entry.id} could not be checked: ${(e as Error).message}`, `/models/${entry.index}`));
        }
      }
    } finally {
      if (!opts.shared) {
        await hasher.close();
        git?.close();
      }
    }
  }
  return finish(result);
}

function finish(result: GateResult): GateResult {
  const s = result.summary;
  for (const e of result.entries) {
    e.pass = e.reasons.length === 0;
    s.entries++;
    s[e.status]++;
    if (e.checked) {
      s.checked++;
      if (e.pass) s.passed++;
      else s.failed++;
    }
  }
  result.pass = s.failed === 0 && !result.problems.some((p) => p.severity === "error");
  return result;
}
