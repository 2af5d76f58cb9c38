#!/usr/bin/env node
/**
 * How closely the schemas pin the run_provenance block each emitter writes.
 *
 * Takes every document that a golden case (corpus-fixtures/<family>/<case>/case.json) expects to
 * be valid and that carries a block (the block-<variant> cases, mutants themselves, aside), applies one change to its block, writes it back into a
 * copy of its workspace (file names and neighbours matter for detection) and validates it with
 * the library, hashing off (schema and rules only). Counts, per change, how many mutated
 * documents are still accepted (valid) and how many are flagged (an error, or an `unknown-key`
 * warning the unchanged document did not have).
 *
 * Usage: npm run build && node bench/block-mutations.mjs [--json]
 * test/block-mutations.test.ts runs the same measurement and pins the expected counts.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = path.join(PROJECT, "corpus-fixtures");

/** The changes of issue 14, in its order. */
export const MUTATIONS = [
  { id: "entrypoint", label: "`entrypoint.path` replaced by `ai/scripts/some_other_script.py`" },
  { id: "args-delete", label: "one `args` key deleted (each key in turn)" },
  { id: "args-rename", label: "one `args` key renamed" },
  { id: "inputs-rename", label: "one `inputs` key renamed" },
  { id: "outputs-rename", label: "one `outputs` key renamed" },
  { id: "inputs-delete", label: "`inputs` deleted altogether" },
  { id: "args-add", label: "a new `args` flag added" },
];

/** Python's json.dumps(indent=2) with bare NaN/Infinity, key order kept. */
export function dumps(value, indent = "") {
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + dumps(v, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return "{}";
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${dumps(value[k], inner)}`).join(",\n")}\n${indent}}`;
}

function listDirs(dir) {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith("_"))
        .map((e) => e.name)
        .sort()
    : [];
}

function optionsOf(flags = []) {
  const o = {};
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === "--family") o.family = flags[++i];
    else if (flags[i] === "--require-provenance") o.requireProvenance = true;
    else if (flags[i] === "--strict-json") o.strictJson = true;
  }
  return o;
}

/** Every valid golden document that carries a block: {caseDir, name, file, text, doc, options}. */
export async function goldenBlockDocuments(parseJson) {
  const out = [];
  for (const family of listDirs(FIXTURES)) {
    // block-<variant> cases hold mutants of valid cases already measured here.
    for (const c of listDirs(path.join(FIXTURES, family)).filter((n) => !n.startsWith("block-"))) {
      const caseDir = path.join(FIXTURES, family, c);
      const caseFile = path.join(caseDir, "case.json");
      if (!existsSync(caseFile)) continue;
      const spec = JSON.parse(readFileSync(caseFile, "utf8"));
      for (const e of spec.expect ?? []) {
        if (!e.valid) continue;
        const abs = path.join(caseDir, "repo", e.file);
        if (!existsSync(abs)) continue;
        const parsed = parseJson(readFileSync(abs, "utf8"));
        const doc = parsed.ok ? parsed.value : undefined;
        const rp = doc && typeof doc === "object" && !Array.isArray(doc) ? doc.run_provenance : undefined;
        if (!rp || typeof rp !== "object" || Array.isArray(rp)) continue;
        out.push({ caseDir, name: `${family}/${c}`, file: e.file, family: e.family, variant: e.variant, doc, options: optionsOf(spec.flags) });
      }
    }
  }
  return out;
}

const clone = (v) => structuredClone(v);
const keysOf = (o) => (o && typeof o === "object" && !Array.isArray(o) ? Object.keys(o) : []);
const renamed = (k) => `${k}_renamed`;

function renameKey(obj, key) {
  const out = {};
  for (const k of Object.keys(obj)) out[k === key ? renamed(k) : k] = obj[k];
  return out;
}

