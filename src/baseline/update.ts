/** `runprov baseline`: write or prune the baseline file (see ./file.ts for what it holds). */
import path from "node:path";
import { resolveRoot, validate } from "../pipeline.js";
import { UsageError, type ValidateOptions } from "../types.js";
import { BASELINE_FILE, entriesOf, entryIsStale, readBaseline, writeBaseline, type BaselineEntry } from "./file.js";

export interface BaselineRunOptions extends ValidateOptions {
  /** Where to write (relative to `cwd`); default `<root>/.runprov-baseline.json`. */
  output?: string;
  /** Only drop stale entries of the existing baseline; record nothing new. */
  prune?: boolean;
}

export interface BaselineUpdate {
  /** The file written (absolute). */
  file: string;
  entries: number;
  added: number;
  removed: number;
  /** Entries whose recorded errors or digest changed. */
  updated: number;
  /** Errors found that a baseline cannot accept (a digest of another file, ...): they keep failing. */
  refused: number;
}

/**
 * `runprov baseline`: record the errors of the selected artifacts (validated without any
 * baseline), keeping the entries of artifacts outside the selection; or, with `prune`, drop
 * the entries whose artifact changed or vanished and record nothing new (the ratchet).
 */
export async function updateBaseline(paths: string[], options: BaselineRunOptions = {}): Promise<BaselineUpdate> {
  const { root, cwd } = await resolveRoot(options);
  const file = options.output !== undefined ? path.resolve(cwd, options.output) : path.join(root, BASELINE_FILE);
  const existing = readBaseline(file, root, true)?.artifacts ?? new Map<string, BaselineEntry>();
  const next = new Map(existing);
  let refused = 0;
  if (options.prune) {
    if (paths.length) throw new UsageError("runprov baseline --prune takes no paths: it checks every entry of the baseline");
    for (const [f, entry] of existing) if (entryIsStale(f, entry, root)) next.delete(f);
  } else {
    const digests = new Map<string, string>();
    const report = await validate(paths, {
      ...options,
      baseline: false,
      allowEmpty: true,
      onArtifactDigest: (f, sha) => {
        digests.set(f, sha);
        options.onArtifactDigest?.(f, sha);
      },
    });
    for (const r of report.results) next.delete(r.file);
    const recorded = entriesOf(report.results, digests);
    for (const [f, entry] of recorded.entries) next.set(f, entry);
    refused = recorded.refused;
  }
  let added = 0;
  let updated = 0;
  for (const [f, e] of next) {
    const before = existing.get(f);
    if (!before) added++;
    else if (JSON.stringify(before) !== JSON.stringify(e)) updated++;
  }
  const removed = [...existing.keys()].filter((f) => !next.has(f)).length;
  writeBaseline(file, next);
  return { file, entries: next.size, added, removed, updated, refused };
}
