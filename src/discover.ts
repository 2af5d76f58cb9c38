/**
 * Discover stage: command-line operands -> the files to check (docs/contract.md, "Selection
 * and confinement").
 *
 * - `root` is canonical (symbolic links resolved); every operand is resolved to its real path
 *   and must lie inside it. Nothing outside the root is ever listed.
 * - A file operand is checked whatever its name (it was named explicitly). A named symbolic
 *   link is followed once: the user pointed at it on purpose.
 * - A directory operand is walked for `*.json`, skipping `.git` and `node_modules`, never
 *   following a symbolic link and listing regular files only. `.gitignore` files and the
 *   `exclude` globs of `.runprov.json` apply, except those that ignore the named directory
 *   itself or a folder above it: a CI step that names `runs/` (which real repositories ignore)
 *   checks it. The implicit walk of the root honours every rule.
 * - A glob is expanded by walking its static base the same way (regular files only, no links,
 *   inside the root); ignore rules do not apply to what a glob names.
 * - A named model file (`.onnx`) is replaced by the artifacts that vouch for it: the sidecar
 *   beside it and every `registry.json` between it and the root (pre-commit passes only the
 *   staged `.onnx` when a user re-exports a model and forgets the sidecar).
 * - A named path that does not exist, is not a regular file or directory, or lies outside the
 *   root is a usage error.
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { describeKind, isInside, readConfined, RefusedFile } from "./files/confined.js";
import { UsageError } from "./types.js";

export { isInside } from "./files/confined.js";

export interface DiscoveredFile {
  /** Real path of the file. */
  absPath: string;
  /** Named on the command line (or derived from a named model), rather than met while walking. */
  explicit: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Named model files with no sidecar and no registry beside or above them. */
  orphanModels: string[];
}

/** Exclude globs from the project configuration (root-relative POSIX paths). */
export interface ExcludeRule {
  glob: string;
  match: (relPath: string) => boolean;
}

export interface DiscoverOptions {
  exclude?: ExcludeRule[];
  /**
   * Read `.gitignore` files while walking (default true). `runprov trace` turns it off: emitters
   * write under a `runs/` that repositories ignore, and a lineage must see it.
   */
  gitignore?: boolean;
  /** Told about ignore patterns that cannot be used (never fatal). */
  onWarning?: (message: string) => void;
}

const SKIP_DIRS = new Set([".git", "node_modules"]);
const GLOB_CHARS = /[*?[\]{}]/;
/** `.gitignore` files beyond this size are read no further (git has no limit; a walk must end). */
const MAX_IGNORE_BYTES = 4 * 1024 * 1024;
/** Ignore patterns longer than this, or with more wildcards, are skipped (regex cost). */
const MAX_PATTERN_LENGTH = 4096;
const MAX_PATTERN_WILDCARDS = 64;

export async function discover(operands: string[], cwd: string, root: string, opts: DiscoverOptions = {}): Promise<Discovery> {
  const found = new Map<string, DiscoveredFile>();
  const orphanModels: string[] = [];
  const add = (f: DiscoveredFile): void => {
    const prev = found.get(f.absPath);
    if (!prev || (f.explicit && !prev.explicit)) found.set(f.absPath, f);
  };
  const walker = new Walker(root, opts);

  for (const operand of operands.length ? operands : ["."]) {
    const implicit = operands.length === 0;
    const abs = path.resolve(cwd, operand);
    const st = await lstat(abs).catch(() => null);
    if (!st) {
      if (!GLOB_CHARS.test(operand)) throw new UsageError(`${operand}: no such file or directory`);
      const matches = await walker.glob(operand, cwd);
      for (const m of matches) await addFile(m, add, orphanModels, root);
      continue;
    }
    const real = await realpath(abs).catch(() => null);
    if (!real) throw new UsageError(`${operand}: broken symbolic link`);
    if (!isInside(real, root)) {
      throw new UsageError(`${operand}: lies outside the root ${root}; nothing outside the root is read (pass --root)`);
    }
    const target = await stat(real).catch(() => null);
    if (!target) throw new UsageError(`${operand}: cannot be read`);
    if (target.isDirectory()) {
      for (const f of await walker.walk(real, !implicit)) add({ absPath: f, explicit: false });
    } else if (target.isFile()) {
      await addFile(real, add, orphanModels, root);
    } else {
      throw new UsageError(`${operand}: is ${describeKind(target)}, not a regular file or directory (FIFOs, sockets and devices are never opened)`);
    }
  }
  return { files: [...found.values()], orphanModels };
}

