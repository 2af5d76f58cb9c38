/**
 * Ensemble members (`<ensemble>_seed<N>`): a valid PROMOTE verdict with a passed gate, listing N
 * and carrying run_provenance, must cover the seed, and no HOLD may list it. Verdicts come from
 * `--verdict`, or are the `<ensemble>_*PROMOTE.json` / `*HOLD.json` files beside the registry.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { verdictOfFileName, verdictSeeds } from "../families/verdict.js";
import { resolveRecorded, type Confinement } from "../hash/resolve.js";
import { isObject, own, type JsonObject } from "../load/json-value.js";
import { displayPath } from "../pipeline.js";
import { docFinding, loadDoc, note, registryFinding, type CheckContext } from "./context.js";
import type { GateEntry } from "./result.js";

const SEED_ID_RE = /^(.+)_seed(\d+)$/;

/** The ensemble and seed of an ensemble member's id, or undefined for any other entry. */
export function ensembleMember(id: string): { ensembleId: string; seed: number } | undefined {
  const m = SEED_ID_RE.exec(id);
  return m ? { ensembleId: m[1], seed: Number(m[2]) } : undefined;
}

/**
 * The verdict files of each ensemble: the `--verdict` files when given (for every ensemble), else
 * the verdict files beside the registry named after the ensemble, sorted. Candidates are regular
 * files inside the root only (no FIFOs, no links out of the root).
 */
export async function verdictFinder(
  registryDir: string,
  root: string,
  conf: Confinement,
  override: string[] | undefined,
): Promise<(ensembleId: string) => string[]> {
  const listing: string[] = [];
  for (const n of override ? [] : await readdir(registryDir).catch(() => [] as string[])) {
    if (verdictOfFileName(n) === undefined) continue;
    const r = await resolveRecorded(path.relative(root, path.join(registryDir, n)).split(path.sep).join("/"), root, conf);
    if (r.state === "file") listing.push(n);
  }
  const cache = new Map<string, string[]>();
  return (ensembleId) => {
    let v = cache.get(ensembleId);
    if (!v) {
      v =
        override ??
        listing
          .filter((n) => n.startsWith(ensembleId + "_") && verdictOfFileName(n) !== undefined)
          .sort()
          .map((n) => path.join(registryDir, n));
      cache.set(ensembleId, v);
    }
    return v;
  };
}

/** Check 5 of an entry: nothing to do unless it is an ensemble member. */
export async function checkEnsembleMember(ctx: CheckContext, entry: GateEntry): Promise<void> {
  const member = ensembleMember(entry.id);
  if (!member) return;
  const { ensembleId, seed } = member;
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
        note(entry, docFinding(doc, rel, "error", "verdict-hold", `HOLD verdict ${rel} lists seed ${seed} of ${ensembleId}`, "/seeds"));
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
    if (!(isObject(doc?.value) && isObject(own(doc.value as JsonObject, "run_provenance")))) why.push("it carries no run_provenance");
    const errors = result ? result.diagnostics.filter((d) => d.severity === "error" && d.code !== "legacy-no-provenance") : [];
    if (!result) why.push("it could not be validated");
    else if (errors.length > 0) why.push(`it is invalid (${errors.length} error(s): ${errors[0]?.code ?? "?"} ${errors[0]?.message ?? ""})`);
    if (why.length === 0) promoted = true;
    else rejected.push(`${rel}: ${why.join("; ")}`);
  }
  if (!promoted) {
    const detail = files.length === 0 ? "no verdict file found" : rejected.join(" | ");
    const message = `seed ${seed} of ${ensembleId} has no valid PROMOTE verdict with a passed gate, its seed and run_provenance (${detail})`;
    note(entry, registryFinding(ctx, "error", "verdict-missing", message, `/models/${entry.index}/id`));
  }
}
