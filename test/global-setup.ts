/**
 * Runs once before the suite: the end-to-end tests run the built CLI (`dist/`), every other test
 * runs `src/`. `npm test` builds first, so both are one build of one source; a bare `vitest run`
 * after editing `src/` would check the end-to-end behaviour against stale code. Refuse that.
 */
import { readdirSync, statSync } from "node:fs";
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

/** Source files whose compiled module in dist/ is missing or older than the source. */
export function staleBuild(project = PROJECT): string[] {
  const src = path.join(project, "src");
  const stale: string[] = [];
  for (const file of tsFiles(src)) {
    const built = path.join(project, "dist", path.relative(src, file)).replace(/\.ts$/, ".js");
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
  throw new Error(`dist/ is older than src/ (${shown}): run \`npm run build\` first (\`npm test\` does)`);
}
