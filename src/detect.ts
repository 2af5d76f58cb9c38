/**
 * Detect stage: which family (and variant) a document is, by the precedence of docs/contract.md
 * ("Detection"); the first step that names a family decides:
 *
 * 1. `--family`; 2. the project configuration's globs;
 * 3. a top-level `schema` string that one variant declares (`const` in its schema; no two
 *    variants share one);
 * 4. file-name evidence, by tier: `fixed` names, then `beside-model`, then `convention`;
 * 5. content: the entrypoint script among a variant's emitters (compared by basename; when one
 *    script writes two families, the one whose key set holds, else the one that is not a
 *    secondary writer), then the families' key sets;
 * 6. any document carrying `run_provenance` is a `run-manifest`.
 *
 * Within a step at most one family can match: test/detection.test.ts proves it for every
 * golden document, the real corpus and the conformance vectors, so the order of FAMILIES
 * decides nothing.
 */
import { keyedBy, namedBy } from "./families/evidence.js";
import { FAMILIES, familyByName } from "./families/index.js";
import { NAME_TIERS, type FamilySpec, type FileFacts } from "./families/types.js";
import { entrypointBase } from "./families/util.js";
import { isObject, type JsonObject, type JsonValue } from "./load/json-value.js";

/** The step that decided (tests pin the precedence with it). */
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
    const writers = FAMILIES.flatMap((family) => {
      const v = family.variants.find((x) => x.entrypoints?.includes(script));
      return v ? [{ family, variant: v.name }] : [];
    });
    const pick = writers.find((w) => keyedBy(w.family, obj)) ?? writers.find((w) => !w.family.detection?.secondaryWriter) ?? writers[0];
    if (pick) return { family: pick.family, by: "entrypoint", variant: pick.family.variantOf(obj, file) ?? pick.variant };
  }
  const keyed = FAMILIES.find((family) => keyedBy(family, obj));
  if (keyed) return withVariant(keyed, "content");

  if (isObject(obj.run_provenance)) return withVariant(familyByName("run-manifest")!, "fallback");
  return undefined;
}

/** The family a file name names (step 4, tier by tier), or undefined. */
export function familyByFileName(file: FileFacts): FamilySpec | undefined {
  for (const tier of NAME_TIERS) {
    const family = FAMILIES.find((f) => namedBy(f, tier, file));
    if (family) return family;
  }
  return undefined;
}
