/**
 * Project configuration: `<root>/.runprov.json`, for repositories that name their artifacts
 * their own way.
 *
 *   {"families": {"reports/**\/gate-*.json": "quant-report"},
 *    "exclude": ["runs/scratch/**"]}
 *
 * Globs are matched against root-relative POSIX paths (picomatch, `dot: true`). The first
 * matching `families` glob wins (CONTRACT detection step 2). `exclude` removes walked files.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { familyByName } from "./families/index.js";
import { isObject } from "./load/json-value.js";
import { parseJson } from "./load/parse.js";
import { UsageError } from "./types.js";

export const CONFIG_FILE = ".runprov.json";

export interface ProjectConfig {
  familyFor(relPath: string): string | undefined;
  excluded(relPath: string): boolean;
}

const EMPTY: ProjectConfig = { familyFor: () => undefined, excluded: () => false };

export async function loadConfig(root: string): Promise<ProjectConfig> {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return EMPTY;
  }
  const parsed = parseJson(text);
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
    rules.push({ match: picomatch(glob, { dot: true }), family: fam });
  }
  const exclude = cfg.exclude ?? [];
  if (!Array.isArray(exclude) || !exclude.every((g) => typeof g === "string")) {
    throw new UsageError(`${CONFIG_FILE}: "exclude" must be an array of globs`);
  }
  const excluders = (exclude as string[]).map((g) => picomatch(g, { dot: true }));
  return {
    familyFor: (rel) => rules.find((r) => r.match(rel))?.family,
    excluded: (rel) => excluders.some((m) => m(rel)),
  };
}
