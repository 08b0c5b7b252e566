import { defineConfig } from "vitest/config";

/**
 * The CPU-heavy tests: the software GPU (SwiftShader runs every shader on all cores) and the
 * real browser. `npm test` runs them after the main suite, one file at a time in one worker, so
 * they never starve the main suite's workers (vitest exits 1 on "Timeout calling onTaskUpdate"
 * when a worker cannot answer in time, though every test passed).
 */
export default defineConfig({
  test: {
    include: ["test/gpu/**/*.test.ts", "test/serve/browser.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    setupFiles: ["test/setup/priority.ts"],
    fileParallelism: false,
    poolOptions: { forks: { singleFork: true } },
  },
});
