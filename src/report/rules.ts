/**
 * Human documentation of every diagnostic code: a short description and help text. Used by the
 * SARIF report (one rule per code) and by the gate. Keys are the pinned codes of docs/contract.md.
 */
import { GATE_CODES, type GateCode } from "../findings.js";
import { DIAGNOSTIC_CODES, type Severity } from "../types.js";

export interface RuleDoc {
  /** The code, e.g. `hash-mismatch`; the SARIF rule id. */
  id: string;
  /** PascalCase name (SARIF `rule.name`). */
  name: string;
  /** One sentence. */
  short: string;
  /** What it means and what to do about it. */
  help: string;
  /** Severity the code usually has (SARIF `defaultConfiguration.level`). */
  defaultSeverity: Severity;
}

const DOCS: Record<string, Omit<RuleDoc, "id" | "name">> = {
  "parse-error": {
    short: "The file is not well-formed JSON.",
    help:
      "The file could not be parsed: invalid UTF-8, a syntax error, truncation, trailing data or nesting " +
      "too deep. Regenerate the file with its emitter or fix the syntax at the reported position.",
    defaultSeverity: "error",
  },
  "non-standard-number": {
    short: "A bare NaN, Infinity or -Infinity token.",
    help:
      "Python's json module writes NaN/Infinity for undefined metrics (allow_nan=True). They are read as " +
      "numbers and reported as a warning; --strict-json makes them errors.",
    defaultSeverity: "warning",
  },
  "duplicate-key": {
    short: "An object has the same key twice.",
    help: "No emitter writes duplicate keys; parsers disagree on which value wins, so a duplicate can hide tampering. Remove one of the two members.",
    defaultSeverity: "error",
  },
  "unknown-family": {
    short: "The file matches no known artifact family.",
    help:
      "A file named on the command line matched no family by name or content and has no run_provenance " +
      "block. Pass --family NAME, add a path glob to the project config, or stop passing the file.",
    defaultSeverity: "error",
  },
  schema: {
    short: "The document does not satisfy its family's JSON Schema.",
    help:
      "A value has the wrong type, a required key is missing, or a key the emitter never writes is present. " +
      "The message names the expected shape; `runprov schema FAMILY` prints the schema.",
    defaultSeverity: "error",
  },
  "hash-mismatch": {
    short: "A recorded sha256 differs from the file it names.",
    help:
      "For integrity digests (a sidecar's sha256/int8_sha256, registry rows, outputs written before the " +
      "block) the artifact no longer describes the file: re-export the model or refresh the sidecar/registry " +
      "with the new digest. For provenance digests (entrypoint, inputs) no committed version of the file " +
      "ever had the recorded content.",
    defaultSeverity: "error",
  },
  "historical-match": {
    short: "A provenance digest matches an earlier committed version of the file.",
    help:
      "The file changed after the run, but the recorded content exists in git history: the run is " +
      "reproducible from the commit named in the message. Nothing to do.",
    defaultSeverity: "info",
  },
  "file-missing": {
    short: "A descriptor recorded as a file names a file that does not exist.",
    help: "Usually a gitignored local corpus or a run directory that is not committed. It is an error under --strict-missing.",
    defaultSeverity: "info",
  },
  "local-only": {
    short: "An absolute path that is never read.",
    help: "The emitter recorded an absolute path (outside any repository); it cannot be checked portably.",
    defaultSeverity: "info",
  },
  "outside-root": {
    short: "A path that leaves the repository root.",
    help:
      "A relative path climbing out of --root, or a path resolving outside it through a symlink, is never " +
      "read. Check --root, or that no symlink points out of the repository.",
    defaultSeverity: "info",
  },
  "self-reference": {
    short: "A descriptor names the artifact itself.",
    help:
      "The block is built before the file containing it is written, so its own descriptor is missing or " +
      "holds the previous version's digest. It is never compared.",
    defaultSeverity: "info",
  },
  "lfs-pointer": {
    short: "A Git LFS pointer stands in for the file's content.",
    help:
      "The checkout has no LFS content; the pointer's oid is the content digest and was compared with the " +
      "recorded value instead. Run `git lfs pull` to check the real bytes.",
    defaultSeverity: "info",
  },
  "uncovered-file": {
    short: "Model weights beside an ONNX graph are covered by no recorded digest.",
    help:
      "`<name>.onnx.data` holds external weights of the graph, but today's emitters record no digest of it: " +
      "a change to the weights cannot be detected. Prefer single-file ONNX exports.",
    defaultSeverity: "warning",
  },
  "legacy-no-provenance": {
    short: "The artifact carries no run_provenance block.",
    help:
      "Files written before ADR-0661 have no block. Re-run the emitter to add one; --require-provenance " +
      "makes this an error (the pre-commit hook for model/ uses it).",
    defaultSeverity: "warning",
  },
  "kind-changed": {
    short: "A recorded file is now a directory, or the reverse.",
    help: "The path recorded by the run now names something of another kind; the artifact is out of date.",
    defaultSeverity: "error",
  },
  inconsistent: {
    short: "A cross-field rule the emitters always keep is broken.",
    help:
      "For example a PROMOTE verdict whose gate did not pass, feature_mean and feature_order of different " +
      "lengths, or a per-seed map whose keys are not the listed seeds. The file was edited by hand or by a " +
      "broken emitter.",
    defaultSeverity: "error",
  },
  unreadable: {
    short: "A file that must be judged exists but cannot be read.",
    help:
      "An artifact met while walking, or a referenced file whose recorded digest must be checked, could not " +
      "be read (permissions, an I/O error, or it was replaced by something that is not a regular file). " +
      "Nothing that could not be read is passed: fix the permissions, or exclude the file if it is not an artifact.",
    defaultSeverity: "error",
  },
  internal: {
    short: "A rule or digest check of runprov failed.",
    help:
      "A family rule or a digest claim threw instead of judging the artifact. The artifact counts as invalid " +
      "(a check is never dropped silently); the message names the rule. Please report it with the artifact.",
    defaultSeverity: "error",
  },
  "unknown-key": {
    short: "The run_provenance block names an argument, input or output its emitter is not known to write.",
    help:
      "Each variant pins what its emitters write into run_provenance.args, inputs and outputs. A name outside " +
      "that list is reported as a warning, never an error: the emitter may be newer than this contract (a new " +
      "CLI flag). Otherwise the block was edited by hand, or a known name was renamed; compare it with the " +
      "variant's block in the schema reference.",
    defaultSeverity: "warning",
  },
};

