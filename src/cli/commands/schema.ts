/**
 * `runprov schema FAMILY`: the family's schema as one self-contained draft 2020-12 document
 * (every `$ref` bundled into `$defs`, stable absolute `$id`): byte for byte the file
 * `generated/bundled/<family>.schema.json` of the package.
 */
import type { Argv, CommandModule } from "yargs";
import { FAMILIES, familyByName } from "../../families/index.js";
import { bundleSchema, bundleText, loadSchemaSet } from "../../schema/bundle.js";
import { schemaId } from "../../validate/schemas.js";
import { UsageError } from "../../types.js";
import { emit } from "../io.js";

interface SchemaArgs {
  family: string;
}

/** The bundle text of a family, or a UsageError naming the known families. */
export function schemaTextOf(family: string): string {
  const spec = familyByName(family);
  if (!spec) {
    throw new UsageError(`unknown family "${family}"; known families: ${FAMILIES.map((f) => f.name).join(", ")}`);
  }
  return bundleText(bundleSchema(loadSchemaSet(), schemaId("v1", spec.schemaFile)));
}

export const schemaCommand: CommandModule<object, SchemaArgs> = {
  command: "schema <family>",
  describe: "Print a family's schema with every $ref bundled (for validators in other languages)",
  builder: (y: Argv) =>
    y.positional("family", { type: "string", demandOption: true, describe: "family name (see runprov families)" }) as unknown as Argv<SchemaArgs>,
  handler: async (argv) => {
    await emit(schemaTextOf(argv.family));
  },
};
