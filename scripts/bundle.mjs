#!/usr/bin/env node
/**
 * Build step: the command-line program as one ES module, `dist/bin/runprov.mjs` (esbuild), with
 * each command and Ajv's run-time compiler in chunks loaded only when used.
 *
 * Why: a pre-commit hook starts runprov once per commit, so start-up is most of what a user
 * waits for. Node spends most of a cold start resolving and loading modules (about a hundred
 * files of yargs, picomatch, ignore, ... and this package); one file for what every run needs
 * removes that. The library entry (`dist/index.js`) stays the plain tsc output.
 *
 * Left outside the bundle, loaded by path at run time: the precompiled validators
 * (dist/validators/, one module per variant) with Ajv's small runtime helpers, the hashing
 * worker (dist/hash/worker.js), and @babel/code-frame (only failing runs print code frames).
 *
 * Five substitutions keep yargs' behaviour while cutting its start-up cost:
 * - `string-width`, which compiles a very large emoji regular expression at import, measures
 *   help-text columns only: a width that strips ANSI colour codes and counts code points
 *   serves runprov's ASCII help;
 * - `assert`, which yargs imports for two internal sanity checks (`strictEqual`,
 *   `notStrictEqual`) and which loads Node's assertion machinery (a dozen internal modules),
 *   is replaced by those two checks;
 * - yargs renders the whole help text of the command it runs (about 10 ms), before running it,
 *   so that a later `showHelp()` prints that command's help; runprov's `.fail()` handler never
 *   prints help and no command calls `showHelp()`, so the bundle drops that call;
 * - `escalade/sync`, with which yargs walks up from the program, listing every folder, to find
 *   a package.json for its guessed version and `pkgConf()`: runprov sets its version and reads no
 *   configuration from package.json, so the walk finds nothing;
 * - yargs' message catalogues are read from `dist/bin/yargs-locales/` (copied here) instead of
 *   a path computed relative to node_modules, which the bundle does not have.
 */
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(project, "dist", "bin");

const substitutions = {
  name: "runprov-substitutions",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, () => ({ path: "string-width", namespace: "runprov-shim" }));
    b.onResolve({ filter: /^(node:)?assert$/ }, () => ({ path: "assert", namespace: "runprov-shim" }));
    b.onResolve({ filter: /^escalade\/sync$/ }, () => ({ path: "escalade-sync", namespace: "runprov-shim" }));
    b.onLoad({ filter: /^escalade-sync$/, namespace: "runprov-shim" }, () => ({
      loader: "js",
      contents: "export default function findUp() { return undefined; }\n",
    }));
    b.onLoad({ filter: /^string-width$/, namespace: "runprov-shim" }, () => ({
      loader: "js",
      contents: "export default function stringWidth(s) {\n" + "  return [...String(s).replace(/\\u001b\\[[0-9;]*m/g, '')].length;\n" + "}\n",
    }));
    b.onLoad({ filter: /^assert$/, namespace: "runprov-shim" }, () => ({
      loader: "js",
      contents:
        "export function strictEqual(a, b, message) { if (a !== b) throw new Error(message ?? `expected ${String(a)} to be ${String(b)}`); }\n" +
        "export function notStrictEqual(a, b, message) { if (a === b) throw new Error(message ?? `expected ${String(a)} not to be ${String(b)}`); }\n",
    }));
    b.onLoad({ filter: /yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const call = "yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();";
      if (!source.includes(call)) throw new Error(`yargs changed: ${call} not found in ${args.path}`);
      return { loader: "js", contents: source.replace(call, "/* runprov: help is not cached (scripts/bundle.mjs) */") };
    });
    b.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const from = "resolve(__dirname, '../../../locales')";
      if (!source.includes(from)) throw new Error(`yargs changed: ${from} not found in ${args.path}`);
      return { loader: "js", contents: source.replace(from, "resolve(__dirname, '../yargs-locales')") };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { runprov: path.join(project, "dist", "cli", "main.js") },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunk-[hash]",
  outExtension: { ".js": ".mjs" },
  plugins: [substitutions],
  legalComments: "none",
  // Less source for V8 to parse at every start; names stay, so RUNPROV_DEBUG stacks still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  // CommonJS dependencies bundled into an ES module still require() Node's built-ins.
  banner: { js: "import { createRequire as __runprovRequire } from 'node:module'; const require = __runprovRequire(import.meta.url);" },
});
cpSync(path.join(project, "node_modules", "yargs", "locales"), path.join(outdir, "yargs-locales"), { recursive: true });
