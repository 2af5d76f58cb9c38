/**
 * Discover stage: command-line operands -> the files to check.
 *
 * - A file operand is checked whatever its name (it was named explicitly).
 * - A directory operand is walked for `*.json`, honouring `.gitignore` files on the way,
 *   skipping `.git` and `node_modules`, and never following symbolic links (a link could lead
 *   outside the root or into a loop).
 * - Any other operand with glob characters is expanded (tinyglobby), same skips.
 * - A named model file (`.onnx`) is replaced by the artifacts that vouch for it: the sidecar
 *   beside it and every `registry.json` between it and the root (pre-commit passes only the
 *   staged `.onnx` when a user re-exports a model and forgets the sidecar).
 * - A named path that does not exist, or is not a regular file or directory, is a usage error.
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { glob } from "tinyglobby";
import { UsageError } from "./types.js";

export interface DiscoveredFile {
  absPath: string;
  /** Named on the command line (or derived from a named model), rather than met while walking. */
  explicit: boolean;
  /** Set when the file was added because it vouches for this named model file. */
  forModel?: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Named model files with no sidecar and no registry beside or above them. */
  orphanModels: string[];
}

const SKIP_DIRS = new Set([".git", "node_modules"]);
const GLOB_CHARS = /[*?[\]{}]/;

export async function discover(operands: string[], cwd: string, root: string): Promise<Discovery> {
  const found = new Map<string, DiscoveredFile>();
  const orphanModels: string[] = [];
  const add = (f: DiscoveredFile): void => {
    const prev = found.get(f.absPath);
    if (!prev || (f.explicit && !prev.explicit)) found.set(f.absPath, f);
  };

  for (const operand of operands.length ? operands : ["."]) {
    const abs = path.resolve(cwd, operand);
    const st = await lstatOrNull(abs);
    if (!st) {
      if (!GLOB_CHARS.test(operand)) throw new UsageError(`${operand}: no such file or directory`);
      const matches = await glob(operand, { cwd, absolute: true, dot: false, onlyFiles: true, ignore: ["**/node_modules/**", "**/.git/**"] });
      if (matches.length === 0) throw new UsageError(`${operand}: no file matches this pattern`);
      for (const m of matches.sort()) add({ absPath: path.normalize(m), explicit: true });
      continue;
    }
    // A named symbolic link is followed once: the user pointed at it on purpose.
    const target = st.isSymbolicLink() ? await statOrNull(abs) : st;
    if (!target) throw new UsageError(`${operand}: broken symbolic link`);
    if (target.isDirectory()) {
      for (const f of await walk(abs, root)) add({ absPath: f, explicit: false });
    } else if (target.isFile()) {
      if (isModelFile(abs)) {
        const vouchers = await artifactsForModel(abs, root);
        if (vouchers.length === 0) orphanModels.push(abs);
        for (const v of vouchers) add({ absPath: v, explicit: true, forModel: abs });
      } else {
        add({ absPath: abs, explicit: true });
      }
    } else {
      throw new UsageError(`${operand}: not a regular file or directory (FIFOs, sockets and devices are never opened)`);
    }
  }
  return { files: [...found.values()], orphanModels };
}

export function isModelFile(p: string): boolean {
  return p.toLowerCase().endsWith(".onnx");
}

/** The sidecar(s) beside a model and the registries between it and the root. */
async function artifactsForModel(modelAbs: string, root: string): Promise<string[]> {
  const dir = path.dirname(modelAbs);
  const base = path.basename(modelAbs);
  const stem = base.replace(/\.onnx$/i, "");
  const candidates = [path.join(dir, `${stem}.json`)];
  if (/\.int8$/i.test(stem)) candidates.push(path.join(dir, `${stem.replace(/\.int8$/i, "")}.json`));
  const out: string[] = [];
  for (const c of candidates) if ((await statOrNull(c))?.isFile()) out.push(c);
  const rootAbs = path.resolve(root);
  for (let d = dir; ; d = path.dirname(d)) {
    const reg = path.join(d, "registry.json");
    if ((await statOrNull(reg))?.isFile()) out.push(reg);
    if (d === rootAbs || !isInside(d, rootAbs) || path.dirname(d) === d) break;
  }
  return out;
}

async function walk(dirAbs: string, root: string): Promise<string[]> {
  const out: string[] = [];
  const rootAbs = path.resolve(root);
  // Ignore rules from .gitignore files between the root and the walked folder apply too.
  const inherited: { base: string; ig: Ignore }[] = [];
  if (isInside(dirAbs, rootAbs) && dirAbs !== rootAbs) {
    const chain: string[] = [];
    for (let d = path.dirname(dirAbs); isInside(d, rootAbs); d = path.dirname(d)) {
      chain.unshift(d);
      if (d === rootAbs) break;
    }
    for (const d of chain) {
      const ig = await readIgnore(d);
      if (ig) inherited.push({ base: d, ig });
    }
  }
  const visit = async (d: string, rules: { base: string; ig: Ignore }[]): Promise<void> => {
    const own = await readIgnore(d);
    const active = own ? [...rules, { base: d, ig: own }] : rules;
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to check there
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(active, abs, true)) continue;
        await visit(abs, active);
      } else if (e.isFile() && e.name.toLowerCase().endsWith(".json")) {
        if (!ignored(active, abs, false)) out.push(abs);
      }
    }
  };
  await visit(dirAbs, inherited);
  return out;
}

function ignored(rules: { base: string; ig: Ignore }[], abs: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const rel = path.relative(base, abs).split(path.sep).join("/");
    if (!rel || rel.startsWith("..")) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

async function readIgnore(dir: string): Promise<Ignore | undefined> {
  try {
    const text = await readFile(path.join(dir, ".gitignore"), "utf8");
    return ignore().add(text);
  } catch {
    return undefined;
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

async function lstatOrNull(p: string) {
  try {
    return await lstat(p);
  } catch {
    return null;
  }
}

async function statOrNull(p: string) {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}
