import { defineConfig } from "vitest/config";
import { LOADED_MACHINE } from "./test/setup/workers.js";

/**
 * The CPU-heavy tests: the software GPU (SwiftShader runs every shader on all cores) and the
 * real browser. `npm test` runs them after the main suite, one file at a time in one worker, so
 * they never starve the main suite's workers (vitest exits 1 on "Timeout calling onTaskUpdate"
 * when a worker cannot answer in time, though every test passed).
 */
export default defineConfig({
  test: {
    include: ["test/gpu/**/*.test.ts", "test/serve/browser.test.ts"],
    ...LOADED_MACHINE,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    poolOptions: { forks: { singleFork: true } },
  },
});
