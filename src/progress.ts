/**
 * Hashing progress bar on stderr: files and bytes done, rate and ETA. Shown only when stderr is
 * a TTY and only once hashing has taken longer than a second; nothing is ever written otherwise
 * (CI logs, pipes, pre-commit). Wire it as `validate(paths, {onHashProgress: bar.update})` and
 * call `bar.done()` when validation returns (it erases the bar).
 */
import type { HashProgress } from "./types.js";

export interface ProgressBar {
  /** Pass as `ValidateOptions.onHashProgress`. */
  update: (p: HashProgress) => void;
  /** Erase the bar (if shown). Idempotent. */
  done: () => void;
  /** Whether anything was drawn so far (for tests). */
  readonly shown: boolean;
}

export interface ProgressOptions {
  /** Stream to draw on; default process.stderr. */
  stream?: NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(s: string): unknown };
  /** Delay before the bar first appears; default 1000 ms. */
  delayMs?: number;
  /** Minimum time between redraws; default 100 ms. */
  intervalMs?: number;
  /** Clock (for tests); default Date.now. */
  now?: () => number;
  /** Force enabled/disabled regardless of TTY detection. */
  enabled?: boolean;
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} ${units[i]}` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(sec).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The bar's text for a progress snapshot, `elapsedMs` after hashing started. */
export function progressLine(p: HashProgress, elapsedMs: number, width = 80): string {
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal > 0 ? Math.min(1, p.filesDone / p.filesTotal) : 0;
  const secs = elapsedMs / 1000;
  const rate = secs > 0 ? p.bytesDone / secs : 0;
  const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : Number.NaN;
  const stats =
    ` ${String(Math.floor(frac * 100)).padStart(3)}% ` +
    `${p.filesDone}/${p.filesTotal} files ` +
    `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)} ` +
    `${formatBytes(rate)}/s ETA ${formatDuration(eta)}`;
  const label = "hashing ";
  const barWidth = Math.max(10, Math.min(40, width - 1 - label.length - stats.length - 2));
  const filled = Math.round(frac * barWidth);
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
  const line = `${label}${bar}${stats}`;
  return line.length > width - 1 ? line.slice(0, Math.max(0, width - 1)) : line;
}

export function createProgressBar(opts: ProgressOptions = {}): ProgressBar {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.enabled ?? !!stream.isTTY;
  const delay = opts.delayMs ?? 1000;
  const interval = opts.intervalMs ?? 100;
  const now = opts.now ?? Date.now;
  let start: number | undefined;
  let lastDraw = 0;
  let last: HashProgress | undefined;
  let shown = false;
  let finished = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const draw = (force: boolean): void => {
    if (finished || start === undefined || last === undefined) return;
    const t = now();
    const elapsed = t - start;
    if (elapsed < delay) return;
    if (!force && shown && t - lastDraw < interval) return;
    lastDraw = t;
    const width = (stream as { columns?: number }).columns || 80;
    try {
      stream.write(`\r${progressLine(last, elapsed, width)}\x1b[K`);
      shown = true;
    } catch {
      /* a closed stderr must not break validation */
    }
  };

  const update = (p: HashProgress): void => {
    if (!enabled || finished) return;
    last = { ...p };
    if (start === undefined) {
      start = now();
      // Redraw while a long file is hashed without progress events; never keeps the process alive.
      timer = setInterval(() => draw(true), Math.max(interval, 50));
      timer.unref?.();
    }
    draw(false);
  };

  const done = (): void => {
    if (finished) return;
    finished = true;
    if (timer) clearInterval(timer);
    if (shown) {
      try {
        stream.write("\r\x1b[K");
      } catch {
        /* ignore */
      }
    }
  };

  return {
    update,
    done,
    get shown() {
      return shown;
    },
  };
}