/** The mutants of one document for one change: [{detail, doc}] (empty when the change does not apply). */
export function mutants(doc, id) {
  const rp = doc.run_provenance;
  const withBlock = (block) => ({ ...clone(doc), run_provenance: block });
  switch (id) {
    case "entrypoint": {
      const b = clone(rp);
      b.entrypoint = { ...b.entrypoint, path: "ai/scripts/some_other_script.py" };
      return [{ detail: "", doc: withBlock(b) }];
    }
    case "args-delete":
      return keysOf(rp.args).map((k) => {
        const b = clone(rp);
        delete b.args[k];
        return { detail: k, doc: withBlock(b) };
      });
    case "args-rename":
    case "inputs-rename":
    case "outputs-rename": {
      const section = id.split("-")[0];
      const first = keysOf(rp[section])[0];
      if (first === undefined) return [];
      const b = clone(rp);
      b[section] = renameKey(b[section], first);
      return [{ detail: first, doc: withBlock(b) }];
    }
    case "inputs-delete": {
      const b = clone(rp);
      delete b.inputs;
      return [{ detail: "", doc: withBlock(b) }];
    }
    case "args-add": {
      if (!keysOf(rp.args).length && !rp.args) return [];
      const b = clone(rp);
      b.args = { ...b.args, new_flag_from_a_newer_emitter: true };
      return [{ detail: "new_flag_from_a_newer_emitter", doc: withBlock(b) }];
    }
    default:
      throw new Error(`unknown mutation ${id}`);
  }
}

const signature = (d) => `${d.severity} ${d.code} ${d.pointer}`;

/**
 * Runs every mutation over every document. Returns {documents, rows: [{id, label, total, accepted,
 * flagged}], outcomes: [{id, name, file, variant, detail, valid, flagged, added}]}.
 */
export async function measure({ lib } = {}) {
  lib ??= await import(pathToFileURL(path.join(PROJECT, "dist", "index.js")).href);
  const docs = await goldenBlockDocuments(lib.parseJson);
  const outcomes = [];
  const work = mkdtempSync(path.join(tmpdir(), "runprov-mutations-"));
  try {
    let n = 0;
    for (const d of docs) {
      const ws = path.join(work, String(n++));
      cpSync(path.join(d.caseDir, "repo"), ws, { recursive: true, verbatimSymlinks: true });
      const target = path.join(ws, d.file);
      const run = async (doc) => {
        writeFileSync(target, dumps(doc) + "\n");
        const report = await lib.validate([d.file], { ...d.options, root: ws, cwd: ws, noHash: true });
        return report.results.find((r) => r.file === d.file) ?? report.results[0];
      };
      const base = await run(d.doc);
      const before = new Set(base.diagnostics.map(signature));
      for (const m of MUTATIONS) {
        for (const { detail, doc } of mutants(d.doc, m.id)) {
          const r = await run(doc);
          const added = r.diagnostics.filter((x) => !before.has(signature(x)));
          outcomes.push({
            id: m.id,
            name: d.name,
            file: d.file,
            entrypoint: String(d.doc.run_provenance?.entrypoint?.path ?? "")
              .split(/[\\/]/)
              .pop(),
            family: r.family,
            variant: r.variant,
            detail,
            valid: r.valid,
            flagged: !r.valid || added.some((x) => x.code === "unknown-key"),
            added: added.map((x) => ({ severity: x.severity, code: x.code, pointer: x.pointer, message: x.message })),
          });
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = MUTATIONS.map((m) => {
    const mine = outcomes.filter((o) => o.id === m.id);
    return { id: m.id, label: m.label, total: mine.length, accepted: mine.filter((o) => o.valid).length, flagged: mine.filter((o) => o.flagged).length };
  });
  return { documents: docs.length, rows, outcomes };
}

export function tableText({ documents, rows }) {
  const lines = [`${documents} valid golden documents with a block`, "", "| change to the block | accepted | flagged |", "| --- | --- | --- |"];
  for (const r of rows) lines.push(`| ${r.label} | ${r.accepted} of ${r.total} | ${r.flagged} of ${r.total} |`);
  return lines.join("\n") + "\n";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await measure();
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else process.stdout.write(tableText(result));
}
