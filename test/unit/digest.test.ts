/**
 * Hashing files larger than the inline limit: worker threads read them through the confined
 * opener (run from the TypeScript sources, as the in-process tests run, the Hasher uses the
 * build's worker module). The same digest as the bytes', progress counted once, once per run.
 */
import { createHash } from "node:crypto";
import { realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Hasher } from "../../src/hash/digest.js";
import type { HashProgress } from "../../src/types.js";
import { removeTree, tempDir } from "../helpers.js";

const dir = realpathSync(tempDir("runprov-digest-"));
afterAll(() => removeTree(dir));

describe("Hasher from the sources", () => {
  it("hashes a file larger than the inline limit and larger than one read chunk", async () => {
    const big = Buffer.alloc(9 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i += 4093) big[i] = i % 251;
    const file = path.join(dir, "big.bin");
    writeFileSync(file, big);
    let last: HashProgress | undefined;
    const hasher = new Hasher(dir, 2, (p) => (last = p));
    try {
      const d = await hasher.digest(file, big.length);
      expect(d).toEqual({ sha256: createHash("sha256").update(big).digest("hex"), size: big.length });
      expect(await hasher.digest(file, big.length)).toBe(d); // once per run
      expect(last).toEqual({ filesDone: 1, filesTotal: 1, bytesDone: big.length, bytesTotal: big.length });
    } finally {
      await hasher.close();
    }
  });
});
