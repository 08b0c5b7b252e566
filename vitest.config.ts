import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // The CPU-heavy ones (software GPU, browser) run after this suite: vitest.heavy.config.ts.
    exclude: ["**/node_modules/**", "test/gpu/**", "test/serve/browser.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    setupFiles: ["test/setup/priority.ts"],
  },
});
