/**
 * The build's precompiled validators (scripts/precompile.mjs) are current, load as ES modules,
 * and are what the validator uses: no schema is compiled at run time after `npm run build`.
 * One module per variant, so a run loads the code of the variants it meets only.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { FAMILIES } from "../../dist/families/index.js";
import { SchemaStore, exportName, moduleDir } from "../../dist/validate/schemas.js";
import { PROJECT } from "../helpers.js";

describe("precompiled validators", () => {
  it("cover the root and every variant of every family, one module each, and the store never falls back to compiling", async () => {
    const store = new SchemaStore("v1");
    const fallback = vi.spyOn(SchemaStore.prototype as unknown as { runtimeAjv: () => unknown }, "runtimeAjv");
    let n = 0;
    for (const family of FAMILIES) {
      for (const def of ["", ...family.variants.map((v) => v.def)]) {
        expect(existsSync(path.join(PROJECT, "dist/validators/v1", moduleDir(family.schemaFile), `${exportName(def)}.js`)), `${family.name} ${def}`).toBe(true);
        const { validate } = await store.get(family.schemaFile, def || undefined);
        expect(typeof validate).toBe("function");
        n++;
      }
    }
    expect(fallback).not.toHaveBeenCalled();
    fallback.mockRestore(); // test files share their worker (isolate: false)
    expect(n).toBeGreaterThan(60);
  });
});
