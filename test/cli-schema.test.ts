/** `runprov families` and `runprov schema FAMILY` (discovery commands), run as a user would. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT, runCli } from "./helpers.js";
import { schemaTextOf } from "../src/cli/commands/schema.js";
import { FAMILIES } from "../src/families/index.js";

/**
 * Pinned names are only ever added to (docs/contract.md): every family a compat snapshot holds
 * (corpus-fixtures/snapshots/v1/, never edited or deleted) stays listed; FAMILIES is one module
 * per schema file (test/families/catalog.test.ts).
 */
const SNAPSHOTTED = [
  ...new Set(
    readdirSync(path.join(PROJECT, "corpus-fixtures/snapshots/v1"))
      .filter((d) => existsSync(path.join(PROJECT, "corpus-fixtures/snapshots/v1", d, "index.json")))
      .flatMap((d) =>
        (JSON.parse(readFileSync(path.join(PROJECT, "corpus-fixtures/snapshots/v1", d, "index.json"), "utf8")) as { family: string }[]).map((e) => e.family),
      ),
  ),
];
const PINNED = FAMILIES.map((f) => f.name);

describe("runprov families", () => {
  it("lists every pinned family with variants, schema $id and file patterns (json)", () => {
    const r = runCli(["families", "--format", "json"], PROJECT);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { family: string; schema: string; filePatterns: string[]; variants: { name: string; schema: string }[] }[];
    expect(list.map((f) => f.family).sort()).toEqual([...PINNED].sort());
    expect(SNAPSHOTTED.length).toBeGreaterThanOrEqual(19);
    expect(list.map((f) => f.family)).toEqual(expect.arrayContaining(SNAPSHOTTED));
    for (const f of list) {
      expect(f.schema).toBe(`https://run-provenance.dev/schema/v1/${f.family}.schema.json`);
      expect(f.variants.length).toBeGreaterThan(0);
      expect(f.filePatterns.length).toBeGreaterThan(0);
      const bundle = JSON.parse(readFileSync(path.join(PROJECT, "generated", "bundled", `${f.family}.schema.json`), "utf8"));
      for (const v of f.variants) {
        const def = v.schema.split("#/$defs/")[1];
        if (def) expect(bundle.$defs?.[def], `${f.family} ${v.name}`).toBeDefined();
      }
    }
  });

  it("prints a readable text listing", () => {
    const r = runCli(["families"], PROJECT);
    expect(r.code).toBe(0);
    for (const name of PINNED) expect(r.stdout).toContain(`\n${name}`.trimStart());
  });
});

describe("runprov schema", () => {
  const published = (family: string) => readFileSync(path.join(PROJECT, "generated", "bundled", `${family}.schema.json`), "utf8");
  it.each(["run-provenance", "model-sidecar"])("the built CLI prints exactly the published bundle of %s", (family) => {
    const r = runCli(["schema", family], PROJECT);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(published(family));
  });

  it("the command's text equals the published bundle for every family", () => {
    for (const family of PINNED) expect(schemaTextOf(family), family).toBe(published(family));
  });

  it("an unknown family is a usage error (exit 2) naming the known ones", () => {
    const r = runCli(["schema", "no-such-family"], PROJECT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("model-sidecar");
  });
});
