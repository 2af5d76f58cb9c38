/**
 * Python parity: Python's jsonschema (Debian python3-jsonschema, Draft202012Validator, run with
 * /usr/bin/python3) over the published bundles gives every conformance vector the verdict Ajv
 * gives. Also: the schemas use only regex features both engines implement alike, and the
 * comparison really fails when the two validators disagree.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ajvJudge,
  ajvVerdicts,
  bundledSchemas,
  compareVerdicts,
  parityOf,
  patternProblems,
  equalityProblems,
  widthOf,
  PYTHON,
  pythonVerdicts,
  sourceSchemas,
} from "./conformance-lib.js";
import { readSchemaFiles } from "../src/validate/schemas.js";
import { PROJECT, removeTree, tempDir } from "./helpers.js";
import { REAL_CORPUS } from "./real-corpus.js";

const hasPython = existsSync(PYTHON);
// CI installs python3-jsonschema (.ci/run); a developer machine without it skips, loudly.
const itPy = hasPython ? it : it.skip;
if (!hasPython) console.warn(`python-parity: ${PYTHON} not found; install python3-jsonschema to run the parity test`);

describe("python parity", () => {
  itPy(
    "Python jsonschema and Ajv agree on every conformance vector",
    () => {
      const ajv = ajvVerdicts(ajvJudge(sourceSchemas()));
      const python = pythonVerdicts();
      const { compared, disagreements, unmatched } = compareVerdicts(ajv, python);
      expect(unmatched).toEqual([]);
      expect(disagreements).toEqual([]);
      expect(compared).toBe(ajv.length);
      expect(compared).toBeGreaterThan(100);
      // And both agree with the expectation written in the vector.
      expect(python.filter((v) => v.valid !== v.expected)).toEqual([]);
    },
    120_000,
  );

  itPy(
    "the comparison catches a vector the two validators judge differently",
    () => {
      // Python's `$` also matches before a final newline; ECMAScript's does not.
      const bundle = {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "https://run-provenance.dev/schema/test/probe.schema.json",
        type: "string",
        pattern: "^[0-9a-f]{4}$",
      };
      const groups = [
        {
          description: "probe",
          schema: { $ref: bundle.$id },
          tests: [
            { description: "plain", data: "abcd", valid: true },
            { description: "final newline", data: "abcd\n", valid: false },
          ],
        },
      ];
      const { compared, disagreements } = parityOf(bundle, groups);
      expect(compared).toBe(2);
      expect(disagreements).toEqual([{ file: "probe.json", group: "probe", test: "final newline", ajv: false, python: true }]);
      // The portable form closes the gap.
      const fixed = parityOf({ ...bundle, maxLength: 4 }, groups);
      expect(fixed.disagreements).toEqual([]);
      const lookahead = parityOf({ ...bundle, pattern: "^[0-9a-f]+$(?!\\n)" }, groups);
      expect(lookahead.disagreements).toEqual([]);
      expect(lookahead.compared).toBe(2);
    },
    60_000,
  );

  itPy(
    "a \\d pattern is caught too (Unicode digits match in Python only)",
    () => {
      const bundle = { $id: "https://run-provenance.dev/schema/test/digits.schema.json", type: "string", pattern: "^x\\d$" };
      const { disagreements } = parityOf(bundle, [
        { description: "digits", schema: { $ref: bundle.$id }, tests: [{ description: "arabic-indic three", data: "x\u0663", valid: false }] },
      ]);
      expect(disagreements.length).toBe(1);
    },
    60_000,
  );

  it("bundles and source schemas are both loaded (sanity)", () => {
    expect(bundledSchemas().length).toBe(sourceSchemas().length - 1); // common.schema.json has no bundle
  });

  it("every pattern in schema/v1 uses only regex features ECMAScript and Python share", () => {
    const problems = [...readSchemaFiles("v1")].flatMap(([file, schema]) => patternProblems(file, schema));
    expect(problems.map((p) => `${p.file}${p.pointer}: ${JSON.stringify(p.pattern)}: ${p.problem}`)).toEqual([]);
  });

  it("no const/enum compares objects holding 0, 1 or booleans (Python equates them)", () => {
    const problems = [...readSchemaFiles("v1")].flatMap(([file, schema]) => equalityProblems(file, schema));
    expect(problems.map((p) => `${p.file}${p.pointer}: ${p.problem}`)).toEqual([]);
    expect(equalityProblems("x", { enum: [{ a: 0 }] }).length).toBe(1);
    expect(equalityProblems("x", { const: [1, 5] }).length).toBe(0);
  });

  itPy(
    "the equality difference is real (so the lint above matters)",
    () => {
      const bundle = { $id: "https://run-provenance.dev/schema/test/eq.schema.json", enum: [{ a: 0 }] };
      const { disagreements } = parityOf(bundle, [
        { description: "eq", schema: { $ref: bundle.$id }, tests: [{ description: "false for 0 inside an object", data: { a: false }, valid: false }] },
      ]);
      expect(disagreements.length).toBe(1);
    },
    60_000,
  );

  it("the pattern lint knows the differences", () => {
    const lint = (pattern: string, extra: object = {}) => patternProblems("x", { type: "string", pattern, ...extra }).map((p) => p.problem.split(" ")[0]);
    expect(lint("^[0-9a-f]{64}$")).toEqual(["final"]);
    expect(lint("^[0-9a-f]{64}$", { maxLength: 64 })).toEqual([]);
    expect(lint("^seed[0-9]+$(?!\\n)")).toEqual([]);
    expect(lint("^a.b")).toEqual(["'.'"]);
    expect(lint("^a[.]b\\.c")).toEqual([]);
    expect(lint("\\d+")).toEqual(["\\d"]);
    expect(lint("(?<=a)b")).toEqual(["lookbehind"]);
    expect(lint("(?<name>a)")).toEqual(["named"]);
    expect(lint("\\p{L}")).toEqual(["\\p{...}"]);
    expect(lint("^a\\$")).toEqual([]);
    expect(lint("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", { maxLength: 10 })).toEqual([]);
    expect(lint("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", { maxLength: 11 })).toEqual(["final"]);
    expect(lint("^(ab|c)$", { maxLength: 2 })).toEqual(["final"]);
    expect(widthOf("^[0-9]{4}-(?:[0-9]{2})?T\\+00:00$")).toEqual({ min: 12, max: 14 });
  });

  itPy(
    "the Python snippet of schema/README.md works with only the bundle and python3-jsonschema",
    () => {
      const readme = readFileSync(path.join(PROJECT, "schema", "README.md"), "utf8");
      const snippet = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(snippet).toBeDefined();
      const dir = tempDir("runprov-readme-py-");
      try {
        copyFileSync(path.join(PROJECT, "generated", "bundled", "model-sidecar.schema.json"), path.join(dir, "model-sidecar.schema.json"));
        mkdirSync(path.join(dir, "model", "tiny"), { recursive: true });
        const doc = path.join(dir, "model", "tiny", "fr_regressor_v1.json");
        // A committed real sidecar (legacy, no block) and a fixture written as the emitter writes it (NaN dialect included).
        const sources = [
          path.join(PROJECT, "corpus-fixtures", "model-sidecar", "fr-regressor-v1", "repo", "model", "tiny", "fr_regressor_v1.json"),
          ...(REAL_CORPUS ? [path.join(REAL_CORPUS, "model", "tiny", "fr_regressor_v1.json")] : []),
        ].filter(existsSync);
        expect(sources.length).toBeGreaterThan(0);
        writeFileSync(path.join(dir, "snippet.py"), snippet!);
        const run = () => spawnSync(PYTHON, ["snippet.py"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
        for (const src of sources) {
          copyFileSync(src, doc);
          const ok = run();
          expect(ok.stderr).toBe("");
          expect(ok.stdout.trim().split("\n").pop()).toBe("valid");
        }
        const broken = JSON.parse(readFileSync(sources[sources.length - 1], "utf8").replace(/\bNaN\b/g, "0"));
        broken.sha256 = "ABC";
        writeFileSync(doc, JSON.stringify(broken));
        const bad = run();
        expect(bad.stdout).toMatch(/error\(s\)/);
      } finally {
        removeTree(dir);
      }
    },
    60_000,
  );
});
