/**
 * The block pinned per emitter (src/validate/block.ts, validate/errors.ts): how a variant's block
 * definition is read, which names are unknown, the entrypoint pattern form, and what a user sees
 * (code, message, position) through the library.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validate } from "../../dist/index.js";
import { blockPinsOf, emittersOfPattern, orList, resolverOf, unknownBlockKeys, variantPins } from "../../src/validate/block.js";
import { copyTree, PROJECT, removeTree } from "../helpers.js";

const temps: string[] = [];
afterAll(() => temps.forEach(removeTree));

const PD = { $ref: "run-provenance.schema.json#/$defs/pathDescriptor" };
const BASE = "https://example.test/schema/";

describe("entrypoint patterns", () => {
  it("name their emitters in the pinned form only", () => {
    expect(emittersOfPattern("(^|[/\\\\])(export_vmaf_tiny_v2|export_vmaf_tiny_v3)\\.py$(?!\\n)")).toEqual([
      "export_vmaf_tiny_v2.py",
      "export_vmaf_tiny_v3.py",
    ]);
    expect(emittersOfPattern("(^|[/\\\\])(vmaf_train[/\\\\]cli)\\.py$(?!\\n)")).toEqual(["vmaf_train/cli.py"]);
    expect(emittersOfPattern("^export_vmaf_tiny_v2\\.py$")).toBeUndefined();
    expect(emittersOfPattern("(^|[/\\\\])(a.b)\\.py$(?!\\n)")).toBeUndefined();
    expect(orList(["a"])).toBe("a");
    expect(orList(["a", "b", "c"])).toBe("a, b or c");
  });

  it("match the basename in any folder, and nothing else", () => {
    const pattern = variantPins("v1", "model-sidecar.schema.json", "vmafTiny").entrypointPattern!;
    const re = new RegExp(pattern, "u");
    for (const ok of [
      "ai/scripts/export_vmaf_tiny_v3.py",
      "/home/u/vmafx/ai/scripts/export_vmaf_tiny_v4.py",
      "export_vmaf_tiny_v2.py",
      "C:\\vmafx\\export_vmaf_tiny_v2.py",
    ]) {
      expect(re.test(ok), ok).toBe(true);
    }
    for (const bad of [
      "ai/scripts/my_export_vmaf_tiny_v3.py",
      "ai/scripts/export_vmaf_tiny_v3.pyc",
      "ai/scripts/export_vmaf_tiny_v3.py\n",
      "ai/scripts/export_vmaf_tiny_v5.py",
      "ai/scripts/export_vmaf_tiny_v3_py",
    ]) {
      expect(re.test(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("a variant's block definition", () => {
  const family = {
    $id: `${BASE}fam.schema.json`,
    $defs: {
      v: { type: "object", properties: { run_provenance: { $ref: "#/$defs/vBlock" } } },
      vBlock: {
        type: "object",
        allOf: [
          { $ref: "run-provenance.schema.json" },
          {
            if: { properties: { entrypoint: { properties: { path: { pattern: "(^|[/\\\\])(b)\\.py$(?!\\n)" } } } } },
            then: { required: ["inputs"], properties: { args: { required: ["extra"] }, inputs: { required: ["data"] } } },
          },
          { properties: { outputs: { properties: { report: PD }, patternProperties: { "^seed[0-9]+$(?!\\n)": { type: "string" } } } } },
        ],
        required: ["outputs"],
        properties: {
          entrypoint: { properties: { path: { pattern: "(^|[/\\\\])(a|b)\\.py$(?!\\n)" } } },
          args: { required: ["x"], properties: { x: {}, extra: {} } },
          inputs: { properties: { data: PD } },
        },
      },
    },
  };
  const shared = {
    $id: `${BASE}run-provenance.schema.json`,
    properties: { args: { type: "object" }, inputs: { $ref: "#/$defs/ioMap" } },
    $defs: { ioMap: { additionalProperties: {} }, pathDescriptor: {} },
  };
  const resolve = resolverOf(
    new Map<string, unknown>([
      [family.$id, family],
      [shared.$id, shared],
    ]),
  );
  const pins = blockPinsOf(family.$defs.v, family.$id, resolve);

  it("pins names through $ref and allOf, never from the shared block", () => {
    expect(pins.emitters).toEqual(["a.py", "b.py"]);
    expect(pins.requiredSections).toEqual(["outputs"]);
    expect(pins.sections.args).toMatchObject({ known: ["x", "extra"], required: ["x"] });
    expect(pins.sections.inputs?.known).toEqual(["data"]);
    expect(pins.sections.outputs).toMatchObject({ known: ["report"], patterns: ["^seed[0-9]+$(?!\\n)"] });
    expect(pins.conditions).toEqual([{ emitters: ["b.py"], requiredSections: ["inputs"], required: { args: ["extra"], inputs: ["data"] } }]);
  });

  it("warns for each name it does not pin, at the key", () => {
    const doc = {
      run_provenance: {
        args: { x: 1, "new/flag~": true },
        inputs: { data: null, other: null },
        outputs: { report: null, seed3: "s", seedx: "s" },
      },
    };
    const found = unknownBlockKeys(doc, pins, "fam/v");
    expect(found.map((f) => [f.severity, f.code, f.pointer])).toEqual([
      ["warning", "unknown-key", "/run_provenance/args/new~1flag~0"],
      ["warning", "unknown-key", "/run_provenance/inputs/other"],
      ["warning", "unknown-key", "/run_provenance/outputs/seedx"],
    ]);
    expect(found[0].message).toBe(
      "run_provenance.args.new/flag~: the fam/v emitters are not known to record this argument (known names missing here: extra); the emitter may be newer than this contract",
    );
  });

  it("says nothing for a generic block, a missing block or a section that is not an object", () => {
    const generic = blockPinsOf(family.$defs.vBlock.allOf[0], family.$id, resolve);
    expect(generic.sections).toEqual({});
    expect(unknownBlockKeys({ run_provenance: { args: { anything: 1 } } }, generic, "g")).toEqual([]);
    expect(unknownBlockKeys({}, pins, "fam/v")).toEqual([]);
    expect(unknownBlockKeys({ run_provenance: { args: [] } }, pins, "fam/v")).toEqual([]);
  });
});

describe("through the library", () => {
  const SIDE = "model/tiny/vmaf_tiny_v3.json";
  function workspace(change: (doc: Record<string, any>) => void): string {
    const root = copyTree(path.join(PROJECT, "corpus-fixtures/model-sidecar/vmaf-tiny-v3/repo"), "runprov-block-");
    temps.push(root);
    const file = path.join(root, SIDE);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    change(doc);
    writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
    return root;
  }

  it("an unknown args key and a renamed input: warnings positioned at the key; a missing required input: schema error", async () => {
    const root = workspace((d) => {
      d.run_provenance.args.new_flag = 3;
      d.run_provenance.inputs = { ckpt_file: d.run_provenance.inputs.checkpoint };
    });
    const r = (await validate([SIDE], { root, cwd: root, noHash: true })).results[0];
    expect(r.valid).toBe(false);
    const text = readFileSync(path.join(root, SIDE), "utf8").split("\n");
    const flag = r.diagnostics.find((d) => d.pointer === "/run_provenance/args/new_flag")!;
    expect(flag).toMatchObject({ severity: "warning", code: "unknown-key" });
    expect(text[flag.line! - 1].slice(flag.column! - 1)).toMatch(/^"new_flag": 3/);
    expect(r.diagnostics.find((d) => d.pointer === "/run_provenance/inputs/ckpt_file")).toMatchObject({ code: "unknown-key" });
    expect(r.diagnostics.find((d) => d.pointer === "/run_provenance/inputs")).toMatchObject({
      severity: "error",
      code: "schema",
      message: 'run_provenance.inputs: missing required property "checkpoint"',
    });
  });

  it("a swapped entrypoint is inconsistent and names the expected scripts", async () => {
    const root = workspace((d) => (d.run_provenance.entrypoint.path = "ai/scripts/some_other_script.py"));
    const r = (await validate([SIDE], { root, cwd: root, noHash: true })).results[0];
    expect(r).toMatchObject({ variant: "vmaf-tiny", valid: false });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "inconsistent",
        pointer: "/run_provenance/entrypoint/path",
        message:
          "run_provenance.entrypoint.path: some_other_script.py is not an emitter of model-sidecar/vmaf-tiny (expected export_vmaf_tiny_v2.py, export_vmaf_tiny_v3.py or export_vmaf_tiny_v4.py)",
      }),
    ]);
  });

  it("when no variant fits, the closest one's entrypoint is still inconsistent (and the variant is still found)", async () => {
    const root = workspace((d) => {
      delete d.id;
      delete d.input_mean;
      d.run_provenance.entrypoint.path = "ai/scripts/some_other_script.py";
    });
    const r = (await validate([SIDE], { root, cwd: root, noHash: true })).results[0];
    expect(r.variant).toBeNull();
    const ep = r.diagnostics.find((d) => d.pointer === "/run_provenance/entrypoint/path")!;
    expect(ep).toMatchObject({ code: "inconsistent", severity: "error" });
    expect(ep.message).toMatch(
      /^fits no model-sidecar variant; closest is vmaf-tiny: run_provenance\.entrypoint\.path: some_other_script\.py is not an emitter of model-sidecar\/vmaf-tiny/,
    );
    expect(r.diagnostics.filter((d) => d.code === "schema").map((d) => d.message)).toEqual([
      'fits no model-sidecar variant; closest is vmaf-tiny: missing required property "id"',
      'fits no model-sidecar variant; closest is vmaf-tiny: missing required property "input_mean"',
    ]);
    // The variant is unknown, so no unknown-key warning is given for it.
    expect(r.diagnostics.some((d) => d.code === "unknown-key")).toBe(false);
  });
});
