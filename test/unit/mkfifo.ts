import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** Make FIFOs (and their folders) with the system's mkfifo: one process for all of them. */
export function mkfifoSync(...paths: string[]): void {
  if (paths.length === 0) return;
  for (const p of paths) mkdirSync(path.dirname(p), { recursive: true });
  execFileSync("mkfifo", ["--", ...paths]);
}
