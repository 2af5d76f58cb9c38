/**
 * resolveRecorded: a recorded path's real place decides whether it may be read. With the run's
 * memo of folder real paths (src/pipeline.ts), a folder reached through a symbolic link is
 * still judged by where it really is.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { confinement, resolveRecorded, type Confinement } from "../../src/hash/resolve.js";

const ws = realpathSync(mkdtempSync(path.join(tmpdir(), "runprov-resolve-")));
afterAll(() => rmSync(ws, { recursive: true, force: true }));
const root = path.join(ws, "root");
const outside = path.join(ws, "outside");
mkdirSync(path.join(root, "data/real"), { recursive: true });
mkdirSync(outside);
writeFileSync(path.join(root, "data/real/x.bin"), "x");
writeFileSync(path.join(outside, "x.bin"), "secret");
symlinkSync(outside, path.join(root, "data/out")); // a folder link leaving the root
symlinkSync(path.join(root, "data/real"), path.join(root, "data/in")); // a folder link inside it
symlinkSync(path.join(outside, "x.bin"), path.join(root, "data/real/leak.bin")); // a file link leaving it

describe.each([
  ["without the run's memos", async (): Promise<Confinement> => confinement(root)],
  ["with the run's memos", async (): Promise<Confinement> => ({ ...(await confinement(root)), memo: new Map(), realFolders: new Map() })],
])("resolveRecorded %s", (_, make) => {
  it("a file in a folder linked from outside the root is outside it, whichever is asked first", async () => {
    const c = await make();
    expect(await resolveRecorded("data/real/x.bin", root, c)).toMatchObject({ state: "file", abs: path.join(root, "data/real/x.bin") });
    expect(await resolveRecorded("data/out/x.bin", root, c)).toEqual({ state: "outside-root", via: "symlink" });
    expect(await resolveRecorded("data/real/leak.bin", root, c)).toEqual({ state: "outside-root", via: "symlink" });
  });

  it("a file in a folder linked inside the root is read at its real place", async () => {
    const c = await make();
    expect(await resolveRecorded("data/in/x.bin", root, c)).toMatchObject({ state: "file", abs: path.join(root, "data/real/x.bin"), rel: "data/in/x.bin" });
  });

  it("a missing file in a real folder is missing", async () => {
    const c = await make();
    expect(await resolveRecorded("data/real/nope.bin", root, c)).toMatchObject({ state: "missing" });
  });
});
