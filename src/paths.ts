/**
 * Where the package's own files are: `schema/`, the precompiled validators, the hashing worker
 * and `package.json`. Found once, by walking up from this module to the folder whose
 * package.json names this package, so that the same code finds them from `src/` (the tests),
 * from `dist/` (the library) and from the single-file CLI bundle (`dist/runprov.mjs`), which
 * all sit at different depths.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "run-provenance";

function findPackage(): { root: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) return { root: dir, version: pkg.version ?? "0.0.0" };
    } catch {
      /* no package.json here: look further up */
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package around ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

const found = findPackage();

/** Absolute folder of the installed package (holding package.json, schema/, dist/). */
export const PACKAGE_ROOT: string = found.root;

/** The package's version (package.json). */
export const PACKAGE_VERSION: string = found.version;

/** A path inside the package. */
export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
