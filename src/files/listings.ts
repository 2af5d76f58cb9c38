/**
 * Whether a regular file of a name lies in a folder, answered from one listing of the folder.
 *
 * Detection asks of every `*.json` whether `<stem>.onnx` lies beside it (a model sidecar). A
 * stat per file is a system call per artifact (about a fifth of a 10,000-file `--no-hash` run);
 * one listing per folder answers for every file in it. A link is followed, as a stat would.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Folders kept listed at once; a walk finishes one folder before the next, so few are needed. */
const MAX_FOLDERS = 64;

interface Listing {
  files: Set<string>;
  links: Set<string>;
}

export class FolderListings {
  private readonly byFolder = new Map<string, Listing | null>();

  /** True when `dir/name` is a regular file (through a symbolic link too). */
  hasFile(dir: string, name: string): boolean {
    const listing = this.listing(dir);
    if (listing === null) return isFile(path.join(dir, name));
    if (listing.files.has(name)) return true;
    return listing.links.has(name) && isFile(path.join(dir, name));
  }

  private listing(dir: string): Listing | null {
    let listing = this.byFolder.get(dir);
    if (listing !== undefined) return listing;
    try {
      listing = { files: new Set(), links: new Set() };
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isFile()) listing.files.add(e.name);
        else if (e.isSymbolicLink()) listing.links.add(e.name);
      }
    } catch {
      listing = null; // not listable: ask about each name instead
    }
    if (this.byFolder.size >= MAX_FOLDERS) this.byFolder.clear();
    this.byFolder.set(dir, listing);
    return listing;
  }
}

function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
