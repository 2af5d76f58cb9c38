/**
 * Hand-written conformance vectors for the block (`run-provenance`) and the envelope
 * (`run-manifest`): every value form of inputs/outputs, every descriptor rule, every required key.
 * Their expectations are the block's rules, written here, never a validator's output.
 */

export const BASE = "https://run-provenance.dev/schema/v1/";
const H = (c) => c.repeat(64);
const HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

const file = (p, sha = HEX) => ({ exists: true, kind: "file", path: p, sha256: sha });
const dir = (p) => ({ exists: true, kind: "directory", path: p });
const missing = (p) => ({ exists: false, kind: "missing", path: p });

function block(extra = {}) {
  return {
    args: {},
    argv: [],
    entrypoint: file("ai/scripts/train.py"),
    schema: "ai-run-provenance-v1",
    ...extra,
  };
}
function without(obj, key) {
  const o = { ...obj };
  delete o[key];
  return o;
}

/** Cases for one descriptor, placed at `entrypoint` (and at inputs.x for the io forms). */
const DESCRIPTOR_CASES = [
  ["file with sha256", file("ai/scripts/train.py"), true],
  ["directory", dir("data/clips"), true],
  ["missing, exists false", missing("model/tiny/x.json"), true],
  ["special file: exists true, kind missing (FIFO)", { exists: true, kind: "missing", path: "/tmp/fifo" }, true],
  ["absolute path", file("/home/u/corpus.parquet"), true],
  ["relative path climbing out", file("../outside/data.csv"), true],
  ["non-ASCII path", file("data/caf\u00e9.csv"), true],
  ["path missing", without(file("a.py"), "path"), false],
  ["exists missing", without(file("a.py"), "exists"), false],
  ["kind missing", without(file("a.py"), "kind"), false],
  ["empty path", file(""), false],
  ["path not a string", { ...file("a.py"), path: 7 }, false],
  ["exists as a string", { ...file("a.py"), exists: "true" }, false],
  ["unknown kind symlink", { exists: true, kind: "symlink", path: "a" }, false],
  ["kind file without sha256", without(file("a.py"), "sha256"), false],
  ["kind file with exists false", { ...file("a.py"), exists: false }, false],
  ["directory with sha256", { ...dir("d"), sha256: HEX }, false],
  ["missing with sha256", { ...missing("m"), sha256: HEX }, false],
  ["directory with exists false", { ...dir("d"), exists: false }, false],
  ["sha256 upper-case hex", file("a.py", HEX.toUpperCase()), false],
  ["sha256 of 63 digits", file("a.py", HEX.slice(1)), false],
  ["sha256 of 65 digits", file("a.py", HEX + "0"), false],
  ["sha256 with a trailing newline", file("a.py", HEX + "\n"), false],
  ["sha256 with a leading newline", file("a.py", "\n" + HEX), false],
  ["sha256 with a non-hex digit", file("a.py", "g" + HEX.slice(1)), false],
  ["sha256 null", file("a.py", null), false],
  ["sha256 prefixed with sha256:", file("a.py", "sha256:" + HEX.slice(7)), false],
  ["unknown key size", { ...file("a.py"), size: 12 }, false],
  ["descriptor is a string", "ai/scripts/train.py", false],
  ["descriptor is null", null, false],
];

const IO_CASES = [
  ["file descriptor", file("data/train.parquet"), true],
  ["directory descriptor", dir("data/clips"), true],
  ["missing descriptor", missing("runs/out.json"), true],
  ["plain string (a label or a path, never hashed)", "konvid-150k", true],
  ["empty string", "", true],
  ["integer", 3, true],
  ["negative float", -0.25, true],
  ["true", true, true],
  ["false", false, true],
  ["null", null, true],
  ["empty array", [], true],
  ["array of descriptors", [file("a.onnx"), file("b.onnx", H("b"))], true],
  ["array of mixed plain values and descriptors", [file("a.onnx"), "label", 1, 2.5, true, null, missing("x")], true],
  ["object that is not a descriptor", { seed: 1 }, false],
  ["descriptor with a broken rule (file without sha256)", without(file("a.onnx"), "sha256"), false],
  ["nested array", [["a"]], false],
  ["array holding a non-descriptor object", ["a", { seed: 1 }], false],
  ["array holding a broken descriptor", [{ ...dir("d"), sha256: HEX }], false],
];

