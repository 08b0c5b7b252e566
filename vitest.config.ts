import { defineConfig } from "vitest/config";
import { LOADED_MACHINE, testWorkers } from "./test/setup/workers.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // The CPU-heavy ones (software GPU, browser) run after this suite: vitest.heavy.config.ts.
    exclude: ["**/node_modules/**", "test/gpu/**", "test/serve/browser.test.ts"],
    ...LOADED_MACHINE,
    maxWorkers: testWorkers(),
    minWorkers: 1,
  },
});
