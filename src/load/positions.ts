/** Offsets to 1-based line and column (columns count Unicode code points, as editors do). */
export interface Position {
  line: number;
  column: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

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
    const column = [...this.text.slice(lineStart, at)].length + 1;
    return { line: lo + 1, column };
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
