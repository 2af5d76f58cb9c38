/** The Ajv configuration every schema must satisfy, in one place (validator, precompiler, tests). */
import { Ajv2020, type Options } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** docs/contract.md ("Schemas"): strict mode; NaN/Infinity are numbers (strictNumbers off); union types allowed. */
export const AJV_OPTIONS = {
  strict: true,
  strictNumbers: false,
  allowUnionTypes: true,
  allErrors: true,
} as const;

export function createAjv(extra: Options = {}): Ajv2020 {
  // `format` is an annotation only (docs/contract.md): validators disagree on formats, so none is
  // asserted. ajv-formats still registers the names so that strict mode knows them.
  // The meta-schema check of our own schemas runs in the tests, not at every start-up.
  const ajv = new Ajv2020({ ...AJV_OPTIONS, validateFormats: false, validateSchema: false, ...extra });
  addFormats.default(ajv);
  return ajv;
}
