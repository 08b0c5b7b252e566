/**
 * Each test worker lowers its own CPU priority (and so that of the ferc processes it spawns), so
 * that vitest's main process, which answers the workers' progress reports, keeps its share of the
 * CPU however loaded the machine is. Without this, on a busy 2-core machine a report could wait
 * over a minute and vitest would exit 1 with "Timeout calling onTaskUpdate" though every test
 * passed. FERC_TEST_NICE sets the step (default 10; 0 keeps the priority).
 */
import { getPriority, setPriority } from "node:os";

const step = Number(process.env["FERC_TEST_NICE"] ?? 10);
try {
  // Only ever lower: a worker that is already niced (CI under `nice`) keeps its own.
  if (step > 0 && getPriority() < step) setPriority(Math.min(19, step));
} catch {
  // Not permitted here (some containers): the suite still runs, just without the margin.
}
