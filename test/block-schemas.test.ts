/**
 * Lint of the per-variant run_provenance definitions (the block pinned per
 * emitter): every variant that carries a block pins its emitters in the portable pattern form,
 * agrees with the family module's entrypoint list, requires only names it knows, and the blocks
 * that one script writes into two families are the same in both.
 */
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../src/families/index.js";
import { BLOCK_SECTIONS, variantPins, type BlockPins } from "../src/validate/block.js";

const pinned = FAMILIES.flatMap((f) => f.variants.map((v) => ({ family: f, variant: v, pins: variantPins("v1", f.schemaFile, v.def) })));
const GENERIC = new Set(["run-manifest", "run-provenance", "model-registry"]);
/** Variants that never carry a block. */
const NO_BLOCK = new Set(["model-sidecar/legacy"]);

describe("per-variant block definitions", () => {
  const carriers = pinned.filter(({ family, variant }) => !GENERIC.has(family.name) && !NO_BLOCK.has(`${family.name}/${variant.name}`));

  it("every variant that carries a block pins its emitters", () => {
    expect(carriers.length).toBeGreaterThanOrEqual(52);
    const unpinned = carriers.filter(({ pins }) => !pins.emitters?.length).map(({ family, variant }) => `${family.name}/${variant.name}`);
    expect(unpinned).toEqual([]);
  });

  it("the generic families and the legacy sidecars pin nothing", () => {
    for (const { family, variant, pins } of pinned.filter((p) => !carriers.includes(p))) {
      expect(pins.entrypointPattern, `${family.name}/${variant.name}`).toBeUndefined();
      expect(pins.sections, `${family.name}/${variant.name}`).toEqual({});
    }
  });

  it("the pinned emitters are the variants' entrypoints (the catalog reads them from the pattern)", () => {
    for (const { family, variant, pins } of carriers) {
      expect([...(variant.entrypoints ?? [])], `${family.name}/${variant.name}`).toEqual(pins.emitters ?? []);
    }
    // vmaf-train's cli.py is too generic a basename to detect by: its pattern keeps the folder,
    // and detection compares basenames only (docs/contract.md, "Detection").
    expect(pinned.find((p) => p.family.name === "vmaf-train-report")!.variant.entrypoints).toEqual(["vmaf_train/cli.py"]);
  });

  it("require only names they know, in every section and every per-emitter condition", () => {
    for (const { family, variant, pins } of carriers) {
      const where = `${family.name}/${variant.name}`;
      expect(pins.sections.args, where).toBeDefined();
      for (const section of BLOCK_SECTIONS) {
        const pin = pins.sections[section];
        for (const name of pin?.required ?? []) expect(pin!.known, `${where} ${section}`).toContain(name);
        for (const c of pins.conditions)
          for (const name of c.required[section] ?? []) expect(pin?.known ?? [], `${where} ${section} (${c.emitters})`).toContain(name);
      }
      for (const c of pins.conditions) for (const e of c.emitters) expect(pins.emitters, where).toContain(e);
      for (const s of pins.requiredSections) expect(["inputs", "outputs"], where).toContain(s);
    }
  });

  const view = (p: BlockPins) => ({
    emitters: p.emitters,
    requiredSections: p.requiredSections,
    conditions: p.conditions,
    sections: Object.fromEntries(
      Object.entries(p.sections).map(([k, s]) => [k, { known: s.known, required: s.required, patterns: s.patterns, forms: [...s.schemas.values()] }]),
    ),
  });
  const pinsOf = (family: string, variant: string): BlockPins => pinned.find((p) => p.family.name === family && p.variant.name === variant)!.pins;

  it.each([
    ["model-sidecar", "fr-regressor-v1", "training-metrics", "fr-regressor-v1-metrics"],
    ["model-sidecar", "fr-regressor-v2", "training-metrics", "fr-regressor-v2-metrics"],
    ["chug-split-manifest", "content-name-blake2s-80-10-10", "chug-hdr-audit", "chug-hdr-ffprobe-audit-v1"],
  ])("one run's block is pinned alike in both files it goes into: %s/%s and %s/%s", (fa, va, fb, vb) => {
    expect(view(pinsOf(fa, va))).toEqual(view(pinsOf(fb, vb)));
  });
});
