#!/usr/bin/env node
/**
 * Takes a compatibility snapshot: copies every document the current schemas accept (the golden
 * fixtures' artifacts expected to pass the schema, byte for byte, NaN dialect included, plus
 * the valid hand-written conformance vectors) into
 * `corpus-fixtures/snapshots/v1/<YYYY-MM-DD>/`, with `index.json` (file -> family, variant)
 * and `SHA256SUMS`. test/compat.test.ts proves the current schemas accept every snapshot ever
 * taken. Snapshots are never edited or deleted; take a new one after adding families/variants:
 *
 *   node scripts/snapshot.mjs [--date YYYY-MM-DD]
 *
 * Refuses to write into an existing snapshot folder.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP_CODES = new Set(["parse-error", "duplicate-key", "unknown-family", "schema"]);

function dirs(p) {
  return existsSync(p)
    ? readdirSync(p)
        .filter((n) => !n.startsWith(".") && !n.startsWith("_") && statSync(path.join(p, n)).isDirectory())
        .sort()
    : [];
}

function main() {
  const i = process.argv.indexOf("--date");
  const date = i > 0 ? process.argv[i + 1] : new Date().toISOString().slice(0, 10);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date ?? "")) throw new Error("--date must be YYYY-MM-DD");
  const out = path.join(ROOT, "corpus-fixtures", "snapshots", "v1", date);
  if (existsSync(out)) throw new Error(`${path.relative(ROOT, out)} exists; snapshots are never edited`);
  const entries = [];
  const files = new Map();
  const fixtures = path.join(ROOT, "corpus-fixtures");
  for (const fam of dirs(fixtures)) {
    if (["conformance", "snapshots", "demo"].includes(fam)) continue;
    for (const c of dirs(path.join(fixtures, fam))) {
      const caseFile = path.join(fixtures, fam, c, "case.json");
      if (!existsSync(caseFile)) continue;
      const spec = JSON.parse(readFileSync(caseFile, "utf8"));
      for (const exp of spec.expect ?? []) {
        if (!exp.family || typeof exp.file !== "string") continue;
        if ((exp.diagnostics ?? []).some((d) => SKIP_CODES.has(d.code))) continue;
        const src = path.join(fixtures, fam, c, "repo", exp.file);
        if (!existsSync(src)) continue;
        const name = `${exp.family}/${c}__${exp.file.replace(/[/\\]/g, "__")}`;
        files.set(name, readFileSync(src));
        entries.push({ file: name, family: exp.family, variant: exp.variant ?? null, source: `corpus-fixtures/${fam}/${c}/repo/${exp.file}` });
      }
    }
  }
  const conf = path.join(fixtures, "conformance");
  for (const family of ["run-provenance", "run-manifest"]) {
    const groups = JSON.parse(readFileSync(path.join(conf, `${family}.json`), "utf8"));
    let n = 0;
    for (const g of groups) {
      for (const t of g.tests) {
        if (!t.valid) continue;
        const name = `${family}/vector-${String(++n).padStart(3, "0")}.json`;
        files.set(name, Buffer.from(JSON.stringify(t.data, null, 2) + "\n"));
        entries.push({ file: name, family, variant: null, source: `corpus-fixtures/conformance/${family}.json: ${g.description} / ${t.description}` });
      }
    }
  }
  entries.sort((a, b) => a.file.localeCompare(b.file));
  const sums = [];
  for (const e of entries) {
    const abs = path.join(out, e.file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, files.get(e.file));
    sums.push(`${createHash("sha256").update(files.get(e.file)).digest("hex")}  ${e.file}`);
  }
  writeFileSync(path.join(out, "index.json"), JSON.stringify(entries, null, 2) + "\n");
  writeFileSync(path.join(out, "SHA256SUMS"), sums.join("\n") + "\n");
  console.log(`snapshot ${path.relative(ROOT, out)}: ${entries.length} documents`);
}

try {
  main();
} catch (e) {
  console.error(`snapshot: ${e.message}`);
  process.exit(1);
}