async function addFile(real: string, add: (f: DiscoveredFile) => void, orphanModels: string[], root: string): Promise<void> {
  if (!isModelFile(real)) return add({ absPath: real, explicit: true });
  const vouchers = await artifactsForModel(real, root);
  if (vouchers.length === 0) orphanModels.push(real);
  for (const v of vouchers) add({ absPath: v, explicit: true });
}

export function isModelFile(p: string): boolean {
  return p.toLowerCase().endsWith(".onnx");
}

/** The sidecar(s) beside a model and the registries between it and the root (regular files inside the root). */
async function artifactsForModel(modelAbs: string, root: string): Promise<string[]> {
  const dir = path.dirname(modelAbs);
  const stem = path.basename(modelAbs).replace(/\.onnx$/i, "");
  const candidates = [path.join(dir, `${stem}.json`)];
  if (/\.int8$/i.test(stem)) candidates.push(path.join(dir, `${stem.replace(/\.int8$/i, "")}.json`));
  for (let d = dir; isInside(d, root); d = path.dirname(d)) {
    candidates.push(path.join(d, "registry.json"));
    if (d === root) break;
  }
  const out: string[] = [];
  for (const c of candidates) {
    const real = await realpath(c).catch(() => null);
    if (real && isInside(real, root) && (await stat(real).catch(() => null))?.isFile()) out.push(real);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Walking

interface RuleSet {
  /** Folder the `.gitignore` lies in. */
  base: string;
  ig: Ignore;
}

class Walker {
  /** Parsed `.gitignore` per folder (undefined: none or not readable as one). */
  private readonly ignoreFiles = new Map<string, RuleSet | undefined>();

  constructor(
    private readonly root: string,
    private readonly opts: DiscoverOptions,
  ) {}

  /**
   * Every `*.json` under `dirAbs` (real path inside the root). `named`: the directory was
   * named on the command line, so rules that ignore it or a folder above it do not apply.
   */
  async walk(dirAbs: string, named: boolean): Promise<string[]> {
    const out: string[] = [];
    // Without ignore files (`gitignore: false`) none is read, above the folder or below it.
    const useIgnore = this.opts.gitignore !== false;
    const inherited: RuleSet[] = [];
    for (const d of useIgnore ? ancestorsBelowRoot(dirAbs, this.root) : []) {
      const rules = await this.rulesOf(d);
      if (rules && !(named && ignoresDirOrAbove(rules, dirAbs))) inherited.push(rules);
    }
    const relDir = relPosix(this.root, dirAbs);
    const exclude = (this.opts.exclude ?? []).filter((r) => !(named && matchesDirOrAbove(r, relDir)));
    await this.visit(dirAbs, useIgnore ? inherited : undefined, (abs, isDir) => {
      if (isDir) return true;
      if (!abs.toLowerCase().endsWith(".json")) return false;
      if (exclude.length > 0 && exclude.some((r) => r.match(relPosix(this.root, abs)))) return false;
      out.push(abs);
      return false;
    });
    return out;
  }

  /** Regular files matching a glob, walked from the glob's static base. */
  async glob(pattern: string, cwd: string): Promise<string[]> {
    const scan = picomatch.scan(pattern);
    const baseAbs = path.resolve(cwd, scan.base || ".");
    const realBase = await realpath(baseAbs).catch(() => null);
    if (realBase && !isInside(realBase, this.root)) {
      throw new UsageError(`${pattern}: lies outside the root ${this.root}; nothing outside the root is read (pass --root)`);
    }
    const isMatch = compileGlob(scan.glob || "*", { dot: false, shown: pattern });
    const out: string[] = [];
    if (realBase && (await stat(realBase).catch(() => null))?.isDirectory()) {
      await this.visit(realBase, undefined, (abs, isDir) => {
        if (isDir) return true;
        if (isMatch(relPosix(realBase, abs))) out.push(abs);
        return false;
      });
    }
    if (out.length === 0) throw new UsageError(`${pattern}: no regular file inside the root matches this pattern`);
    return out.sort();
  }

  /**
   * Depth-first walk in name order. `accept(abs, isDir)` is told about every directory (true:
   * descend) and regular file; links, FIFOs, sockets and devices are never looked at.
   * `rules` undefined: ignore files are not read (globs).
   */
  private async visit(dirAbs: string, rules: RuleSet[] | undefined, accept: (abs: string, isDir: boolean) => boolean): Promise<void> {
    const own = rules ? await this.rulesOf(dirAbs) : undefined;
    const active = rules && own ? [...rules, own] : rules;
    let entries;
    try {
      entries = await readdir(dirAbs, { withFileTypes: true });
    } catch (e) {
      // A folder that vanished is nothing to check; one that cannot be listed is said, not skipped silently.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT")
        this.opts.onWarning?.(`${relPosix(this.root, dirAbs)}: cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); not walked`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dirAbs, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || (active && isIgnored(active, abs, true))) continue;
        if (accept(abs, true)) await this.visit(abs, active, accept);
      } else if (e.isFile()) {
        if (active && isIgnored(active, abs, false)) continue;
        accept(abs, false);
      }
    }
  }

  /** The `.gitignore` of a folder: a regular file (never a link, as git does), read once. */
  private async rulesOf(dir: string): Promise<RuleSet | undefined> {
    if (this.ignoreFiles.has(dir)) return this.ignoreFiles.get(dir);
    let rules: RuleSet | undefined;
    const file = path.join(dir, ".gitignore");
    try {
      const text = readConfined(file, this.root, MAX_IGNORE_BYTES, { noFollow: true }).toString("utf8");
      rules = { base: dir, ig: this.compileIgnore(text, relPosix(this.root, file)) };
    } catch (e) {
      if (e instanceof RefusedFile && e.reason === "too-large") this.opts.onWarning?.(`${relPosix(this.root, file)}: ${e.message}; not read`);
      rules = undefined;
    }
    this.ignoreFiles.set(dir, rules);
    return rules;
  }

  /** One pattern at a time, so that a pattern the matcher cannot compile costs a warning, not the walk. */
  private compileIgnore(text: string, where: string): Ignore {
    const ig = ignore();
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === "" || line.startsWith("#")) continue;
      const wildcards = line.length > MAX_PATTERN_LENGTH ? Infinity : (line.match(/[*?[]/g)?.length ?? 0);
      if (line.length > MAX_PATTERN_LENGTH || wildcards > MAX_PATTERN_WILDCARDS) {
        this.opts.onWarning?.(`${where}:${i + 1}: ignore pattern too long or with too many wildcards; skipped`);
        continue;
      }
      try {
        const one = ignore().add(line);
        one.ignores("x"); // compile now, so that a bad pattern fails here and not mid-walk
        ig.add(line);
      } catch (e) {
        this.opts.onWarning?.(`${where}:${i + 1}: ignore pattern cannot be used (${(e as Error).message}); skipped`);
      }
    }
    return ig;
  }
}

