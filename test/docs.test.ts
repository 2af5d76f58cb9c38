/**
 * The documents a new user follows: the README's quick start and recipes use only install paths
 * that work today, the contract (docs/contract.md) names every pinned family, code and format
 * the code knows, and the changelog has a section for the package version.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../src/families/index.js";
import { GATE_CODES } from "../src/findings.js";
import { FORMATS, REPORT_FORMATS } from "../src/report/formats.js";
import { DIAGNOSTIC_CODES } from "../src/types.js";
import { PROJECT } from "./helpers.js";

const read = (rel: string) => readFileSync(path.join(PROJECT, rel), "utf8");
const pkg = JSON.parse(read("package.json"));

/** Fenced code blocks of a Markdown text. */
/** The documents users read: the README and docs/*.md. */
function userDocs(): string[] {
  const docs = readdirSync(path.join(PROJECT, "docs")).filter((f) => f.endsWith(".md"));
  return ["README.md", ...docs.map((f) => `docs/${f}`)];
}

function codeBlocks(md: string): string[] {
  return [...md.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

describe("README", () => {
  const readme = read("README.md");

  it("starts with the two commands of a fresh clone", () => {
    const quick = codeBlocks(readme)[0];
    expect(quick).toContain("npm ci && npx runprov validate corpus-fixtures/demo --root corpus-fixtures/demo");
    expect(quick).toMatch(/^npm test\b/m);
  });

  it("links the contract and the changelog, and documents cutting a release", () => {
    expect(readme).toContain("(docs/contract.md)");
    expect(readme).toContain("(CHANGELOG.md)");
    expect(readme).toMatch(/^## Cutting a release$/m);
  });

  it("no recipe installs the package from the npm registry, where it is not published yet", () => {
    const docs = userDocs();
    for (const doc of docs) {
      for (const block of codeBlocks(read(doc))) {
        expect(block, doc).not.toMatch(/npm (install|i)\b[^\n]*\brun-provenance@/);
        expect(block, doc).not.toMatch(/npm (install|i)\b[^\n]*\bgit\+/);
      }
    }
    // The registry line is there, labelled as what works once the package is published.
    expect(readme).toMatch(/published[^\n]*\n?[^\n]*npm install --global run-provenance@1/);
  });
});

describe("docs/contract.md", () => {
  const contract = read("docs/contract.md");

  it("names every family, diagnostic code, gate code and report format the code knows", () => {
    for (const f of FAMILIES) expect(contract, f.name).toContain(`\`${f.name}\``);
    for (const c of DIAGNOSTIC_CODES) expect(contract, c).toContain(`\`${c}\``);
    for (const c of GATE_CODES) expect(contract, c).toContain(`\`${c}\``);
    for (const f of REPORT_FORMATS) expect(contract, f).toMatch(new RegExp(`\\*\\*\`${f}\`\\*\\*`));
  });

  it("lists every command's --format choices in its synopsis, as the format registry declares them", () => {
    const synopsis = codeBlocks(contract.slice(contract.indexOf("## Command line")))[0].split("\n");
    for (const table of Object.values(FORMATS)) {
      const line = synopsis.find((l) => l.startsWith(`runprov ${table.command} `));
      expect(line, table.command).toContain(`[--format ${table.formats.join("|")}]`);
    }
  });

  it("stands alone: it cites nothing outside the repository", () => {
    expect(contract).not.toMatch(/\.\.\/shared|shared\/spec|CONTRACT\.md|emitters\//);
    for (const [, target] of contract.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)) {
      if (/^https?:/.test(target)) continue;
      expect(() => readFileSync(path.resolve(PROJECT, "docs", target)), target).not.toThrow();
    }
  });
});

describe("--format lists", () => {
  it("every list of formats in the README and docs/ is one a command has", () => {
    const lists = new Set(Object.values(FORMATS).map((t) => t.formats.join("|")));
    const docs = userDocs();
    for (const doc of docs) {
      for (const [, list] of read(doc).matchAll(/--format ([a-z]+(?:\\?\|[a-z]+)+)/g))
        expect(lists, `${doc}: --format ${list}`).toContain(list.replace(/\\/g, ""));
    }
  });
});

describe("CHANGELOG.md", () => {
  it("follows Keep a Changelog, with a section for the package version", () => {
    const log = read("CHANGELOG.md");
    expect(log).toContain("https://keepachangelog.com/");
    expect(log).toMatch(/^## \[Unreleased\]$/m);
    expect(log).toMatch(new RegExp(`^## \\[${pkg.version.replace(/\./g, "\\.")}\\]`, "m"));
  });
});
