/** FolderListings: "a regular file of this name lies in the folder", from one listing per folder. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FolderListings } from "../../src/files/listings.js";

const dir = mkdtempSync(path.join(tmpdir(), "runprov-listings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("FolderListings", () => {
  writeFileSync(path.join(dir, "m.onnx"), "x");
  mkdirSync(path.join(dir, "d.onnx"));
  symlinkSync(path.join(dir, "m.onnx"), path.join(dir, "link.onnx"));
  symlinkSync(path.join(dir, "gone"), path.join(dir, "dangling.onnx"));
  symlinkSync(path.join(dir, "d.onnx"), path.join(dir, "dirlink.onnx"));

  it("answers as a stat that follows links would", () => {
    const l = new FolderListings();
    expect(l.hasFile(dir, "m.onnx")).toBe(true);
    expect(l.hasFile(dir, "link.onnx")).toBe(true);
    expect(l.hasFile(dir, "missing.onnx")).toBe(false);
    expect(l.hasFile(dir, "d.onnx")).toBe(false);
    expect(l.hasFile(dir, "dangling.onnx")).toBe(false);
    expect(l.hasFile(dir, "dirlink.onnx")).toBe(false);
  });

  it("lists a folder once: a file made later is not seen by the same listings", () => {
    const l = new FolderListings();
    expect(l.hasFile(dir, "late.onnx")).toBe(false);
    writeFileSync(path.join(dir, "late.onnx"), "x");
    expect(l.hasFile(dir, "late.onnx")).toBe(false);
    expect(new FolderListings().hasFile(dir, "late.onnx")).toBe(true);
  });

  // root lists any folder, so only another user can meet one it cannot list.
  it.skipIf(process.getuid?.() === 0)("asks about each name in a folder it cannot list", () => {
    const locked = path.join(dir, "locked");
    mkdirSync(locked);
    writeFileSync(path.join(locked, "m.onnx"), "x");
    chmodSync(locked, 0o100); // search, no read
    try {
      expect(new FolderListings().hasFile(locked, "m.onnx")).toBe(true);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it("a missing folder has no files", () => {
    expect(new FolderListings().hasFile(path.join(dir, "nope"), "m.onnx")).toBe(false);
  });
});
