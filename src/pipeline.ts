/**
 * The validation pipeline: discover -> load -> detect -> validate -> verify hashes -> report
 * objects. `validate()` is the library entry point; the CLI only parses flags and prints.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { loadConfig, type ProjectConfig } from "./config.js";
import { PACKAGE_VERSION } from "./paths.js";
import { detect, familyByFileName } from "./detect.js";
import { discover, type DiscoveredFile } from "./discover.js";
import { familyByName } from "./families/index.js";
import type { FamilySpec, FileFacts } from "./families/types.js";
import { isInside, RefusedFile } from "./files/confined.js";
import { FolderListings } from "./files/listings.js";
import { workTreeTop } from "./git/run.js";
import { cacheDirectory, DigestCache } from "./hash/cache.js";
import { Hasher } from "./hash/digest.js";
import { GitHistory } from "./hash/git.js";
import { confinement } from "./hash/resolve.js";
import { locate, type Finding } from "./findings.js";
import { verifyHashes, type HashContext, type HashTally } from "./hash/verify.js";
import { dottedPath, isObject, own, type JsonValue } from "./load/json-value.js";
import { applyBaseline, entryIsStale, loadRunBaseline } from "./baseline/file.js";
import { loadFile, type LoadedDocument, type LoadedFile } from "./load/index.js";
import { checkShard, inShard } from "./shard.js";
import { blockFindings } from "./validate/block.js";
import { describeErrors } from "./validate/errors.js";
import { SCHEMA_MAJOR_VERSIONS, schemaStore, versionOf, type SchemaStore } from "./validate/schemas.js";
import {
  UNKNOWN_POLICIES,
  UsageError,
  type ArtifactResult,
  type BaselineSummary,
  type Diagnostic,
  type DiagnosticCode,
  type DigestEvent,
  type HashProgress,
  type Report,
  type SharedResources,
  type ValidateOptions,
} from "./types.js";

export const TOOL_VERSION: string = PACKAGE_VERSION;

/** How many artifacts are in flight at once (hashing has its own worker pool). */
const ARTIFACT_CONCURRENCY = 8;
/** Documents with more values than this are validated up to their first schema error (bounded memory). */
const ALL_ERRORS_MAX_VALUES = 50_000;

export interface RunContext {
  root: string;
  cwd: string;
  options: ValidateOptions;
  config: ProjectConfig;
  hash: HashContext;
  /** Folder listings shared by the run's files (detection's "beside a model" evidence). */
  listings: FolderListings;
}

/**
 * Resolve `--root`: the flag, else the git top level of the working directory, else the
 * working directory; then canonically (symbolic links resolved), so that a root reached
 * through a link is the same root and every confinement check compares real paths.
 */
export async function resolveRoot(options: Pick<ValidateOptions, "root" | "cwd">): Promise<{ root: string; cwd: string }> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const given = options.root ? path.resolve(cwd, options.root) : ((await workTreeTop(cwd)) ?? cwd);
  const root = await realpath(given).catch(() => null);
  const st = root ? await stat(root).catch(() => null) : null;
  if (!root || !st?.isDirectory()) throw new UsageError(`--root ${options.root ?? given}: not a directory`);
  return { root, cwd };
}

