/**
 * Shared by test/conformance.test.ts and test/python-parity.test.ts: reads the conformance
 * vectors, judges them with Ajv (the CLI's own configuration, over the source schemas or the
 * bundles) and with Python's jsonschema (Draft202012Validator over the bundles), and compares.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAjv } from "../src/validate/ajv.js";
import { readSchemaFiles } from "../src/validate/schemas.js";
import { PROJECT } from "./helpers.js";

export const VECTOR_DIR = path.join(PROJECT, "corpus-fixtures", "conformance");
export const BUNDLE_DIR = path.join(PROJECT, "generated", "bundled");
export const PYTHON = "/usr/bin/python3";
export const PY_RUNNER = path.join(VECTOR_DIR, "run_jsonschema.py");

export interface VectorTest {
  description: string;
  data: unknown;
  valid: boolean;
}
export interface VectorGroup {
  description: string;
  schema: unknown;
  tests: VectorTest[];
}
export interface Verdict {
  file: string;
  group: string;
  test: string;
  expected: boolean;
  valid: boolean;
}

export function vectorFiles(dir = VECTOR_DIR): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort();
}

export function readVectors(file: string, dir = VECTOR_DIR): VectorGroup[] {
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as VectorGroup[];
}

/** An Ajv validator factory over the source schemas (as the CLI) or over bundle documents. */
export function ajvJudge(schemas: Iterable<object>): (schema: unknown, data: unknown) => boolean {
  const ajv = createAjv();
  for (const s of schemas) ajv.addSchema(s);
  const cache = new Map<string, (d: unknown) => boolean>();
  return (schema, data) => {
    const key = JSON.stringify(schema);
    let fn = cache.get(key);
    if (!fn) {
      const compiled = ajv.compile(schema as object);
      fn = (d) => compiled(d) as boolean;
      cache.set(key, fn);
    }
    return fn(data);
  };
}

export function sourceSchemas(): object[] {
  return [...readSchemaFiles("v1").values()];
}

export function bundledSchemas(dir = BUNDLE_DIR): object[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".schema.json"))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(dir, n), "utf8")) as object);
}

/** Every vector judged by one Ajv judge. */
export function ajvVerdicts(judge: (schema: unknown, data: unknown) => boolean, dir = VECTOR_DIR): Verdict[] {
  const out: Verdict[] = [];
  for (const file of vectorFiles(dir)) {
    for (const g of readVectors(file, dir)) {
      for (const t of g.tests) {
        out.push({ file, group: g.description, test: t.description, expected: t.valid, valid: judge(g.schema, t.data) });
      }
    }
  }
  return out;
}

