/**
 * Runs once before the suite: the end-to-end tests run the built CLI (`dist/`), every other test
 * runs `src/`. `npm test` builds first, so both are one build of one source; a bare `vitest run`
 * after editing `src/` would check the end-to-end behaviour against stale code. So when a source
 * is newer than its compiled module, the build runs here first (it is incremental: only what
 * changed is compiled again), and the suite stops if it fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function builtPath(project: string, file: string): string {
  return path.join(project, "dist", path.relative(path.join(project, "src"), file)).replace(/\.ts$/, ".js");
}

/** Source files whose compiled module in dist/ is missing or older than the source. */
export function staleBuild(project = PROJECT): string[] {
  const src = path.join(project, "src");
  const stale: string[] = [];
  for (const file of tsFiles(src)) {
    const built = builtPath(project, file);
    let builtTime: number;
    try {
      builtTime = statSync(built).mtimeMs;
    } catch {
      stale.push(path.relative(project, file));
      continue;
    }
    if (statSync(file).mtimeMs > builtTime) stale.push(path.relative(project, file));
  }
  return stale;
}

export default function setup(): void {
  const stale = staleBuild();
  if (stale.length === 0) return;
  const shown = stale.slice(0, 5).join(", ") + (stale.length > 5 ? `, ... (${stale.length} files)` : "");
  console.warn(`dist/ is older than src/ (${shown}): running \`npm run build\` first`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["run", "build", "--silent"], { cwd: PROJECT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`\`npm run build\` failed (exit ${r.status ?? r.signal}): the end-to-end tests need a build of src/`);
  // The incremental build leaves a module alone when its source was touched but not changed:
  // it is current, so say so, and the next run does not build again.
  const now = new Date();
  for (const rel of stale) {
    const built = builtPath(PROJECT, path.join(PROJECT, rel));
    if (existsSync(built)) utimesSync(built, now, now);
  }
}
