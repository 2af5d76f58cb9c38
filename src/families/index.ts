/**
 * Every family the contract pins: one module per schema file (modules.generated.ts, written by
 * `npm run generate`). Their order decides nothing: detection is declared evidence with an
 * explicit precedence (detect.ts), and `runprov families` lists them in name order.
 */
import { FAMILY_MODULES } from "./modules.generated.js";
import type { FamilySpec } from "./types.js";

export const FAMILIES: readonly FamilySpec[] = FAMILY_MODULES;

export function familyByName(name: string): FamilySpec | undefined {
  return FAMILIES.find((f) => f.name === name);
}

export type { FamilySpec, VariantSpec, DigestClaim, RuleViolation, FileFacts, Stakes, DeclaredStakes } from "./types.js";