export function blockGroups() {
  const id = `${BASE}run-provenance.schema.json`;
  const schema = { $ref: id };
  const groups = [];
  groups.push({
    description: "block: required keys and key set",
    schema,
    tests: [
      { description: "minimal block: schema, entrypoint, argv [], args {}", data: block(), valid: true },
      {
        description: "every key, argv and args filled",
        data: block({
          argv: ["--epochs", "3", "--out", "model/tiny/x.onnx"],
          args: { epochs: 3, lr: 0.001, out: "model/tiny/x.onnx", seeds: [0, 1], tag: null, verbose: false },
          inputs: { data: file("data/train.parquet") },
          outputs: { onnx: file("model/tiny/x.onnx", H("a")) },
          shared_trainer: file("ai/scripts/train_mos_head.py", H("c")),
        }),
        valid: true,
      },
      { description: "args keys are data, even __proto__", data: block({ args: { ["__proto__"]: 1, constructor: "x" } }), valid: true },
      { description: "args nested objects and arrays", data: block({ args: { opt: { a: [1, { b: null }] } } }), valid: true },
      { description: "missing schema", data: without(block(), "schema"), valid: false },
      { description: "missing entrypoint", data: without(block(), "entrypoint"), valid: false },
      { description: "missing argv", data: without(block(), "argv"), valid: false },
      { description: "missing args", data: without(block(), "args"), valid: false },
      { description: "unknown top-level key", data: block({ host: "ci-runner-1" }), valid: false },
      { description: "schema is another version", data: block({ schema: "ai-run-provenance-v2" }), valid: false },
      { description: "schema is not a string", data: block({ schema: 1 }), valid: false },
      { description: "argv is a string", data: block({ argv: "--epochs 3" }), valid: false },
      { description: "argv holds a number", data: block({ argv: ["--epochs", 3] }), valid: false },
      { description: "args is an array", data: block({ args: [] }), valid: false },
      { description: "args is null", data: block({ args: null }), valid: false },
      { description: "inputs empty (an emitter leaves the key out)", data: block({ inputs: {} }), valid: false },
      { description: "outputs empty (an emitter leaves the key out)", data: block({ outputs: {} }), valid: false },
      { description: "inputs is an array", data: block({ inputs: [file("a")] }), valid: false },
      { description: "outputs is a string", data: block({ outputs: "model/x.onnx" }), valid: false },
      { description: "shared_trainer is a string", data: block({ shared_trainer: "ai/scripts/t.py" }), valid: false },
      { description: "the document is an array", data: [], valid: false },
      { description: "the document is null", data: null, valid: false },
    ],
  });
  groups.push({
    description: "block: path descriptor rules (as entrypoint)",
    schema,
    tests: DESCRIPTOR_CASES.map(([d, v, ok]) => ({ description: `entrypoint: ${d}`, data: block({ entrypoint: v }), valid: ok })),
  });
  groups.push({
    description: "block: path descriptor rules (as shared_trainer)",
    schema,
    tests: DESCRIPTOR_CASES.filter((_, i) => i % 3 === 0 || DESCRIPTOR_CASES[i][2]).map(([d, v, ok]) => ({
      description: `shared_trainer: ${d}`,
      data: block({ shared_trainer: v }),
      valid: ok,
    })),
  });
  for (const side of ["inputs", "outputs"]) {
    groups.push({
      description: `block: every value form of ${side}`,
      schema,
      tests: IO_CASES.map(([d, v, ok]) => ({ description: `${side}.x: ${d}`, data: block({ [side]: { x: v } }), valid: ok })),
    });
  }
  return groups;
}

export function manifestGroups() {
  const schema = { $ref: `${BASE}run-manifest.schema.json` };
  const env = (extra = {}) => ({ run_provenance: block(), schema: "ptq-dynamic-report-v1", ...extra });
  return [
    {
      description: "run-manifest envelope",
      schema,
      tests: [
        { description: "schema name and block only", data: env(), valid: true },
        {
          description: "sections of every JSON type",
          data: env({ config: { a: 1 }, metrics: [1, 2.5], note: "x", count: 3, flag: false, empty: null }),
          valid: true,
        },
        { description: "unknown schema names are fine", data: env({ schema: "my-own-report-v7" }), valid: true },
        { description: "missing schema", data: without(env(), "schema"), valid: false },
        { description: "missing run_provenance", data: without(env(), "run_provenance"), valid: false },
        { description: "empty schema name", data: env({ schema: "" }), valid: false },
        { description: "schema name not a string", data: env({ schema: 1 }), valid: false },
        { description: "run_provenance with an unknown key", data: env({ run_provenance: block({ extra: 1 }) }), valid: false },
        {
          description: "run_provenance with a broken descriptor",
          data: env({ run_provenance: block({ entrypoint: without(file("a.py"), "sha256") }) }),
          valid: false,
        },
        { description: "run_provenance is null", data: env({ run_provenance: null }), valid: false },
        { description: "the document is an array", data: [env()], valid: false },
      ],
    },
  ];
}
