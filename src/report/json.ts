/**
 * The pinned JSON report (docs/contract.md, "Reports"). Non-finite numbers never reach it (diagnostics
 * carry only strings and positions), so plain JSON.stringify is exact. No colour codes,
 * ever, whatever the terminal.
 */
import type { Report } from "../types.js";

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + "\n";
}
