/**
 * How many test files run at once, for both vitest configs. Vitest's own default (all cores but
 * one) assumes the machine is the suite's; on a shared 2-core machine with a training run beside
 * it, every extra worker (and the ferc processes its tests spawn) delays vitest's main process,
 * which must answer each worker's progress report within 60 s (a fixed RPC timeout, not
 * configurable) or the run ends in "Timeout calling onTaskUpdate" though every test passed.
 *
 * So: at most half the cores, fewer when the machine is already busy (the 1-minute load average
 * counted as cores taken), never fewer than one. FERC_TEST_WORKERS=N overrides it.
 */
import { availableParallelism, loadavg } from "node:os";

export function testWorkers(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  const forced = Number(env["FERC_TEST_WORKERS"]);
  if (Number.isInteger(forced) && forced >= 1) return forced;
  return Math.max(1, Math.min(Math.floor(cores / 2), Math.floor(cores - load)));
}

/**
 * The settings both configs share: forked workers (a crashed or wedged native addon takes down
 * one process, not the run), lowered priority (test/setup/priority.ts), and timeouts sized for a
 * loaded machine: a test or hook that spawns `ferc run` may wait minutes for a core.
 */
export const LOADED_MACHINE = {
  pool: "forks",
  setupFiles: ["test/setup/priority.ts"],
  testTimeout: 180_000,
  hookTimeout: 180_000,
  // Closing workers whose tests spawned child processes can take long on a busy machine.
  teardownTimeout: 60_000,
} as const;
