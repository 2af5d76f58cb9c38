/** `runprov families`: every family, its variants, schema `$id` and file patterns. */
import type { Argv, CommandModule } from "yargs";
import { FAMILIES } from "../../families/index.js";
import { schemaId } from "../../validate/schemas.js";
import { emit } from "../io.js";

interface FamiliesArgs {
  format: "text" | "json";
}

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

export const familiesCommand: CommandModule<object, FamiliesArgs> = {
  command: "families",
  describe: "List the artifact families: variants, schema $id and file patterns",
  builder: (y: Argv) =>
    y.option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "output format" }) as unknown as Argv<FamiliesArgs>,
  handler: async (argv) => {
    const list = familyListing();
    await emit(argv.format === "json" ? JSON.stringify(list, null, 2) + "\n" : familiesText(list));
  },
};
