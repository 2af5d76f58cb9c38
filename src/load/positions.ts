/** Offsets to 1-based line and column (columns count Unicode code points, as editors do). */
export interface Position {
  line: number;
  column: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];
  /** Offsets of the high halves of surrogate pairs, found on first use (usually none). */
  private pairs?: number[];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.starts.push(i + 1);
      else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.starts[lo];
    // Columns count code points: UTF-16 units minus the surrogate pairs before `at` on this line.
    // Binary searches keep this O(log n), so that many positions on one long line stay linear.
    const column = at - lineStart - (this.pairsBefore(at) - this.pairsBefore(lineStart)) + 1;
    return { line: lo + 1, column };
  }

  private pairsBefore(offset: number): number {
    if (!this.pairs) {
      this.pairs = [];
      const t = this.text;
      for (let i = 0; i + 1 < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) {
          const d = t.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            this.pairs.push(i);
            i++;
          }
        }
      }
    }
    // Pairs starting at an offset below `offset`.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of a byte offset in the UTF-8 encoding of the text (for invalid-byte reports). */
  static fromBytes(buf: Uint8Array, byteOffset: number): Position {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < byteOffset; i++) {
      if (buf[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    // Count code points (lead bytes) between the line start and the offset.
    let column = 1;
    for (let i = lineStart; i < byteOffset; i++) if ((buf[i] & 0xc0) !== 0x80) column++;
    return { line, column };
  }
}
