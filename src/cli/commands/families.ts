/** `runprov families`: every family, its variants, schema `$id` and file patterns. */
import type { Argv, CommandModule } from "yargs";
import { familyListing } from "../../report/families.js";
import { FORMATS } from "../../report/formats.js";
import { emit } from "../io.js";
import { formatOption, type FormatArg } from "../options.js";

interface FamiliesArgs {
  format: FormatArg<"families">;
}

export const familiesCommand: CommandModule<object, FamiliesArgs> = {
  command: "families",
  describe: "List the artifact families: variants, schema $id and file patterns",
  builder: (y: Argv) => y.option("format", formatOption("families")) as unknown as Argv<FamiliesArgs>,
  handler: async (argv) => {
    await emit(FORMATS.families.render(familyListing(), argv.format, {}));
  },
};
