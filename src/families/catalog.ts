/**
 * The family catalog: what the schemas say about each family and its variants, generated from
 * `schema/v1/` into `catalog.generated.ts` by `npm run generate` (scripts/generate/catalog.mjs),
 * so that no family module repeats a variant's name, `$defs` key, description, `schema` strings
 * or emitters, and `runprov families` says what the reference docs say.
 */
export interface CatalogVariant {
  /** Variant name as printed in reports: the `title` of its `$defs` entry. */
  readonly name: string;
  /** Key of its schema in the family schema's `$defs` ("" for a schema without variants). */
  readonly def: string;
  /** The `description` of its `$defs` entry. */
  readonly description: string;
  /** Top-level `schema` strings that name this variant (a `const` on `properties.schema`). */
  readonly schemaStrings: readonly string[];
  /** The scripts the pattern on its block's `entrypoint.path` names (`export_vmaf_tiny_v4.py`, `vmaf_train/cli.py`). */
  readonly entrypoints: readonly string[];
}

export interface CatalogFamily {
  /** File name of the family schema in `schema/v1/`. */
  readonly schemaFile: string;
  /** The schema's root `description`. */
  readonly description: string;
  /** Whether a variant declares `run_provenance`. */
  readonly carriesProvenance: boolean;
  readonly variants: readonly CatalogVariant[];
}

export type Catalog = Readonly<Record<string, CatalogFamily>>;