export async function validate(paths: string[], options: ValidateOptions = {}): Promise<Report> {
  if (options.family && !familyByName(options.family)) {
    throw new UsageError(`unknown family "${options.family}" (runprov families lists them)`);
  }
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1)) {
    throw new UsageError(`--jobs must be a positive integer`);
  }
  if (options.unknown !== undefined && !UNKNOWN_POLICIES.includes(options.unknown)) {
    throw new UsageError(`--unknown must be one of ${UNKNOWN_POLICIES.join(", ")}`);
  }
  const shard = options.shard ? checkShard(options.shard) : undefined;
  const { root, cwd } = await resolveRoot(options);
  const config = loadConfig(root);
  const baseline = loadRunBaseline(options.baseline, root, cwd);
  const shared = options.shared;
  // docs/contract.md, "Scale": the digest cache, only where this run owns the hasher; found and
  // read while the selection is walked.
  const cacheOption = options.cache;
  const cacheLoad =
    cacheOption && !options.noHash && !shared
      ? cacheDirectory(root, cwd, typeof cacheOption === "object" ? cacheOption.location : undefined).then((dir) =>
          DigestCache.load(dir, root, TOOL_VERSION, options.onWarning),
        )
      : undefined;
  cacheLoad?.catch(() => undefined); // a usage error is thrown below, once the walk is done
  const discovery = await discover(paths, cwd, root, { exclude: config.exclude, onWarning: options.onWarning });
  const cache = await cacheLoad;
  // A shard checks the files whose root-relative path falls in it (see shard.ts).
  const mine = (rel: string): boolean => !shard || inShard(rel, shard);
  const files = shard ? discovery.files.filter((f) => mine(displayPath(f.absPath, root))) : discovery.files;
  const orphanModels = shard ? discovery.orphanModels.filter((m) => mine(displayPath(m, root))) : discovery.orphanModels;
  const hasher = shared?.hasher ?? new Hasher(root, options.jobs, options.onHashProgress, cache);
  const git = options.noHash ? undefined : shared ? shared.git : await GitHistory.open(root, options.onWarning);
  const ctx: RunContext = {
    root,
    cwd,
    options,
    config,
    listings: new FolderListings(),
    hash: {
      confinement: { ...(await confinement(root)), memo: new Map(), realFolders: new Map() },
      hasher,
      git,
      strictMissing: !!options.strictMissing,
      strictDrift: !!options.strictDrift,
    },
  };
  const tally: HashTally = { verified: 0, mismatched: 0, unverified: 0 };
  let skipped = 0;
  const results: ArtifactResult[] = [];
  const baselineEntries = baseline ? (shard ? [...baseline.artifacts.keys()].filter(mine).length : baseline.artifacts.size) : 0;
  const baselineSummary: BaselineSummary | undefined = baseline ? { applied: 0, stale: 0, entries: baselineEntries } : undefined;
  try {
    const outcomes = await mapLimit(files, ARTIFACT_CONCURRENCY, (f) => checkFileGuarded(f, ctx));
    const judged = new Set<string>();
    for (const o of outcomes) {
      if (!o) {
        skipped++;
        continue;
      }
      if (o.sha256 !== undefined) options.onArtifactDigest?.(o.result.file, o.sha256);
      if (baseline && baselineSummary) {
        const b = applyBaseline(baseline, o.result, o.sha256);
        baselineSummary.applied += b.applied;
        if (b.stale) baselineSummary.stale++;
        judged.add(o.result.file);
      }
      results.push(o.result);
      tally.verified += o.tally.verified;
      tally.mismatched += o.tally.mismatched;
      tally.unverified += o.tally.unverified;
    }
    // Entries of artifacts this run did not read are stale when their file changed or vanished.
    if (baseline && baselineSummary) {
      for (const [file, entry] of baseline.artifacts) if (!judged.has(file) && mine(file) && entryIsStale(file, entry, root)) baselineSummary.stale++;
    }
    for (const model of orphanModels) {
      if (options.unknown === "skip") {
        skipped++;
        continue;
      }
      const severity = options.unknown === "warn" ? "warning" : "error";
      results.push({
        file: displayPath(model, root),
        family: null,
        variant: null,
        schema: null,
        valid: severity !== "error",
        diagnostics: [
          {
            severity,
            code: "unknown-family",
            message: `no sidecar (${path.basename(model).replace(/(\.int8)?\.onnx$/i, ".json")}) and no registry.json vouches for this model file`,
            pointer: "",
            line: 1,
            column: 1,
          },
        ],
      });
    }
    cache?.save();
  } finally {
    if (!shared) {
      await hasher.close();
      git?.close();
    }
  }
  // A shard may be empty; `runprov merge` applies the rule to the union of the shards.
  if (results.length === 0 && !options.allowEmpty && !shard) {
    const where = paths.length ? paths.join(", ") : displayPath(cwd, root);
    const why = skipped ? ` (${skipped} file(s) matched no artifact family)` : "";
    throw new UsageError(`no artifacts found in ${where}${why}; a check of nothing cannot pass (--allow-empty accepts an empty selection)`);
  }
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const valid = results.filter((r) => r.valid).length;
  const summary: Report["summary"] = { artifacts: results.length, valid, invalid: results.length - valid, skipped, hashes: tally };
  if (baselineSummary) summary.baseline = baselineSummary;
  const tool = { name: "runprov" as const, version: TOOL_VERSION };
  return shard ? { tool, shard, summary, results } : { tool, summary, results };
}

