import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** Make a FIFO (and its folder) with the system's mkfifo. */
export function mkfifoSync(p: string): void {
  mkdirSync(path.dirname(p), { recursive: true });
  execFileSync("mkfifo", [p]);
}
