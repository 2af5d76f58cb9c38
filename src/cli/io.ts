/** Terminal concerns shared by the commands: colour policy and safe writes to stdout. */

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return true;
  return !!stream.isTTY;
}

/** Write all of `text` to stdout and wait until it is flushed (pipes included). */
export function emit(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) return resolve();
    process.stdout.write(text, () => resolve());
  });
}

/** A run-level warning (not an artifact's): one line on stderr, so that stdout stays the report. */
export function warn(message: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  process.stderr.write(`runprov: warning: ${message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?")}\n`);
}