/** One hasher and one git history for several runs over `root` (see ValidateOptions.shared). */
export async function openShared(
  root: string,
  jobs?: number,
  onHashProgress?: (p: HashProgress) => void,
  onWarning?: (m: string) => void,
): Promise<SharedResources> {
  return { hasher: new Hasher(root, jobs, onHashProgress), git: await GitHistory.open(root, onWarning) };
}

export async function closeShared(shared: SharedResources): Promise<void> {
  await shared.hasher.close();
  shared.git?.close();
}

/** A path as reports show it: relative to the root with POSIX separators, absolute outside it. */
export function displayPath(abs: string, root: string): string {
  if (!isInside(abs, root)) return abs;
  if (abs === root) return ".";
  // A normalised path below the root is the root, a separator and the rest (no path.relative).
  const rel = abs.startsWith(root) && abs[root.length] === path.sep ? abs.slice(root.length + 1) : path.relative(root, abs);
  return path.sep === "/" ? rel : rel.split(path.sep).join("/");
}

/**
 * What detection and the family rules know about a file (its name, its place, its siblings).
 * `listings`: one per run, so that the files of a folder share one listing of it.
 */
export function fileFacts(abs: string, root: string, listings: FolderListings = new FolderListings()): FileFacts {
  const dir = path.dirname(abs);
  return {
    absPath: abs,
    relPath: displayPath(abs, root),
    baseName: path.basename(abs),
    siblingExists: (name: string) => listings.hasFile(dir, name),
  };
}

interface Outcome {
  result: ArtifactResult;
  tally: HashTally;
  /** SHA-256 of the artifact file's bytes as they were read (for the baseline). */
  sha256?: string;
}

const emptyTally = (): HashTally => ({ verified: 0, mismatched: 0, unverified: 0 });

/** An `internal` diagnostic: a rule or claim threw; the artifact cannot be judged, so it is invalid. */
function internal(what: string, e: unknown, pointer = ""): Finding<DiagnosticCode> {
  const message = e instanceof Error ? e.message : String(e);
  return {
    severity: "error",
    code: "internal",
    message: `${what} failed: ${message} (a bug in runprov; the artifact cannot be judged until it is fixed)`,
    pointer,
  };
}

/** Any exception in one artifact's checks becomes an `internal` error for that artifact, never a crash of the run. */
async function checkFileGuarded(f: DiscoveredFile, ctx: RunContext): Promise<Outcome | undefined> {
  try {
    return await checkFile(f, ctx);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const file = displayPath(f.absPath, ctx.root);
    const d = internal(`checking ${file}`, e);
    return {
      result: { file, family: null, variant: null, schema: null, valid: false, diagnostics: [{ ...d, line: 1, column: 1 }] },
      tally: emptyTally(),
    };
  }
}

