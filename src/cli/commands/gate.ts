/**
 * `runprov gate registry-flip --registry FILE [--base GIT_REF | --before FILE] [--verdict FILE]`:
 * the CI gate before a registry change merges. Exit 0 when every promoted or changed entry
 * passes; 1 otherwise (also when the registry changed but could not be checked); 2 usage errors
 * (a --base ref that is not in the clone, a missing file, ...).
 */
import type { Argv, CommandModule } from "yargs";
import { gateRoot, registryFlip, type RegistryFlipOptions } from "../../gate/registry-flip.js";
import { createProgressBar } from "../../progress.js";
import { FORMATS } from "../../report/formats.js";
import { closeShared, openShared } from "../../pipeline.js";
import { colorEnabled, emit, warn } from "../io.js";
import { formatOption, JOBS_OPTION, type FormatArg } from "../options.js";

export interface RegistryFlipArgs {
  registry: string;
  base?: string;
  before?: string;
  verdict?: string[];
  root?: string;
  format: FormatArg<"gate registry-flip">;
  jobs?: number;
  quiet: boolean;
}

/** The library options a parsed command line stands for (tests use it too, so the two cannot drift). */
export function registryFlipOptionsFromArgv(argv: RegistryFlipArgs): RegistryFlipOptions {
  return {
    registry: argv.registry,
    base: argv.base,
    before: argv.before,
    verdicts: argv.verdict,
    root: argv.root,
    jobs: argv.jobs,
  };
}

export const registryFlipCommand: CommandModule<object, RegistryFlipArgs> = {
  command: "registry-flip",
  describe: "Check every entry a registry change promotes to production (or whose model files it changes)",
  builder: (y: Argv) =>
    y
      .option("registry", { type: "string", demandOption: true, describe: "the registry, e.g. model/tiny/registry.json" })
      .option("base", { type: "string", describe: "git ref of the registry before the change (e.g. origin/main)", conflicts: "before" })
      .option("before", { type: "string", describe: "file holding the registry before the change", conflicts: "base" })
      .option("verdict", {
        type: "string",
        array: true,
        describe: "verdict file(s) for ensemble members (default: <ensemble id>_*PROMOTE/HOLD.json beside the registry)",
      })
      .option("root", { type: "string", describe: "repository root (default: git top level of the registry's folder)" })
      .option("format", formatOption("gate registry-flip"))
      .option("jobs", JOBS_OPTION)
      .option("quiet", { type: "boolean", default: false, describe: "text: list only failing entries" })
      .strict() as unknown as Argv<RegistryFlipArgs>,
  handler: async (argv) => {
    const bar = createProgressBar();
    const options = { ...registryFlipOptionsFromArgv(argv), onHashProgress: bar.update };
    // Markdown shows the lineage of each checked entry: the gate and the traces share one hasher.
    const withLineage = argv.format === "markdown";
    const shared = withLineage ? await openShared(await gateRoot(options), options.jobs, bar.update) : undefined;
    let result;
    let lineage: Map<string, string> | undefined;
    try {
      result = await registryFlip({ ...options, shared });
      if (shared) {
        const { traceGateEntries } = await import("../../lineage/gate.js");
        const { traceMermaid } = await import("../../lineage/render-trace.js");
        const traces = await traceGateEntries(result, { shared, onWarning: warn });
        lineage = new Map([...traces].map(([id, t]) => [id, traceMermaid(t)]));
      }
    } finally {
      bar.done();
      if (shared) await closeShared(shared);
    }
    await emit(FORMATS["gate registry-flip"].render(result, argv.format, { color: argv.format === "text" && colorEnabled(), quiet: argv.quiet, lineage }));
    process.exitCode = result.pass ? 0 : 1;
  },
};

export const gateCommand: CommandModule = {
  command: "gate",
  describe: "CI gates: registry-flip",
  builder: (y: Argv) => y.command(registryFlipCommand).demandCommand(1, "name a gate: registry-flip"),
  handler: () => {
    /* the sub-command runs */
  },
};
