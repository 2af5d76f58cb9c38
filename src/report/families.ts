/** What `runprov families` prints: every family, its variants, schema `$id`s and file patterns. */
import { FAMILIES } from "../families/index.js";
import { schemaId } from "../validate/schemas.js";

export interface FamilyListing {
  family: string;
  description: string;
  schema: string;
  carriesProvenance: boolean;
  filePatterns: string[];
  variants: { name: string; schema: string; description: string; schemaStrings: string[] }[];
}

/** The listing `runprov families --format json` prints (stable shape). */
export function familyListing(): FamilyListing[] {
  return FAMILIES.map((f) => {
    const id = schemaId("v1", f.schemaFile);
    return {
      family: f.name,
      description: f.description,
      schema: id,
      carriesProvenance: f.carriesProvenance,
      filePatterns: [...f.filePatterns],
      variants: f.variants.map((v) => ({
        name: v.name,
        schema: v.def ? `${id}#/$defs/${v.def}` : id,
        description: v.description,
        schemaStrings: [...(v.schemaStrings ?? [])],
      })),
    };
  });
}

export function familiesText(list: FamilyListing[]): string {
  const out: string[] = [];
  for (const f of list) {
    out.push(`${f.family}${f.carriesProvenance ? "" : "  (no run_provenance)"}`);
    out.push(`  ${f.description}`);
    out.push(`  schema: ${f.schema}`);
    for (const p of f.filePatterns) out.push(`  files:  ${p}`);
    for (const v of f.variants) {
      const strings = v.schemaStrings.length > 0 ? ` [schema: ${v.schemaStrings.join(", ")}]` : "";
      out.push(`  - ${v.name}${strings}: ${v.description}`);
    }
    out.push("");
  }
  out.push(`${list.length} families. \`runprov schema FAMILY\` prints one as a self-contained schema.`);
  return out.join("\n") + "\n";
}
