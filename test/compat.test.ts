/**
 * Versioning policy (schema/README.md): every document that was ever valid stays valid within
 * a major version. corpus-fixtures/snapshots/v1/<date>/ holds committed, never-edited copies of
 * documents the schemas accepted on that date (scripts/snapshot.mjs takes one); the current
 * schemas must accept every one of them.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/load/parse.js";
import { ajvJudge, sourceSchemas } from "./conformance-lib.js";
import { PROJECT } from "./helpers.js";

const SNAPSHOTS = path.join(PROJECT, "corpus-fixtures", "snapshots", "v1");
const dates = existsSync(SNAPSHOTS)
  ? readdirSync(SNAPSHOTS)
      .filter((d) => /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d))
      .sort()
  : [];

interface Entry {
  file: string;
  family: string;
  variant: string | null;
  source: string;
}

describe("versioning policy", () => {
  it("the major version is in the block's schema string and in every $id of its folder", () => {
    for (const version of readdirSync(path.join(PROJECT, "schema")).filter((d) => /^v[0-9]+$/.test(d))) {
      const dir = path.join(PROJECT, "schema", version);
      const block = JSON.parse(readFileSync(path.join(dir, "run-provenance.schema.json"), "utf8"));
      expect(block.properties.schema.const).toBe(`ai-run-provenance-${version}`);
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".schema.json"))) {
        const schema = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
        expect(schema.$id).toBe(`https://run-provenance.dev/schema/${version}/${file}`);
        expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      }
    }
  });
});

describe("v1 compatibility snapshots", () => {
  it("at least one snapshot exists", () => {
    expect(dates.length).toBeGreaterThan(0);
  });

  const judge = ajvJudge(sourceSchemas());
  for (const date of dates) {
    const dir = path.join(SNAPSHOTS, date);
    const index = JSON.parse(readFileSync(path.join(dir, "index.json"), "utf8")) as Entry[];

    it(`${date}: files are unedited (SHA256SUMS)`, () => {
      const lines = readFileSync(path.join(dir, "SHA256SUMS"), "utf8").trim().split("\n");
      expect(lines.length).toBe(index.length);
      for (const line of lines) {
        const [sum, file] = line.split(/ {2}/);
        expect(
          createHash("sha256")
            .update(readFileSync(path.join(dir, file)))
            .digest("hex"),
          file,
        ).toBe(sum);
      }
    });

    it(`${date}: the current schemas accept all ${index.length} documents`, () => {
      const rejected: string[] = [];
      for (const e of index) {
        const parsed = parseJson(readFileSync(path.join(dir, e.file), "utf8"));
        if (!parsed.ok) {
          rejected.push(`${e.file}: does not parse`);
          continue;
        }
        const id = `https://run-provenance.dev/schema/v1/${e.family}.schema.json`;
        if (!judge({ $ref: id }, parsed.value)) rejected.push(`${e.file} (${e.family}${e.variant ? ` ${e.variant}` : ""}; from ${e.source})`);
      }
      expect(rejected).toEqual([]);
    });
  }
});
