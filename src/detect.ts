/**
 * Detect stage: which family (and variant) a document is, in the order of docs/contract.md ("Detection"):
 * `--family` flag; project config globs; a top-level `schema` string naming a known variant;
 * file-name conventions (most specific first); content (entrypoint script, key sets);
 * finally any document carrying `run_provenance` is a `run-manifest`.
 */
import { FAMILIES, familyByName } from "./families/index.js";
import type { FamilySpec, FileFacts } from "./families/types.js";
import { entrypointBase } from "./families/util.js";
import { isObject, type JsonObject, type JsonValue } from "./load/json-value.js";

export type DetectedBy = "flag" | "config" | "schema-string" | "file-name" | "entrypoint" | "content" | "fallback";

export interface Detection {
  family: FamilySpec;
  /** Variant name, when it can be told before validation. */
  variant?: string;
  by: DetectedBy;
}

export function detect(doc: JsonValue, file: FileFacts, forced?: string, configured?: string): Detection | undefined {
  const obj: JsonObject | undefined = isObject(doc) ? doc : undefined;
  const withVariant = (family: FamilySpec, by: DetectedBy, variant?: string): Detection => ({
    family,
    by,
    variant: variant ?? (obj ? family.variantOf(obj, file) : undefined),
  });

  if (forced) return withVariant(familyByName(forced)!, "flag");
  if (configured) return withVariant(familyByName(configured)!, "config");

  if (obj && typeof obj.schema === "string") {
    for (const family of FAMILIES) {
      const v = family.variants.find((x) => x.schemaStrings?.includes(obj.schema as string));
      if (v) return withVariant(family, "schema-string", v.name);
    }
  }

  const named = familyByFileName(file);
  if (named) return withVariant(named, "file-name");

  if (!obj) return undefined;
  const script = entrypointBase(obj);
  if (script) {
    // One script can write several families (a trainer writes a sidecar and a metrics file
    // with the same block): the key sets break the tie.
    const writers = FAMILIES.flatMap((family) => {
      const v = family.variants.find((x) => x.entrypoints?.includes(script));
      return v ? [{ family, variant: v.name, score: family.matchContent?.(obj, file) ?? 0 }] : [];
    });
    const pick = writers.reduce<(typeof writers)[number] | undefined>((a, b) => (!a || b.score > a.score ? b : a), undefined);
    if (pick) return { family: pick.family, by: "entrypoint", variant: pick.family.variantOf(obj, file) ?? pick.variant };
  }
  let best: { family: FamilySpec; score: number } | undefined;
  for (const family of FAMILIES) {
    const score = family.matchContent?.(obj, file) ?? 0;
    if (score > 0 && (!best || score > best.score)) best = { family, score };
  }
  if (best) return withVariant(best.family, "content");

  if (isObject(obj.run_provenance)) return withVariant(familyByName("run-manifest")!, "fallback");
  return undefined;
}

/** The family whose file-name convention fits best (most specific wins), or undefined. */
export function familyByFileName(file: FileFacts): FamilySpec | undefined {
  let best: { family: FamilySpec; score: number } | undefined;
  for (const family of FAMILIES) {
    const score = family.matchFileName?.(file) ?? 0;
    if (score > 0 && (!best || score > best.score)) best = { family, score };
  }
  return best?.family;
}
