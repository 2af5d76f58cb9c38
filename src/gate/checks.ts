/**
 * The checks of one promoted or changed registry entry (docs/contract.md, "The registry-flip
 * gate"), on top of what `validate()` found in the registry, the sidecars and the verdicts:
 * 1. the registry validates as model-registry;
 * 2. the ONNX exists under the registry's folder and hashes to `sha256` (an LFS pointer through its oid);
 * 3. a quantised model's `<basename>.int8.onnx` hashes to `int8_sha256`;
 * 4. the sidecar `<basename>.json` beside the ONNX is valid and agrees with the registry;
 * 5. an ensemble member has a PROMOTE verdict covering its seed and no HOLD listing it (./verdicts.ts).
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { RefusedFile } from "../files/confined.js";
import { inFile } from "../findings.js";
import { int8Name } from "../families/model.js";
import { showValue } from "../families/util.js";
import { resolveRecorded } from "../hash/resolve.js";
import { SHA256_RE, uncoveredWeights } from "../hash/verify.js";
import { childPointer, isObject, own, sameJson, type JsonObject, type JsonValue } from "../load/json-value.js";
import { displayPath } from "../pipeline.js";
import { docFinding, loadDoc, note, registrySayer, type CheckContext } from "./context.js";
import type { GateEntry } from "./result.js";
import { checkEnsembleMember } from "./verdicts.js";

interface FileDigest {
  abs?: string;
  rel?: string;
  /** The content digest, or the LFS oid when the file is a pointer. */
  digest?: string;
  lfs?: boolean;
  /** Why the file cannot be hashed. */
  problem?: string;
}

