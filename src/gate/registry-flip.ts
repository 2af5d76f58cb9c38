/**
 * `runprov gate registry-flip`: the check a CI job runs before a change to the model registry
 * (`model/tiny/registry.json`) merges, as a small module on top of the pipeline.
 *
 * The registry is compared with its base version (`--base GIT_REF`, read with git, or
 * `--before FILE`; with neither, every production entry is checked: audit mode; ./base.ts), its
 * rows are classified against it (./classify.ts), the registry, the sidecars and the verdicts
 * the checked entries need are judged by `validate()` (one hasher and one git history for all),
 * and every promoted or changed entry must pass every check (./checks.ts, ./verdicts.ts). The
 * gate passes when all of them pass and nothing stopped the gate from reading the registry.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { isInside } from "../files/confined.js";
import { inFile, locate, type FileFinding } from "../findings.js";
import { workTreeTop } from "../git/run.js";
import { Hasher } from "../hash/digest.js";
import { GitHistory } from "../hash/git.js";
import { confinement, resolveRecorded } from "../hash/resolve.js";
import { loadBuffer } from "../load/index.js";
import { own } from "../load/json-value.js";
import { TOOL_VERSION, displayPath, resolveRoot, validate } from "../pipeline.js";
import { UsageError, type Report, type Severity } from "../types.js";
import { readBase, readInsideRoot } from "./base.js";
import { checkEntry, sidecarOf } from "./checks.js";
import { classify, registryRows } from "./classify.js";
import { registryFinding, type CheckContext } from "./context.js";
import type { GateResult, RegistryFlipOptions } from "./result.js";
import { ensembleMember, verdictFinder } from "./verdicts.js";

export type { EntryStatus, GateEntry, GateResult, RegistryFlipOptions } from "./result.js";

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

  // The registry itself cannot be read as one: no entry can be checked.
  const unreadable = (severity: Severity, message: string): FileFinding => ({ severity, code: "registry-unreadable", message, file: registryRel, pointer: "" });
  const loaded = loadBuffer(bytes);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) result.problems.push(inFile(d, registryRel));
    result.problems.push({ ...unreadable("error", "the registry is not valid JSON: no entry can be checked"), line: 1, column: 1 });
    return finish(result);
  }
  const rows = registryRows(loaded);
  if (!rows) {
    result.problems.push(locate(unreadable("error", 'the registry has no "models" array: no entry can be checked'), loaded));
    return finish(result);
  }
  if (base.unreadable) result.problems.push(unreadable("warning", `${base.unreadable}: every production entry is checked as promoted`));

  const { entries, plan, problems } = classify(loaded, rows, base, { registryAbs, registryRel, root });
  result.problems.push(...problems);
  result.entries.push(...entries);
  if (plan.length === 0) return finish(result);

  // One hasher and one git history for the whole gate: each file is hashed once.
  const hasher = opts.shared?.hasher ?? new Hasher(root, opts.jobs, opts.onHashProgress);
  const git = opts.shared ? opts.shared.git : await GitHistory.open(root);
  try {
    const conf = await confinement(root);
    const registryDir = path.dirname(registryAbs);
    // Candidate sidecars and verdicts, validated in one run each.
    const sidecars = new Set<string>();
    for (const { row } of plan) {
      const onnx = own(row, "onnx");
      if (typeof onnx !== "string" || !onnx) continue;
      const abs = sidecarOf(registryDir, onnx);
      const r = await resolveRecorded(path.relative(root, abs).split(path.sep).join("/"), root, conf);
      if (r.state === "file") sidecars.add(abs);
    }
    const verdictFilesFor = await verdictFinder(registryDir, root, conf, verdictOverride);
    const verdicts = new Set<string>();
    for (const { entry } of plan) {
      const member = ensembleMember(entry.id);
      if (member) for (const f of verdictFilesFor(member.ensembleId)) verdicts.add(f);
    }

    // The gate judges every file as it is: a baseline never applies here.
    const common = { root, cwd, shared: { hasher, git }, baseline: false as const };
    const [regReport, sideReport, verdictReport] = await Promise.all([
      validate([registryAbs], { ...common, family: "model-registry" }),
      sidecars.size ? validate([...sidecars], { ...common, family: "model-sidecar", requireProvenance: true }) : undefined,
      verdicts.size ? validate([...verdicts], { ...common, family: "verdict", requireProvenance: true }) : undefined,
    ]);
    const byFile = (r: Report | undefined) => new Map((r?.results ?? []).map((x) => [x.file, x] as const));
    const ctx: CheckContext = {
      root,
      conf,
      hasher,
      registryAbs,
      registryRel,
      registry: loaded,
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
        entry.reasons.push(
          registryFinding(ctx, "error", "registry-row", `entry ${entry.id} could not be checked: ${(e as Error).message}`, `/models/${entry.index}`),
        );
      }
    }
  } finally {
    if (!opts.shared) {
      await hasher.close();
      git?.close();
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
