// ESLint flat config (`npm run lint`): the recommended rules of ESLint and typescript-eslint for
// every TypeScript file, plus a few type-aware rules about promises and thrown values where they
// are cheap (src/ only, through the TypeScript project service). Layout is Prettier's
// (.prettierrc.json), never ESLint's.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "generated/", "corpus-fixtures/", "coverage/", ".vitest-tmp/"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
  },
  {
    files: ["src/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/only-throw-error": "error",
    },
  },
);
