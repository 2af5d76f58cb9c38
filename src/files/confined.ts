/**
 * The one way runprov opens a file (artifacts, referenced files, `.gitignore`, `.runprov.json`,
 * registries, verdicts, code-frame sources, the hashing workers): open non-blocking, `fstat`
 * the open descriptor, require a regular file whose real path lies inside the real root, and
 * read from that descriptor. A path swapped for a FIFO, a device or a link out of the root
 * after it was listed is refused, never read, and never hangs (docs/contract.md, "Selection
 * and confinement").
 *
 * Synchronous on purpose: the hashing workers use it too, artifacts are small, and one
 * open/fstat/read/close in a row costs less than four trips through the thread pool.
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import path from "node:path";

export type RefusalReason = "missing" | "not-regular" | "outside-root" | "unreadable" | "too-large";

/** Why a file was not read. `message` is a short phrase for diagnostics ("is a FIFO"). */
export class RefusedFile extends Error {
  override name = "RefusedFile";
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenedFile {
  fd: number;
  stat: Stats;
  /** The real path of what was opened (symbolic links resolved). */
  realPath: string;
}

export interface OpenOptions {
  /** Refuse a symbolic link at the last component (`.gitignore` is never followed, as git does). */
  noFollow?: boolean;
}

/** True when `child` is `parent` or lies below it (both absolute). */
export function isInside(child: string, parent: string): boolean {
  // Fast path for normalised paths (resolved or real paths, what every caller passes): a prefix
  // test. Anything with `.` or `..` segments or doubled separators goes the careful way.
  if (!UNNORMALISED.test(child) && !UNNORMALISED.test(parent)) {
    if (child === parent) return true;
    const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
    return child.startsWith(prefix);
  }
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

const UNNORMALISED = path.sep === "/" ? /\/\.{1,2}(\/|$)|\/\/|^[^/]/ : /[\\/]\.{1,2}([\\/]|$)|[\\/]{2}|\//;

/** What a non-regular file is, for messages. */
export function describeKind(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

const HAS_PROC_FD = (() => {
  try {
    return statSync("/proc/self/fd").isDirectory();
  } catch {
    return false;
  }
})();

/**
 * Real path of an open descriptor. On Linux `/proc/self/fd/N` names exactly what was opened;
 * elsewhere the path is resolved again and must still be the same file (device and inode).
 */
function realPathOf(fd: number, abs: string, st: Stats): string {
  if (HAS_PROC_FD) {
    try {
      const p = readlinkSync(`/proc/self/fd/${fd}`);
      if (path.isAbsolute(p) && !p.endsWith(" (deleted)")) return p;
    } catch {
      /* fall through to the portable check */
    }
  }
  const real = realpathSync(abs);
  const again = statSync(real);
  if (again.dev !== st.dev || again.ino !== st.ino) throw new RefusedFile("unreadable", "changed while it was being opened");
  return real;
}

function refusalOf(e: NodeJS.ErrnoException): RefusedFile {
  switch (e.code) {
    case "ENOENT":
    case "ENOTDIR":
      return new RefusedFile("missing", "does not exist");
    case "ELOOP":
      return new RefusedFile("not-regular", "is a symbolic link");
    case "EISDIR":
      return new RefusedFile("not-regular", "is a directory");
    case "ENXIO":
    case "ENODEV":
      return new RefusedFile("not-regular", "is not a regular file");
    default:
      return new RefusedFile("unreadable", `cannot be read (${e.code ?? e.message})`);
  }
}

/**
 * Open `abs` for reading when it is a regular file whose real path lies inside `realRoot`
 * (no root: any regular file). Throws `RefusedFile`; the caller closes `fd`.
 */
export function openConfined(abs: string, realRoot: string | undefined, opts: OpenOptions = {}): OpenedFile {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (opts.noFollow ? constants.O_NOFOLLOW : 0);
  let fd: number;
  try {
    fd = openSync(abs, flags);
  } catch (e) {
    throw refusalOf(e as NodeJS.ErrnoException);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new RefusedFile("not-regular", `is ${describeKind(st)}`);
    const realPath = realRoot === undefined ? abs : realPathOf(fd, abs, st);
    if (realRoot !== undefined && !isInside(realPath, realRoot)) {
      throw new RefusedFile("outside-root", "resolves outside the root");
    }
    return { fd, stat: st, realPath };
  } catch (e) {
    closeSync(fd);
    throw e instanceof RefusedFile ? e : refusalOf(e as NodeJS.ErrnoException);
  }
}

/**
 * Read a whole file through `openConfined`, at most `maxBytes` (more is `too-large`: the size
 * is not trusted, a file may grow while it is read).
 */
export function readConfined(abs: string, realRoot: string | undefined, maxBytes: number, opts: OpenOptions = {}): Buffer {
  const f = openConfined(abs, realRoot, opts);
  try {
    return readAll(f, maxBytes);
  } finally {
    closeSync(f.fd);
  }
}

/** Read an opened file to its end, refusing more than `maxBytes`. */
export function readAll(f: OpenedFile, maxBytes: number): Buffer {
  if (f.stat.size > maxBytes) throw new RefusedFile("too-large", `is ${f.stat.size} bytes (more than ${maxBytes})`);
  let buf = Buffer.allocUnsafe(Math.min(maxBytes, f.stat.size) + 1);
  let length = 0;
  for (;;) {
    // The buffer has room for one byte more than fstat said: a read that leaves room is the end
    // of a regular file, so an unchanged file costs one read.
    if (length > 0 && length < buf.length && length === f.stat.size) break;
    if (length === buf.length) {
      if (length > maxBytes) throw new RefusedFile("too-large", `grew past ${maxBytes} bytes while it was read`);
      const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(f.fd, buf, length, buf.length - length, null);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // A non-blocking descriptor of a regular file never says EAGAIN; anything else is a read error.
      throw new RefusedFile("unreadable", `cannot be read (${err.code ?? err.message})`);
    }
    if (n === 0) break;
    length += n;
  }
  if (length > maxBytes) throw new RefusedFile("too-large", `grew past ${maxBytes} bytes while it was read`);
  return buf.subarray(0, length);
}