async function checkFile(f: DiscoveredFile, ctx: RunContext): Promise<Outcome | undefined> {
  const { root, options } = ctx;
  const facts = fileFacts(f.absPath, root, ctx.listings);
  const configured = ctx.config.familyFor(facts.relPath);
  const result: ArtifactResult = { file: facts.relPath, family: null, variant: null, schema: null, valid: false, diagnostics: [] };
  const tally = emptyTally();

  let loaded: LoadedFile;
  try {
    loaded = loadFile(f.absPath, root, { strictJson: options.strictJson });
  } catch (e) {
    if (!(e instanceof RefusedFile)) throw e;
    if (f.explicit) throw new UsageError(`${facts.relPath}: ${e.message}`);
    if (e.reason === "missing") return undefined; // removed since the walk listed it
    // Met while walking and not readable: it may be an artifact, so it cannot pass unseen.
    result.family = options.family ?? configured ?? familyByFileName(facts)?.name ?? null;
    result.diagnostics = [
      {
        severity: "error",
        code: "unreadable",
        message: `${e.message}; a file met while walking must be readable to be judged`,
        pointer: "",
        line: 1,
        column: 1,
      },
    ];
    return { result, tally };
  }
  if (!loaded.ok) {
    // A walked file that does not even parse is reported only when its name says it is an
    // artifact (a JSONC tsconfig.json is not our business); a named one always is.
    const byName = options.family ?? configured ?? familyByFileName(facts)?.name;
    if (!f.explicit && !byName) return undefined;
    result.family = byName ?? null;
    result.diagnostics = loaded.diagnostics;
    return { result, tally, sha256: loaded.sha256 || undefined };
  }

  const doc = loaded.value;
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  let detection;
  try {
    detection = detect(doc, facts, options.family, configured);
  } catch (e) {
    result.diagnostics = [...diagnostics, at(loaded, internal("family detection", e))];
    return { result, tally, sha256: loaded.sha256 };
  }
  if (!detection) {
    if (!f.explicit || options.unknown === "skip") return undefined;
    diagnostics.push(
      at(loaded, {
        severity: options.unknown === "warn" ? "warning" : "error",
        code: "unknown-family",
        message: "matches no artifact family and carries no run_provenance block (use --family, or map it in .runprov.json)",
        pointer: "",
      }),
    );
    result.diagnostics = diagnostics;
    result.valid = !diagnostics.some((d) => d.severity === "error");
    return { result, tally, sha256: loaded.sha256 };
  }
  const family = detection.family;
  result.family = family.name;

  // Validate against the variant's schema (or find the variant that fits best), in the major
  // version the document's block names.
  const version = versionOf(doc);
  if ("unsupported" in version) {
    diagnostics.push(
      at(loaded, {
        severity: "error",
        code: "schema",
        message: `run_provenance.schema: ${JSON.stringify(version.unsupported)} is a major version this runprov does not know (it knows ${SCHEMA_MAJOR_VERSIONS.join(", ")}); upgrade run-provenance`,
        pointer: "/run_provenance/schema",
      }),
    );
  } else {
    try {
      const checked = await checkSchema(doc, family, detection.variant, schemaStore(version.version), loaded.values <= ALL_ERRORS_MAX_VALUES);
      result.variant = checked.variant ?? null;
      result.schema = checked.schemaId;
      for (const p of checked.problems) diagnostics.push(at(loaded, p));
      // Names in run_provenance.args/inputs/outputs that the variant's emitters are not known to write.
      const def = family.variants.find((v) => v.name === checked.variant)?.def;
      if (def !== undefined) {
        for (const w of blockFindings(doc, version.version, family.schemaFile, def, `${family.name}/${checked.variant}`)) diagnostics.push(at(loaded, w));
      }
    } catch (e) {
      diagnostics.push(at(loaded, internal(`schema validation (${family.name})`, e)));
    }
  }

  const docObj = isObject(doc) ? doc : undefined;
  if (docObj && family.carriesProvenance && own(docObj, "run_provenance") === undefined) {
    diagnostics.push(
      at(loaded, {
        severity: options.requireProvenance ? "error" : "warning",
        code: "legacy-no-provenance",
        message: options.requireProvenance
          ? `no run_provenance block; --require-provenance demands one for ${family.name} artifacts`
          : `no run_provenance block (a legacy file written before ADR-0661)`,
        pointer: "",
      }),
    );
  }

  if (docObj) {
    const variant = result.variant ?? detection.variant;
    try {
      for (const v of family.consistency?.(docObj, variant, facts) ?? []) {
        diagnostics.push(at(loaded, { severity: v.severity ?? "error", code: "inconsistent", message: v.message, pointer: v.pointer }));
      }
    } catch (e) {
      diagnostics.push(at(loaded, internal(`${family.name} cross-field rules`, e)));
    }
    if (!options.noHash) {
      let integrity: ReturnType<NonNullable<FamilySpec["integrityDigests"]>> = [];
      try {
        integrity = family.integrityDigests?.(docObj, variant, facts) ?? [];
      } catch (e) {
        diagnostics.push(at(loaded, internal(`${family.name} integrity digests`, e)));
      }
      const { onDigest, onClaim } = options;
      const located = loaded; // narrowed to a parsed document, for the closure below
      const hashCtx: HashContext = {
        ...ctx.hash,
        onDigest: onDigest && ((e: Omit<DigestEvent, "file">) => onDigest({ file: result.file, ...e })),
        onClaim: onClaim && ((e) => onClaim({ file: result.file, ...e, ...located.locate(e.pointer) })),
      };
      const verified = await verifyHashes(docObj, f.absPath, family, variant, integrity, hashCtx);
      for (const d of verified.diagnostics) diagnostics.push(at(loaded, d));
      Object.assign(tally, verified.tally);
    }
  }

  result.diagnostics = diagnostics;
  result.valid = !diagnostics.some((d) => d.severity === "error");
  return { result, tally, sha256: loaded.sha256 };
}

