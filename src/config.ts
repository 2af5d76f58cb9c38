/**
 * Project configuration: `<root>/.runprov.json`, for repositories that name their artifacts
 * their own way.
 *
 *   {"families": {"reports/**\/gate-*.json": "quant-report"},
 *    "exclude": ["runs/scratch/**"]}
 *
 * Globs are matched against root-relative POSIX paths (picomatch, `dot: true`). The first
 * matching `families` glob wins (detection step 2). `exclude` removes walked files, except
 * below a directory named on the command line that an exclude glob matches (see discover.ts).
 *
 * The file is read like every other (files/confined.ts): a `.runprov.json` that is not a
 * regular file inside the root (a FIFO, a device, a link out of the root) is a usage error
 * naming it, never read and never obeyed.
 */
import path from "node:path";
import { compileGlob, type ExcludeRule } from "./discover.js";
import { familyByName } from "./families/index.js";
import { readConfined, RefusedFile } from "./files/confined.js";
import { isObject } from "./load/json-value.js";
import { parseJson } from "./load/parse.js";
import { UsageError } from "./types.js";

export const CONFIG_FILE = ".runprov.json";
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ProjectConfig {
  familyFor(relPath: string): string | undefined;
  exclude: ExcludeRule[];
}

const EMPTY: ProjectConfig = { familyFor: () => undefined, exclude: [] };

/** `root` is the canonical root. */
export function loadConfig(root: string): ProjectConfig {
  let bytes: Buffer;
  try {
    bytes = readConfined(path.join(root, CONFIG_FILE), root, MAX_CONFIG_BYTES);
  } catch (e) {
    if (e instanceof RefusedFile && e.reason === "missing") return EMPTY;
    throw new UsageError(`${CONFIG_FILE}: ${(e as Error).message}; the project configuration must be a regular file inside the root`);
  }
  const parsed = parseJson(bytes.toString("utf8"));
  if (!parsed.ok || !isObject(parsed.value)) {
    throw new UsageError(`${CONFIG_FILE}: not a JSON object${parsed.ok ? "" : ` (${parsed.message})`}`);
  }
  const cfg = parsed.value;
  const rules: { match: (p: string) => boolean; family: string }[] = [];
  const families = cfg.families ?? {};
  if (!isObject(families)) throw new UsageError(`${CONFIG_FILE}: "families" must map globs to family names`);
  for (const [glob, fam] of Object.entries(families)) {
    if (typeof fam !== "string" || !familyByName(fam)) {
      throw new UsageError(`${CONFIG_FILE}: "${glob}" names unknown family ${JSON.stringify(fam)} (see runprov families)`);
    }
    rules.push({ match: compileGlob(glob, { dot: true, shown: `${CONFIG_FILE}: families "${glob}"` }), family: fam });
  }
  const exclude = cfg.exclude ?? [];
  if (!Array.isArray(exclude) || !exclude.every((g) => typeof g === "string")) {
    throw new UsageError(`${CONFIG_FILE}: "exclude" must be an array of globs`);
  }
  return {
    familyFor: (rel) => rules.find((r) => r.match(rel))?.family,
    exclude: (exclude as string[]).map((glob) => ({ glob, match: compileGlob(glob, { dot: true, shown: `${CONFIG_FILE}: exclude "${glob}"` }) })),
  };
}
