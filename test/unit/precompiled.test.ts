/**
 * The build's precompiled validators (scripts/precompile.mjs) are current, load as ES modules,
 * and are what the validator uses: no schema is compiled at run time after `npm run build`.
 */
import { describe, expect, it, vi } from "vitest";
import { SchemaStore, readSchemaFiles } from "../../dist/validate/schemas.js";

describe("precompiled validators", () => {
  it("cover every schema and variant, and the store never falls back to compiling", async () => {
    const store = new SchemaStore("v1");
    expect((store as unknown as { precompiled: boolean }).precompiled).toBe(true);
    const fallback = vi.spyOn(SchemaStore.prototype as unknown as { runtimeAjv: () => unknown }, "runtimeAjv");
    let n = 0;
    for (const [file, schema] of readSchemaFiles("v1")) {
      for (const def of ["", ...Object.keys((schema.$defs as object) ?? {})]) {
        const { validate } = await store.get(file, def || undefined);
        expect(typeof validate).toBe("function");
        n++;
      }
    }
    expect(fallback).not.toHaveBeenCalled();
    fallback.mockRestore(); // test files share their worker (isolate: false)
    expect(n).toBeGreaterThan(40);
  });
});
