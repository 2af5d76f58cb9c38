/**
 * Where the real lusoris/vmaf corpus is, for the tests that run on the committed artifacts of
 * that repository. It is not part of this repository:
 *
 * - `RUNPROV_REAL_CORPUS`: the corpus folder (holding `model/`, `ai/`, ...). Default: the
 *   folder where the CI machines keep it beside the checkout (`resolveCorpus`), when it exists.
 * - `RUNPROV_REAL_CORPUS_REST`: the rest of that repository's `model/` tree and its repository
 *   configuration (files that are not artifacts). Default: `lusoris-vmaf-rest` beside the corpus.
 *
 * When the corpus is absent, the tests that need it are skipped with a one-line reason; CI
 * (`.ci/run`) sets the variable and fails when the folder is missing, so it never skips them.
 * No other test reads outside this repository.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "vitest";
import { PROJECT } from "./helpers.js";

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function resolveCorpus(): { dir?: string; why: string } {
  const given = process.env.RUNPROV_REAL_CORPUS;
  if (given !== undefined && given !== "") {
    const dir = path.resolve(PROJECT, given);
    return isDir(dir) ? { dir, why: "" } : { why: `RUNPROV_REAL_CORPUS=${given} is not a directory` };
  }
  const dir = path.resolve(PROJECT, "..", "shared", "corpus", "lusoris-vmaf");
  return isDir(dir) ? { dir, why: "" } : { why: "the real lusoris/vmaf corpus is absent (set RUNPROV_REAL_CORPUS to its folder)" };
}

const resolved = resolveCorpus();

/** The real corpus folder, or undefined when it is absent. */
export const REAL_CORPUS: string | undefined = resolved.dir;

/** The companion folder (non-artifact files of the same repository), or undefined when absent. */
export const REAL_CORPUS_REST: string | undefined = (() => {
  const given = process.env.RUNPROV_REAL_CORPUS_REST;
  const dir = given ? path.resolve(PROJECT, given) : REAL_CORPUS ? path.join(path.dirname(REAL_CORPUS), "lusoris-vmaf-rest") : undefined;
  return dir && isDir(dir) ? dir : undefined;
})();

/** Why the real-corpus tests are skipped (empty when they run). */
export const REAL_CORPUS_SKIP_REASON = resolved.why;

let warned = false;
function warnOnce(): void {
  if (warned || REAL_CORPUS) return;
  warned = true;
  console.warn(`skipping real-corpus tests: ${REAL_CORPUS_SKIP_REASON}`);
}

/**
 * The real corpus folder; throws when absent. Call it only inside `describeReal`/`itReal`
 * bodies (or code they run), which do not run when it is absent.
 */
export function realCorpus(): string {
  if (!REAL_CORPUS) throw new Error(`real corpus needed: ${REAL_CORPUS_SKIP_REASON}`);
  return REAL_CORPUS;
}

/** `describe` for tests on the real corpus: skipped, with a one-line reason, when it is absent. */
export const describeReal = ((name: string, fn: () => void) => {
  if (REAL_CORPUS) return describe(name, fn);
  warnOnce();
  return describe.skip(`${name} [skipped: ${REAL_CORPUS_SKIP_REASON}]`, fn);
}) as (name: string, fn: () => void) => void;

/** `it` for one test on the real corpus: skipped, with a one-line reason, when it is absent. */
export const itReal = ((name: string, fn: () => unknown, timeout?: number) => {
  if (REAL_CORPUS) return it(name, fn, timeout);
  warnOnce();
  return it.skip(`${name} [skipped: ${REAL_CORPUS_SKIP_REASON}]`, fn, timeout);
}) as (name: string, fn: () => unknown, timeout?: number) => void;
