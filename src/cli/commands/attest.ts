/**
 * `runprov attest FILE [--builder-id URI]`: print an in-toto Statement v1 (predicate: SLSA
 * provenance v1) for one artifact, ready to sign with cosign, in-toto or sigstore tooling.
 * Exit 0 with the statement on stdout; 1 when the artifact is invalid or has no block (the
 * reasons on stderr); 2 on usage errors.
 */
import type { Argv, CommandModule } from "yargs";
import { attest, AttestError } from "../../attest/index.js";
import { UsageError } from "../../types.js";
import { emit } from "../io.js";
import { ROOT_OPTION } from "../options.js";

interface AttestArgs {
  file: string;
  "builder-id"?: string;
  root?: string;
  family?: string;
}

export const attestCommand: CommandModule<object, AttestArgs> = {
  command: "attest <file>",
  describe: "Print an in-toto Statement (SLSA provenance v1 predicate) for an artifact's run_provenance",
  builder: (y: Argv) =>
    y
      .positional("file", { type: "string", demandOption: true, describe: "the artifact (JSON file carrying run_provenance)" })
      .option("builder-id", {
        type: "string",
        describe: "URI of the builder that ran (default: https://run-provenance.dev/builders/local-unverified/v1, a local, unverified run)",
      })
      .option("root", ROOT_OPTION)
      .option("family", { type: "string", describe: "check the file as this family" }) as unknown as Argv<AttestArgs>,
  handler: async (argv) => {
    const builderId = argv["builder-id"];
    if (builderId !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(builderId)) {
      throw new UsageError(`--builder-id ${JSON.stringify(builderId)}: not a URI`);
    }
    try {
      const statement = await attest(argv.file, { root: argv.root, family: argv.family, builderId });
      await emit(JSON.stringify(statement, null, 2) + "\n");
    } catch (e) {
      if (!(e instanceof AttestError)) throw e;
      process.stderr.write(`runprov attest: ${e.message}\n`);
      for (const d of e.result?.diagnostics ?? []) {
        if (d.severity === "error") process.stderr.write(`  ${d.pointer || "/"}: ${d.code}: ${d.message}\n`);
      }
      process.exitCode = 1;
    }
  },
};