/** Folders from the root down to the parent of `dirAbs` (empty for the root itself). */
function ancestorsBelowRoot(dirAbs: string, root: string): string[] {
  const chain: string[] = [];
  if (dirAbs === root || !isInside(dirAbs, root)) return chain;
  for (let d = path.dirname(dirAbs); isInside(d, root); d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root) break;
  }
  return chain;
}

function relPosix(from: string, to: string): string {
  // A normalised path below `from` is `from`, a separator and the rest: no path.relative (a
  // walk asks this of every file, for each ignore file above it).
  const rel = to.startsWith(from) && to[from.length] === path.sep ? to.slice(from.length + 1) : path.relative(from, to);
  return path.sep === "/" ? rel : rel.split(path.sep).join("/");
}

/**
 * Whether a path is ignored: the deepest `.gitignore` with an opinion (ignore or re-include)
 * decides, as in git. Each file is asked about the path relative to its own folder.
 */
function isIgnored(rules: RuleSet[], abs: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { base, ig } = rules[i];
    const rel = relPosix(base, abs);
    if (!rel || rel.startsWith("..")) continue;
    const t = ig.test(isDir ? `${rel}/` : rel);
    if (t.ignored) return true;
    if (t.unignored) return false;
  }
  return false;
}

/** Whether a rule file ignores `dirAbs` or a folder between its base and `dirAbs`. */
function ignoresDirOrAbove(rules: RuleSet, dirAbs: string): boolean {
  const rel = relPosix(rules.base, dirAbs);
  return rel !== "" && !rel.startsWith("..") && rules.ig.test(`${rel}/`).ignored;
}

/** Whether an exclude glob matches the root-relative folder `relDir` or a folder above it. */
function matchesDirOrAbove(rule: ExcludeRule, relDir: string): boolean {
  if (!relDir) return false;
  const parts = relDir.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join("/");
    if (rule.match(p) || rule.match(`${p}/`)) return true;
  }
  return false;
}

/** picomatch, refusing patterns whose regular expression could take super-linear time. */
export function compileGlob(glob: string, opts: { dot: boolean; shown?: string }): (p: string) => boolean {
  const shown = opts.shown ?? glob;
  const wildcards = glob.match(/[*?[{]/g)?.length ?? 0;
  if (glob.length > MAX_PATTERN_LENGTH || wildcards > MAX_PATTERN_WILDCARDS) {
    throw new UsageError(`${shown}: pattern too long or with too many wildcards`);
  }
  try {
    return picomatch(glob, { dot: opts.dot });
  } catch (e) {
    throw new UsageError(`${shown}: not a usable pattern (${(e as Error).message})`);
  }
}
