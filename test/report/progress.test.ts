/** Progress bar: stderr TTY only, after a second, files + bytes + rate + ETA, erased at the end. */
import { describe, expect, it } from "vitest";
import { createProgressBar, formatBytes, formatDuration, progressLine } from "../../src/progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 100, write: (s: string) => writes.push(s) }, writes };
}

const snap = (filesDone: number, bytesDone: number) => ({ filesDone, filesTotal: 10, bytesDone, bytesTotal: 100 * 1024 * 1024 });

describe("progress", () => {
  it("formats sizes and durations", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(300 * 1024 * 1024)).toBe("300 MiB");
    expect(formatDuration(65)).toBe("01:05");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(Number.NaN)).toBe("--:--");
  });

  it("shows files, bytes, rate and ETA", () => {
    const line = progressLine(snap(5, 50 * 1024 * 1024), 2000, 120);
    expect(line).toContain("50%");
    expect(line).toContain("5/10 files");
    expect(line).toContain("50.0 MiB/100 MiB");
    expect(line).toContain("25.0 MiB/s");
    expect(line).toContain("ETA 00:02");
    expect(progressLine(snap(5, 0), 2000, 40).length).toBeLessThan(40);
  });

  it("draws nothing before one second, then draws and erases", () => {
    let now = 0;
    const { stream, writes } = fakeStream(true);
    const bar = createProgressBar({ stream, now: () => now });
    bar.update(snap(1, 1024));
    now = 500;
    bar.update(snap(2, 2048));
    expect(writes).toEqual([]);
    now = 1200;
    bar.update(snap(3, 10 * 1024 * 1024));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\rhashing \[/);
    expect(bar.shown).toBe(true);
    bar.done();
    expect(writes.at(-1)).toBe("\r\x1b[K");
    bar.update(snap(4, 1));
    expect(writes).toHaveLength(2);
  });

  it("writes nothing at all when stderr is not a terminal", () => {
    let now = 0;
    const { stream, writes } = fakeStream(false);
    const bar = createProgressBar({ stream, now: () => now });
    for (let i = 0; i < 10; i++) {
      now += 1000;
      bar.update(snap(i, i * 1024));
    }
    bar.done();
    expect(writes).toEqual([]);
  });

  it("a fast run that ends before one second leaves no trace", () => {
    const { stream, writes } = fakeStream(true);
    const bar = createProgressBar({ stream });
    bar.update(snap(10, 100 * 1024 * 1024));
    bar.done();
    expect(writes).toEqual([]);
  });
});