interface CheckedSchema {
  variant?: string;
  schemaId: string;
  problems: Finding<DiagnosticCode>[];
}

async function checkSchema(doc: JsonValue, family: FamilySpec, variant: string | undefined, schemas: SchemaStore, allErrors: boolean): Promise<CheckedSchema> {
  const run = async (def: string, name = family.name) => {
    const { id, validate } = await schemas.get(family.schemaFile, def || undefined, { allErrors });
    const ok = validate(doc) as boolean;
    const describe = { doc, patternDescription: (p: string) => schemas.patternDescription(p), label: `${family.name}/${name}` };
    const problems = ok ? [] : describeErrors(validate.errors ?? [], describe);
    return { id, problems };
  };
  const toDiag = (problems: ReturnType<typeof describeErrors>, prefix = "") =>
    problems.map((p) => ({ ...p, message: `${prefix}${where(p.pointer)}${p.message}` }));

  const known = family.variants.find((v) => v.name === variant);
  if (known || family.variants.length <= 1) {
    const v = known ?? family.variants[0];
    const { id, problems } = await run(v?.def ?? "", v?.name);
    return { variant: v?.name, schemaId: id, problems: toDiag(problems) };
  }
  // Variant unknown: the first variant that accepts the document, else the closest one.
  let best: { name: string; id: string; problems: ReturnType<typeof describeErrors> } | undefined;
  for (const v of family.variants) {
    const { id, problems } = await run(v.def, v.name);
    if (!problems.length) return { variant: v.name, schemaId: id, problems: [] };
    if (!best || problems.length < best.problems.length) best = { name: v.name, id, problems };
  }
  return {
    variant: undefined,
    schemaId: schemas.id(family.schemaFile),
    problems: toDiag(best!.problems, `fits no ${family.name} variant; closest is ${best!.name}: `),
  };
}

function where(pointer: string): string {
  return pointer ? `${dottedPath(pointer)}: ` : "";
}

/** An artifact's own finding, located in its document: where every stage's findings get their line and column. */
function at(doc: LoadedDocument, f: Finding<DiagnosticCode>): Diagnostic {
  return locate(f, doc);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}