/** Codes the registry-flip gate adds (see src/gate/registry-flip.ts). */
export const GATE_DOCS: Record<GateCode, Omit<RuleDoc, "id" | "name">> = {
  "registry-unreadable": {
    short: "The registry cannot be read as a registry.",
    help:
      "The registry is not valid JSON or has no `models` array, so no entry can be checked and the gate " +
      "fails. Fix the registry; `runprov validate model/tiny/registry.json` shows the exact problem.",
    defaultSeverity: "error",
  },
  "registry-row": {
    short: "A registry row lacks what the gate needs to check it.",
    help:
      "A production row without a string `id`, without an `onnx` file name, or without a valid `sha256` " +
      "(or `int8_sha256` when `quant_mode` is not fp32) cannot be verified and fails the gate.",
    defaultSeverity: "error",
  },
  "registry-invalid": {
    short: "The registry does not validate as model-registry.",
    help: "Every promoted or changed entry requires the whole registry to validate; run `runprov validate` on it.",
    defaultSeverity: "error",
  },
  "onnx-missing": {
    short: "The ONNX file a promoted or changed entry names is not in the repository.",
    help: "The registry row's `onnx` must name a regular file under the registry's folder (an LFS pointer is fine). Commit the model, or fix the file name.",
    defaultSeverity: "error",
  },
  "int8-missing": {
    short: "The quantised model `<basename>.int8.onnx` is missing.",
    help: "A row whose `quant_mode` is present and not fp32 ships `<basename>.int8.onnx`; commit it or drop quant_mode.",
    defaultSeverity: "error",
  },
  "sidecar-missing": {
    short: "The model has no sidecar `<basename>.json` beside its ONNX.",
    help: "A production model needs the sidecar its exporter writes, carrying run_provenance. Re-run the exporter and commit the sidecar with the model.",
    defaultSeverity: "error",
  },
  "registry-disagrees": {
    short: "The sidecar (or its run_provenance) and the registry disagree.",
    help:
      "The sidecar's `id`, `sha256`, `int8_sha256` and `opset`, and a run_provenance descriptor of the ONNX, " +
      "must equal the registry row's values. One of the two was not refreshed after a re-export.",
    defaultSeverity: "error",
  },
  "verdict-missing": {
    short: "An ensemble seed is promoted without a valid PROMOTE verdict covering it.",
    help:
      "A `<ensemble>_seed<N>` entry needs a valid PROMOTE verdict whose gate passed, whose `seeds` include N " +
      "and which carries run_provenance (from --verdict, or a `<ensemble>_*PROMOTE.json` beside the registry). " +
      "Run validate_ensemble_seeds.py and commit its PROMOTE.json first.",
    defaultSeverity: "error",
  },
  "verdict-hold": {
    short: "A HOLD verdict lists the seed being promoted.",
    help: "A HOLD verdict for the ensemble lists this seed, so it must not go to production. Delete a stale HOLD only when a newer PROMOTE replaces it.",
    defaultSeverity: "error",
  },
};

export function pascalCase(code: string): string {
  return code
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** Documentation of one code; codes without an entry get a generic text. */
/** SARIF rule names must differ from the id (case-insensitively): one-word codes get a longer name. */
const NAMES: Record<string, string> = {
  schema: "SchemaViolation",
  inconsistent: "InconsistentFields",
  unreadable: "UnreadableFile",
  internal: "InternalFailure",
};

export function ruleName(code: string): string {
  const n = NAMES[code] ?? pascalCase(code);
  return n.toLowerCase() === code.toLowerCase() ? `${n}Diagnostic` : n;
}

export function ruleDoc(code: string, extra?: Record<string, Omit<RuleDoc, "id" | "name">>): RuleDoc {
  const d = extra?.[code] ?? DOCS[code];
  if (d) return { id: code, name: ruleName(code), ...d };
  return {
    id: code,
    name: ruleName(code),
    short: `runprov diagnostic ${code}.`,
    help: `See the runprov documentation for the diagnostic code ${code}.`,
    defaultSeverity: "error",
  };
}

/** Rules of the gate: its own codes, then the pinned validate codes its checks report. */
export function gateRules(): RuleDoc[] {
  return [...GATE_CODES.map((c) => ruleDoc(c, GATE_DOCS)), ...validateRules()];
}

/** Rules for the pinned validate codes, in the pinned order. */
export function validateRules(): RuleDoc[] {
  return DIAGNOSTIC_CODES.map((c) => ruleDoc(c));
}
