/**
 * Issue 14, measured: every valid golden document that carries a block, with one change to the
 * block (bench/block-mutations.mjs, hashing off). Where the variant pins its block, a swapped
 * entrypoint, a missing always-recorded name and a missing `inputs` are errors, a renamed name
 * is flagged (`unknown-key`, and an error when the old name was required), and a new `args`
 * flag is a warning and nothing more.
 */
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module of the bench, without types.
import { measure, tableText } from "../bench/block-mutations.mjs";
import { familyByName } from "../src/families/index.js";
import { variantPins, type BlockPins, type BlockSection } from "../src/validate/block.js";

interface Added {
  severity: string;
  code: string;
  pointer: string;
}
interface Outcome {
  id: string;
  name: string;
  file: string;
  entrypoint: string;
  family: string;
  variant: string;
  detail: string;
  valid: boolean;
  flagged: boolean;
  added: Added[];
}

let outcomes: Outcome[] = [];
let table = "";

function pinsOf(o: Outcome): BlockPins | undefined {
  const family = familyByName(o.family);
  const def = family?.variants.find((v) => v.name === o.variant)?.def;
  if (!family || def === undefined) return undefined;
  const pins = variantPins("v1", family.schemaFile, def);
  return pins.entrypointPattern ? pins : undefined;
}

/** Whether the emitters that wrote the document always write `name` in `section` (or the section itself). */
function required(pins: BlockPins, o: Outcome, section: BlockSection, name?: string): boolean {
  const own = pins.conditions.filter((c) => c.emitters.some((e) => e.split("/").pop() === o.entrypoint));
  if (name === undefined) return pins.requiredSections.includes(section) || own.some((c) => c.requiredSections.includes(section));
  return (pins.sections[section]?.required ?? []).includes(name) || own.some((c) => (c.required[section] ?? []).includes(name));
}

const has = (o: Outcome, severity: string, code: string, pointer: string): boolean =>
  o.added.some((a) => a.severity === severity && a.code === code && a.pointer === pointer);

describe("issue 14: changes to a pinned block", () => {
  beforeAll(async () => {
    const r = await measure();
    outcomes = r.outcomes;
    table = tableText(r);
  }, 300_000);

  it("measures the golden documents of every pinned variant", () => {
    const pinned = new Set(outcomes.filter((o) => pinsOf(o)).map((o) => `${o.family}/${o.variant}`));
    expect(pinned.size).toBeGreaterThanOrEqual(52);
    expect(table).toMatch(/entrypoint/);
  });

  it("a swapped entrypoint is an inconsistent error", () => {
    const wrong = outcomes.filter(
      (o) => o.id === "entrypoint" && pinsOf(o) && !(!o.valid && has(o, "error", "inconsistent", "/run_provenance/entrypoint/path")),
    );
    expect(wrong).toEqual([]);
  });

  /**
   * A name the emitters always write, gone: a schema error at its section. A name they write only
   * sometimes: never a schema error (a family rule may still say it should be there: inconsistent).
   */
  const judged = (o: Outcome, isRequired: boolean, pointer: string): boolean =>
    isRequired ? !o.valid && has(o, "error", "schema", pointer) : !o.added.some((a) => a.code === "schema");

  it("an args key the emitters always record, deleted, is a schema error; a key they do not always record is not", () => {
    const deletions = outcomes.filter((o) => o.id === "args-delete" && pinsOf(o));
    const wrong = deletions.filter((o) => !judged(o, required(pinsOf(o)!, o, "args", o.detail), "/run_provenance/args"));
    expect(wrong).toEqual([]);
    expect(deletions.filter((o) => required(pinsOf(o)!, o, "args", o.detail) && o.valid)).toEqual([]);
  });

  it("a renamed name is always flagged (unknown-key), and an error when the old name is always written", () => {
    const wrong = outcomes.filter((o) => {
      const section = ({ "args-rename": "args", "inputs-rename": "inputs", "outputs-rename": "outputs" } as Record<string, BlockSection>)[o.id];
      const pins = section ? pinsOf(o) : undefined;
      if (!pins || !section) return false;
      if (!has(o, "warning", "unknown-key", `/run_provenance/${section}/${o.detail}_renamed`)) return true;
      return !judged(o, required(pins, o, section, o.detail), `/run_provenance/${section}`);
    });
    expect(wrong).toEqual([]);
  });

  it("inputs deleted is a schema error wherever the emitters always write inputs", () => {
    const wrong = outcomes.filter((o) => {
      const pins = o.id === "inputs-delete" ? pinsOf(o) : undefined;
      if (!pins || !pins.sections.inputs) return false;
      return !judged(o, required(pins, o, "inputs"), "/run_provenance");
    });
    expect(wrong).toEqual([]);
  });

  it("a new args flag is one unknown-key warning and nothing more", () => {
    const adds = outcomes.filter((o) => o.id === "args-add");
    expect(adds.length).toBeGreaterThan(100);
    const wrong = adds.filter((o) => {
      if (!o.valid) return true;
      const expected = pinsOf(o) ? [{ severity: "warning", code: "unknown-key", pointer: "/run_provenance/args/new_flag_from_a_newer_emitter" }] : [];
      return JSON.stringify(o.added.map(({ severity, code, pointer }) => ({ severity, code, pointer }))) !== JSON.stringify(expected);
    });
    expect(wrong).toEqual([]);
  });

  it("the generic families pin nothing: no unknown-key, no entrypoint rule", () => {
    const generic = outcomes.filter((o) => !pinsOf(o));
    expect(generic.length).toBeGreaterThan(0);
    expect(generic.every((o) => o.family === "run-manifest" || o.family === "run-provenance")).toBe(true);
    expect(generic.filter((o) => o.added.some((a) => a.code === "unknown-key"))).toEqual([]);
  });
});
