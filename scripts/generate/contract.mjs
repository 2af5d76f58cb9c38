/**
 * The table of families and variants in docs/contract.md ("Families and variants"), written from
 * the catalog between its `<!-- families ... -->` and `<!-- /families -->` markers, so that the
 * contract names every family (docs.test.ts) without a hand edit when one is added. What a family
 * holds is the first sentence of its schema's description.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const BEGIN = /<!-- families: [^\n]*-->\n/;
const END = "<!-- /families -->";

/** The first sentence (up to a full stop and a space, or the end), without its full stop. */
const firstSentence = (text) => {
  const m = /^(.*?\.)(\s|$)/.exec(text.trim());
  return (m ? m[1] : text.trim()).replace(/\.$/, "").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
};

/** The table, one row per family in name order. */
export function familyTable(catalog, variantNames) {
  const rows = Object.keys(catalog)
    .sort()
    .map(
      (f) =>
        `| \`${f}\` | ${firstSentence(catalog[f].description)} | ${variantNames(f)
          .map((v) => `\`${v}\``)
          .join(", ")} |`,
    );
  return ["| family | what it holds | variants |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}

/**
 * docs/contract.md with its family table regenerated.
 * @param {string} root project root
 * @param {object} catalog the catalog (catalog.mjs buildCatalog)
 * @param {(family: string) => string[]} variantNames the pinned variant names of a family
 */
export function generateContract(root, catalog, variantNames) {
  const rel = "docs/contract.md";
  const text = readFileSync(path.join(root, rel), "utf8");
  const begin = BEGIN.exec(text);
  const end = text.indexOf(END);
  if (!begin || end < begin.index) throw new Error(`${rel}: the family table markers are missing`);
  const start = begin.index + begin[0].length;
  return new Map([[rel, text.slice(0, start) + familyTable(catalog, variantNames) + text.slice(end)]]);
}