/** Every vector judged by Python's jsonschema (runs the shipped runner with /usr/bin/python3). */
export function pythonVerdicts(vectorDir = VECTOR_DIR, bundleDir = BUNDLE_DIR): Verdict[] {
  const files = vectorFiles(vectorDir).map((f) => path.join(vectorDir, f));
  const r = spawnSync(PYTHON, [PY_RUNNER, "--json", "--bundles", bundleDir, ...files], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  if (!r.stdout.trim().startsWith("[")) throw new Error(`python runner failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Verdict[];
}

export interface Disagreement {
  file: string;
  group: string;
  test: string;
  ajv: boolean;
  python: boolean;
}

/** Vectors on which the two validators disagree (matched by file, group and test description). */
export function compareVerdicts(ajv: Verdict[], python: Verdict[]): { compared: number; disagreements: Disagreement[]; unmatched: string[] } {
  const key = (v: Verdict): string => `${v.file}\u0000${v.group}\u0000${v.test}`;
  const py = new Map<string, Verdict[]>();
  for (const v of python) py.set(key(v), [...(py.get(key(v)) ?? []), v]);
  const disagreements: Disagreement[] = [];
  const unmatched: string[] = [];
  let compared = 0;
  for (const a of ajv) {
    const list = py.get(key(a));
    const p = list?.shift();
    if (!p) {
      unmatched.push(`${a.file}: ${a.group} / ${a.test}`);
      continue;
    }
    compared++;
    if (p.valid !== a.valid) disagreements.push({ file: a.file, group: a.group, test: a.test, ajv: a.valid, python: p.valid });
  }
  for (const rest of py.values()) for (const p of rest) unmatched.push(`(python only) ${p.file}: ${p.group} / ${p.test}`);
  return { compared, disagreements, unmatched };
}

/**
 * The whole parity check on an arbitrary schema and vectors, in a temporary folder: used by the
 * test that proves the parity test can fail. `bundle` must carry an absolute `$id`.
 */
export function parityOf(bundle: { $id: string }, groups: VectorGroup[]): { compared: number; disagreements: Disagreement[] } {
  const tmp = mkdtempSync(path.join(tmpdir(), "runprov-parity-"));
  try {
    const bdir = path.join(tmp, "bundled");
    const vdir = path.join(tmp, "vectors");
    for (const d of [bdir, vdir]) rmSync(d, { recursive: true, force: true });
    mkdirp(bdir);
    mkdirp(vdir);
    writeFileSync(path.join(bdir, "probe.schema.json"), JSON.stringify(bundle));
    writeFileSync(path.join(vdir, "probe.json"), JSON.stringify(groups));
    const ajv = ajvVerdicts(ajvJudge([bundle]), vdir);
    const python = pythonVerdicts(vdir, bdir);
    const { compared, disagreements } = compareVerdicts(ajv, python);
    return { compared, disagreements };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function mkdirp(dir: string): void {
  spawnSync("mkdir", ["-p", dir]);
}

// ---------------------------------------------------------------------------------------------
// Regex portability: ECMAScript (Ajv, `u` flag) and Python `re` (jsonschema, re.search) agree on
// a pattern only when it avoids these features.

export interface PatternProblem {
  file: string;
  pointer: string;
  pattern: string;
  problem: string;
}

const PATTERN_RULES: { re: RegExp; problem: string }[] = [
  { re: /\(\?<[=!]/, problem: "lookbehind (Python needs fixed width; semantics differ)" },
  { re: /\(\?<[A-Za-z]|\(\?P</, problem: "named group (different syntax in Python and ECMAScript)" },
  { re: /\\[pP]\{/, problem: "\\p{...} (Python re has no Unicode property escapes)" },
  { re: /\\[dDwWsSbB]/, problem: "\\d \\w \\s \\b (Unicode sets in Python, ASCII or other sets in ECMAScript): use [0-9], [A-Za-z0-9_], [ \\t]" },
  { re: /\\[AZzG]|\\x\{|\(\?[aiLmsux]/, problem: "escape or inline flag that only one engine knows" },
];

/** Unescaped `.` outside a character class, and a final unescaped `$`. */
function structuralProblems(pattern: string): string[] {
  const out: string[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === ".") out.push("'.' outside a class (Python excludes only \\n, ECMAScript also \\r, \\u2028, \\u2029): use a class such as [^\\n]");
    else if (c === "$" && i === pattern.length - 1) {
      out.push(
        'final $ (Python\'s $ also matches before a final \\n, so "x\\n" passes in Python only): add maxLength for fixed-width patterns, else end with $(?!\\n)',
      );
    }
  }
  return [...new Set(out)];
}

/** Every `pattern` / `patternProperties` key in a schema with a portability problem. */
export function patternProblems(file: string, schema: unknown): PatternProblem[] {
  const out: PatternProblem[] = [];
  const visit = (node: unknown, pointer: string, parent: Record<string, unknown> | undefined, key: string | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${pointer}/${i}`, undefined, undefined));
      return;
    }
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (k === "const" || k === "enum" || k === "examples" || k === "default") continue;
      const p = `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (k === "pattern" && typeof v === "string") check(v, p, obj);
      if (k === "patternProperties" && v && typeof v === "object") for (const pk of Object.keys(v)) check(pk, `${p}/${pk}`, undefined);
      visit(v, p, obj, k);
    }
    void parent;
    void key;
  };
  const check = (pattern: string, pointer: string, owner: Record<string, unknown> | undefined): void => {
    const problems = PATTERN_RULES.filter((r) => r.re.test(pattern)).map((r) => r.problem);
    for (const p of structuralProblems(pattern)) {
      // A final $ is harmless when maxLength leaves no room for the extra newline.
      if (p.startsWith("final $") && owner && boundedByLength(pattern, owner)) continue;
      problems.push(p);
    }
    for (const problem of problems) out.push({ file, pointer, pattern, problem });
  };
  visit(schema, "", undefined, undefined);
  return out;
}

/**
 * A fixed-width pattern (`^[0-9a-f]{64}$`, `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`) whose schema also
 * says maxLength = that width: the extra final newline Python's `$` tolerates cannot fit.
 */
function boundedByLength(pattern: string, owner: Record<string, unknown>): boolean {
  const max = owner.maxLength;
  if (typeof max !== "number") return false;
  const w = widthOf(pattern);
  return w !== undefined && w.min === w.max && w.max === max;
}

/** Minimum and maximum match length of a simple pattern; undefined when it cannot tell. */
export function widthOf(pattern: string): { min: number; max: number } | undefined {
  let i = 0;
  const seq = (): { min: number; max: number } | undefined => {
    let alts: { min: number; max: number }[] = [];
    let cur = { min: 0, max: 0 };
    while (i < pattern.length && pattern[i] !== ")") {
      const c = pattern[i];
      if (c === "|") {
        alts.push(cur);
        cur = { min: 0, max: 0 };
        i++;
        continue;
      }
      let atom: { min: number; max: number } | undefined;
      if (c === "^" || c === "$") {
        i++;
        continue;
      } else if (c === "\\") {
        if (/[bBAZzG]/.test(pattern[i + 1] ?? "")) return undefined;
        i += 2;
        atom = { min: 1, max: 1 };
      } else if (c === "[") {
        i++;
        if (pattern[i] === "^") i++;
        if (pattern[i] === "]") i++;
        while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
        i++;
        atom = { min: 1, max: 1 };
      } else if (c === "(") {
        i++;
        if (pattern[i] === "?") {
          if (pattern[i + 1] !== ":") return undefined; // lookarounds and named groups: not simple
          i += 2;
        }
        atom = seq();
        if (!atom || pattern[i] !== ")") return undefined;
        i++;
      } else {
        i++;
        atom = { min: 1, max: 1 };
      }
      const q = /^(?:\*|\+|\?|\{([0-9]+)(?:(,)([0-9]*))?\})/.exec(pattern.slice(i));
      if (q) {
        i += q[0].length;
        if (q[0] === "*") atom = { min: 0, max: Infinity };
        else if (q[0] === "+") atom = { min: atom.min, max: Infinity };
        else if (q[0] === "?") atom = { min: 0, max: atom.max };
        else {
          const n = Number(q[1]);
          const m = q[2] ? (q[3] ? Number(q[3]) : Infinity) : n;
          atom = { min: atom.min * n, max: atom.max * m };
        }
      }
      cur = { min: cur.min + atom.min, max: cur.max + atom.max };
    }
    alts.push(cur);
    return { min: Math.min(...alts.map((a) => a.min)), max: Math.max(...alts.map((a) => a.max)) };
  };
  const w = seq();
  return i === pattern.length ? w : undefined;
}

/**
 * `const`/`enum` values holding an object with a 0 or 1 inside: Python's jsonschema (4.10)
 * compares nested objects with ==, where 0 == False and 1 == True, so {"a": false} passes
 * `enum: [{"a": 0}]` in Python only. Top-level and array values are compared strictly.
 */
export function equalityProblems(file: string, schema: unknown): PatternProblem[] {
  const out: PatternProblem[] = [];
  const hasBoolLikeInObject = (v: unknown, inObject: boolean): boolean => {
    if (Array.isArray(v)) return v.some((x) => hasBoolLikeInObject(x, inObject));
    if (v && typeof v === "object") return Object.values(v).some((x) => hasBoolLikeInObject(x, true));
    return inObject && (v === 0 || v === 1 || typeof v === "boolean");
  };
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${pointer}/${i}`));
    if (!node || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const p = `${pointer}/${k}`;
      if (k === "const" || k === "enum") {
        const values = k === "enum" && Array.isArray(v) ? v : [v];
        if (values.some((x) => x && typeof x === "object" && hasBoolLikeInObject(x, false))) {
          out.push({
            file,
            pointer: p,
            pattern: JSON.stringify(v),
            problem: "object-valued const/enum holding 0, 1 or a boolean (Python compares 0 == false inside objects)",
          });
        }
      } else if (k !== "examples" && k !== "default") visit(v, p);
    }
  };
  visit(schema, "");
  return out;
}
