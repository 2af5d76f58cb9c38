/**
 * Drift check: generated/ (bundles, types), docs/reference/ and corpus-fixtures/conformance/
 * are exactly what `npm run generate` makes from schema/v1/ and the fixtures. The CI also runs
 * `node scripts/generate.mjs --check`, which prints a GitHub annotation naming the command.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT } from "./helpers.js";
// @ts-expect-error plain ES module without types
import { generateAll, staleFiles } from "../scripts/generate.mjs";
import ts from "typescript";
import { bundleFamily, bundleText, loadSchemaSet } from "../src/schema/bundle.js";

describe("generated files", () => {
  // One generation serves both the drift check and, compared with a second one, determinism.
  let first: Promise<Map<string, string>> | undefined;
  const generated = (): Promise<Map<string, string>> => (first ??= generateAll(PROJECT));

  it("are up to date (run `npm run generate` when this fails)", async () => {
    const expected = await generated();
    expect(staleFiles(PROJECT, expected)).toEqual([]);
  }, 60_000);

  it("generation is deterministic", async () => {
    const a = await generated();
    const b: Map<string, string> = await generateAll(PROJECT);
    expect([...a.entries()]).toEqual([...b.entries()]);
  }, 60_000);

  it("each bundle is self-contained: $schema 2020-12, absolute $id, only local $refs", () => {
    const set = loadSchemaSet(path.join(PROJECT, "schema", "v1"));
    for (const [file, id] of set.idByFile) {
      if (file === "common.schema.json") continue;
      const family = file.replace(/\.schema\.json$/, "");
      const text = readFileSync(path.join(PROJECT, "generated", "bundled", file), "utf8");
      expect(text).toBe(bundleText(bundleFamily(family, set)));
      const bundle = JSON.parse(text);
      expect(bundle.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(bundle.$id).toBe(id);
      const refs = [...text.matchAll(/"\$ref": "([^"]*)"/g)].map((m) => m[1]);
      for (const r of refs) expect(r.startsWith("#"), `${file}: ${r}`).toBe(true);
      expect(text).not.toMatch(/"\$id": "(?!https:\/\/run-provenance\.dev\/schema\/v1\/)/);
      expect((text.match(/"\$id"/g) ?? []).length).toBe(1);
    }
  });

  it("the generated types compile under strict TypeScript", () => {
    const probe = path.join(PROJECT, "generated", "types", "index.d.ts");
    const program = ts.createProgram([probe], {
      strict: true,
      noEmit: true,
      types: [],
      lib: ["lib.es2022.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diags).toEqual([]);
    const text = readFileSync(path.join(PROJECT, "generated", "types", "run-provenance.d.ts"), "utf8");
    expect(text).toMatch(/export interface RunProvenance \{/);
    expect(text).toMatch(/kind: "file" \| "directory" \| "missing";/);
  }, 60_000);
});
