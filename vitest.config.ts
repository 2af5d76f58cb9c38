import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The end-to-end tests run dist/, the rest src/: refuse a build older than its sources.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Test files share their worker's module cache (no test mocks modules or leaves global
    // state behind): importing src/ and Ajv once per worker instead of once per file saves
    // about a third of the suite's CPU time.
    isolate: false,
    // The build is loaded as Node loads it, not transformed again (its precompiled validators are megabytes of JS).
    server: { deps: { external: [/\/dist\//] } },
    // At least two files at once: the end-to-end tests spend most of their time waiting on npm,
    // git and pre-commit, which overlaps well with the CPU-bound ones (vitest's default on a
    // 2-core machine is a single worker).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
