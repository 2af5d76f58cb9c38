import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest files first, also in a fresh clone (vitest orders by past durations only once it
 * has a cache): they wait on npm and pre-commit, and the short files fill the other worker.
 */
const LONGEST = [
  "test/e2e/precommit.test.ts",
  "test/e2e/action.test.ts",
  "test/unit/robustness.test.ts",
  "test/golden.test.ts",
  "test/e2e/package.test.ts",
  "test/e2e/cli.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((p) => f.moduleId.replace(/\\/g, "/").endsWith(p));
      return i < 0 ? LONGEST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The end-to-end tests run dist/, the rest src/: build first when dist/ is older than src/.
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
    sequence: { sequencer: LongestFirst },
  },
});
