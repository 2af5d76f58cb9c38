/**
 * The `json` format of every command: the result object as it is, two-space indented, one
 * newline at the end. No colour codes, ever, whatever the terminal. The pinned validate report
 * (docs/contract.md, "Reports") has no non-finite number (diagnostics carry only strings and
 * positions), so plain JSON.stringify is exact; a result that may hold one (`runprov diff`)
 * is made strict JSON first.
 */
export function renderJson(result: unknown): string {
  return JSON.stringify(result, null, 2) + "\n";
}
