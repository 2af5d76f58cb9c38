/**
 * `defineFamily`: a family module declares only what its schema cannot say, and this joins it
 * with the catalog generated from the schema (catalog.generated.ts): the family's schema file,
 * description and whether it carries `run_provenance`; every variant's name, `$defs` key,
 * description, `schema` strings and emitters. A module that names a variant its schema does not
 * have fails at load (and in test/families/catalog.test.ts).
 */
import type { JsonObject } from "../load/json-value.js";
import { entrypointBase } from "./util.js";
import type { Catalog } from "./catalog.js";
import { CATALOG } from "./catalog.generated.js";
import type { Rule } from "./rules/index.js";
import type { DeclaredStakes, FamilySpec, FileFacts, RuleViolation, VariantSpec } from "./types.js";

/** What a module adds to one variant of its schema. */
export interface VariantDeclaration {
  /** Stakes of the variant's outputs (take precedence over the family's `outputs`). */
  outputs?: Record<string, DeclaredStakes>;
  /** Cross-field rules of this variant's documents. */
  rules?: readonly Rule[];
}

/** A family module: the catalog's facts are filled in by `defineFamily`. */
export type FamilyDeclaration = Omit<FamilySpec, "description" | "schemaFile" | "carriesProvenance" | "variants" | "variantOf" | "consistency"> & {
  /** Additions per variant, keyed by the variant's name in the schema. */
  variants?: Record<string, VariantDeclaration>;
  /**
   * For a schema without variants: the name its one variant is pinned under, when that is not
   * the schema's `title` (`run-manifest`'s `envelope`).
   */
  variantName?: string;
  /** Variant of a document; default: the family's only variant. */
  variantOf?(doc: JsonObject, file: FileFacts): string | undefined;
  /** Cross-field rules of every document of the family (before the variant's own). */
  rules?: readonly Rule[];
  /** Rules too particular for the vocabulary: code, run after the declared ones. */
  particular?(doc: JsonObject, variant: string | undefined, file: FileFacts): RuleViolation[];
};

export function defineFamily(decl: FamilyDeclaration, catalog: Catalog = CATALOG): FamilySpec {
  const { variants: extras = {}, variantName, rules = [], particular, ...rest } = decl;
  const entry = catalog[decl.name];
  if (!entry) throw new Error(`family ${decl.name}: no schema/v1/${decl.name}.schema.json in the catalog (run \`npm run generate\`)`);
  if (variantName !== undefined && (entry.variants.length !== 1 || entry.variants[0].def !== "")) {
    throw new Error(`family ${decl.name}: variantName is only for a schema without variants`);
  }
  const variants: VariantSpec[] = entry.variants.map((v) => {
    const { outputs } = extras[variantName ?? v.name] ?? {};
    return {
      name: variantName ?? v.name,
      def: v.def,
      description: v.description,
      schemaStrings: [...v.schemaStrings],
      entrypoints: [...v.entrypoints],
      ...(outputs ? { outputs } : {}),
    };
  });
  for (const name of Object.keys(extras)) {
    if (!variants.some((v) => v.name === name)) {
      throw new Error(`family ${decl.name}: variant ${name} is not in schema/v1/${entry.schemaFile} (${variants.map((v) => v.name).join(", ")})`);
    }
  }
  const only = variants.length === 1 ? variants[0].name : undefined;
  const variantOf = decl.variantOf ?? (() => only);
  const hasRules = rules.length > 0 || particular !== undefined || Object.values(extras).some((x) => x.rules?.length);
  const consistency = (doc: JsonObject, known: string | undefined, file: FileFacts): RuleViolation[] => {
    const variant = known ?? variantOf(doc, file);
    const ctx = { file, variant };
    return [
      ...rules.flatMap((r) => r(doc, ctx)),
      ...(variant !== undefined ? (extras[variant]?.rules ?? []).flatMap((r) => r(doc, ctx)) : []),
      ...(particular?.(doc, variant, file) ?? []),
    ];
  };
  return {
    ...rest,
    description: entry.description,
    schemaFile: entry.schemaFile,
    carriesProvenance: entry.carriesProvenance,
    variants,
    variantOf,
    ...(hasRules ? { consistency } : {}),
  };
}

/**
 * The variant of `family` whose emitters (the catalog's, read from its schema) include the
 * basename of the document's `run_provenance.entrypoint.path`, or undefined.
 */
export function variantByEntrypoint(family: string, doc: JsonObject, catalog: Catalog = CATALOG): string | undefined {
  const script = entrypointBase(doc);
  return script === undefined ? undefined : catalog[family]?.variants.find((v) => v.entrypoints.includes(script))?.name;
}