/** Digest of a file the registry names: content hash, or the LFS oid when it is a pointer. */
async function fileDigest(ctx: CheckContext, recorded: string, baseDir: string): Promise<FileDigest> {
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
export function sidecarOf(registryDir: string, onnx: string): string {
  return path.resolve(registryDir, ...onnx.split(/[\\/]+/).filter(Boolean)).replace(/\.onnx$/i, "") + ".json";
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);

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

/** Every check of one promoted or changed entry; its reasons and warnings are added to `entry`. */
export async function checkEntry(ctx: CheckContext, entry: GateEntry, row: JsonObject): Promise<void> {
  const rowPtr = `/models/${entry.index}`;
  const say = registrySayer(ctx, entry);

  // 1. The registry validates as model-registry.
  if (!ctx.registryResult) {
    say("error", "registry-invalid", "the registry could not be validated", "");
  } else {
    for (const d of ctx.registryResult.diagnostics) {
      if (d.severity !== "error") continue;
      const own = d.pointer === rowPtr || d.pointer.startsWith(rowPtr + "/");
      const f = inFile(d, ctx.registryResult.file);
      if (!own) f.message = `registry is invalid: ${f.message}`;
      note(entry, f);
    }
  }

  // 2. and 3. The model files hash to what the row records.
  const onnx = str(own(row, "onnx"));
  if (onnx === undefined || onnx === "") {
    say("error", "registry-row", `entry ${entry.id} names no onnx file`, rowPtr);
    return; // nothing else can be located
  }
  const { model, int8 } = await checkModelFiles(ctx, entry, row, onnx);

  // 4. The sidecar `<basename of onnx>.json` beside the ONNX.
  await checkSidecar(ctx, entry, row, onnx, model, int8);

  // 5. Ensemble members need a PROMOTE verdict covering their seed and no HOLD listing it.
  await checkEnsembleMember(ctx, entry);
}

/** The ONNX (and, for a quantised entry, its int8 twin) hash to the row's digests. */
async function checkModelFiles(ctx: CheckContext, entry: GateEntry, row: JsonObject, onnx: string): Promise<{ model: FileDigest; int8?: FileDigest }> {
  const rowPtr = `/models/${entry.index}`;
  const say = registrySayer(ctx, entry);
  const registryDir = path.dirname(ctx.registryAbs);
  const sha = str(own(row, "sha256"));
  if (sha === undefined || !SHA256_RE.test(sha)) {
    say(
      "error",
      "registry-row",
      `entry ${entry.id} has no valid sha256 (64 lowercase hex digits)`,
      own(row, "sha256") === undefined ? rowPtr : `${rowPtr}/sha256`,
    );
  }
  const model = await fileDigest(ctx, onnx, registryDir);
  if (model.rel) entry.onnx = model.rel;
  if (model.problem) {
    say("error", "onnx-missing", `onnx of ${entry.id}: ${model.problem}`, `${rowPtr}/onnx`);
  } else if (sha !== undefined && model.digest !== sha) {
    const lfs = model.lfs ? " (Git LFS pointer oid)" : "";
    say("error", "hash-mismatch", `sha256 of ${entry.id} differs from ${model.rel}${lfs} (recorded ${sha}, found ${model.digest})`, `${rowPtr}/sha256`);
  } else if (model.lfs) {
    say("info", "lfs-pointer", `${model.rel} is a Git LFS pointer; its oid matches sha256`, `${rowPtr}/sha256`);
  }
  if (model.abs && (await uncoveredWeights(model.abs, ctx.conf))) {
    say("warning", "uncovered-file", `${model.rel}.data (external weights of the graph) is covered by no recorded digest`, `${rowPtr}/onnx`);
  }

  // A quantised model: `<basename>.int8.onnx` hashes to int8_sha256.
  const quant = own(row, "quant_mode");
  if (quant === undefined || quant === "fp32") return { model };
  const int8Sha = str(own(row, "int8_sha256"));
  if (int8Sha === undefined || !SHA256_RE.test(int8Sha)) {
    const pointer = own(row, "int8_sha256") === undefined ? `${rowPtr}/quant_mode` : `${rowPtr}/int8_sha256`;
    say("error", "registry-row", `entry ${entry.id} has quant_mode ${showValue(quant)} but no valid int8_sha256`, pointer);
  }
  const int8 = await fileDigest(ctx, int8Name(onnx), registryDir);
  if (int8.problem) {
    say("error", "int8-missing", `int8 model of ${entry.id}: ${int8.problem}`, `${rowPtr}/quant_mode`);
  } else if (int8Sha !== undefined && int8.digest !== int8Sha) {
    const lfs = int8.lfs ? " (Git LFS pointer oid)" : "";
    say(
      "error",
      "hash-mismatch",
      `int8_sha256 of ${entry.id} differs from ${int8.rel}${lfs} (recorded ${int8Sha}, found ${int8.digest})`,
      `${rowPtr}/int8_sha256`,
    );
  }
  if (int8.abs && (await uncoveredWeights(int8.abs, ctx.conf))) {
    say("warning", "uncovered-file", `${int8.rel}.data (external weights of the graph) is covered by no recorded digest`, `${rowPtr}/quant_mode`);
  }
  return { model, int8 };
}

/** The sidecar is valid, carries the block, and agrees with the registry row and with the files' digests. */
async function checkSidecar(
  ctx: CheckContext,
  entry: GateEntry,
  row: JsonObject,
  onnx: string,
  model: FileDigest,
  int8: FileDigest | undefined,
): Promise<void> {
  const rowPtr = `/models/${entry.index}`;
  const say = registrySayer(ctx, entry);
  const sidecarAbs = sidecarOf(path.dirname(ctx.registryAbs), onnx);
  const sidecarRel = displayPath(sidecarAbs, ctx.root);
  const sidecarResult = ctx.sidecarResults.get(sidecarRel);
  if (!sidecarResult) {
    say("error", "sidecar-missing", `no sidecar ${sidecarRel} beside ${model.rel ?? onnx}`, `${rowPtr}/onnx`);
    return;
  }
  const sidecarDoc = loadDoc(ctx, sidecarAbs);
  entry.sidecar = sidecarRel;
  for (const d of sidecarResult.diagnostics) {
    if (d.severity === "error") note(entry, inFile(d, sidecarRel));
    // uncovered-file is said once per entry, on the registry row (below/above).
    else if (d.severity === "warning" && d.code !== "uncovered-file") note(entry, inFile(d, sidecarRel));
  }
  const doc = sidecarDoc && isObject(sidecarDoc.value) ? sidecarDoc.value : undefined;
  if (!doc) return;
  const sha = str(own(row, "sha256"));
  const int8Sha = str(own(row, "int8_sha256"));
  const block = own(doc, "run_provenance");
  if (!isObject(block)) {
    if (!entry.reasons.some((r) => r.file === sidecarRel && r.code === "legacy-no-provenance")) {
      note(entry, docFinding(sidecarDoc, sidecarRel, "error", "legacy-no-provenance", "the sidecar carries no run_provenance block", ""));
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
        const message = `run_provenance records ${d.path} with sha256 ${d.sha256}; the registry says ${sha}`;
        note(entry, docFinding(sidecarDoc, sidecarRel, "error", "registry-disagrees", message, `${d.pointer}/sha256`));
      }
      if (int8?.abs && realTarget === int8.abs && int8Sha !== undefined && d.sha256 !== int8Sha) {
        const message = `run_provenance records ${d.path} with sha256 ${d.sha256}; the registry's int8_sha256 is ${int8Sha}`;
        note(entry, docFinding(sidecarDoc, sidecarRel, "error", "registry-disagrees", message, `${d.pointer}/sha256`));
      }
    }
  }
  for (const key of ["id", "sha256", "int8_sha256", "opset"]) {
    const a = own(doc, key);
    const b = own(row, key);
    if (a === undefined || b === undefined || sameJson(a, b)) continue;
    const message = `sidecar ${key} ${showValue(a)} differs from the registry's ${showValue(b)} (${ctx.registryRel}, ${entry.id})`;
    note(entry, docFinding(sidecarDoc, sidecarRel, "error", "registry-disagrees", message, `/${key}`));
  }
}
