/**
 * Where a recorded path points, and whether the validator may read it. The confinement rules
 * of docs/contract.md: absolute paths are local to the machine that ran (never read); a
 * relative path that climbs out of the root is outside it (never read); a path inside the
 * root that a symbolic link sends outside it is refused too; FIFOs, sockets and devices are
 * never opened.
 */
import { lstatSync, realpathSync, statSync, type Stats } from "node:fs";
import { realpath } from "node:fs/promises";
import path from "node:path";
import { isInside } from "../discover.js";

export type Resolved =
  | { state: "local-only" }
  | { state: "outside-root"; via: "path" | "symlink" }
  | { state: "missing"; abs: string; rel: string }
  | { state: "directory"; abs: string; rel: string }
  | { state: "special"; abs: string; rel: string; what: string }
  | { state: "file"; abs: string; rel: string; size: number };

export interface Confinement {
  /** Absolute root as given. */
  root: string;
  /** The root with symbolic links resolved. */
  realRoot: string;
  /**
   * Resolutions already made in this run, by base folder and recorded path (a run that names one
   * script in thousands of artifacts resolves it once). Absent: every call resolves again.
   */
  memo?: Map<string, Promise<Resolved>>;
  /**
   * Real paths of folders already resolved in this run (with `memo`): the real path of a file
   * that is no link is its folder's real path and its name, and realpath(3) costs a readlink
   * per component of every path otherwise.
   */
  realFolders?: Map<string, string | null>;
}

export async function confinement(root: string): Promise<Confinement> {
  const abs = path.resolve(root);
  return { root: abs, realRoot: await realpath(abs).catch(() => abs) };
}

/** True for POSIX or Windows absolute paths: either way, a path from another machine. */
export function isAbsoluteRecorded(p: string): boolean {
  return p.startsWith("/") || p.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("~");
}

/** The three system calls below, synchronous: each is one short call, and a run makes thousands (a trip through the thread pool costs more than the call). */
function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}
function realpathOrNull(p: string): string | null {
  try {
    return realpathSync.native(p);
  } catch {
    return null;
  }
}
/** The real path of `abs`, which lstat found is not a symbolic link: its folder's real path (memoised per run) and its name. */
function realPathOfNonLink(abs: string, c: Confinement): string | null {
  if (!c.realFolders) return realpathOrNull(abs);
  const dir = path.dirname(abs);
  let realDir = c.realFolders.get(dir);
  if (realDir === undefined) {
    realDir = realpathOrNull(dir);
    c.realFolders.set(dir, realDir);
  }
  return realDir === null ? null : path.join(realDir, path.basename(abs));
}
function statOrNull(p: string): Stats | null {
  try {
    return statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * Resolve a recorded path. `baseDir` is the folder it is relative to (the root for
 * descriptors, the artifact's folder for sidecar `onnx` names).
 */
export function resolveRecorded(recorded: string, baseDir: string, c: Confinement): Promise<Resolved> {
  if (!c.memo) return resolveNow(recorded, baseDir, c);
  const key = `${baseDir}\0${recorded}`;
  let r = c.memo.get(key);
  if (!r) {
    r = resolveNow(recorded, baseDir, c);
    c.memo.set(key, r);
  }
  return r;
}

async function resolveNow(recorded: string, baseDir: string, c: Confinement): Promise<Resolved> {
  if (isAbsoluteRecorded(recorded)) return { state: "local-only" };
  const abs = path.resolve(baseDir, ...recorded.split(/[\\/]+/).filter(Boolean));
  if (!isInside(abs, c.root)) return { state: "outside-root", via: "path" };
  const rel = path.relative(c.root, abs).split(path.sep).join("/");
  const l = lstatOrNull(abs);
  if (!l) {
    // A dangling link or a missing file; a missing parent through a link is missing too.
    return { state: "missing", abs, rel };
  }
  const real = l.isSymbolicLink() ? realpathOrNull(abs) : realPathOfNonLink(abs, c);
  if (real === null) return { state: "missing", abs, rel };
  if (!isInside(real, c.realRoot)) return { state: "outside-root", via: "symlink" };
  const st = l.isSymbolicLink() ? statOrNull(abs) : l;
  if (!st) return { state: "missing", abs, rel };
  if (st.isFile()) return { state: "file", abs: real, rel, size: st.size };
  if (st.isDirectory()) return { state: "directory", abs: real, rel };
  const what = st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : "a special file";
  return { state: "special", abs, rel, what };
}
