/** `--time-limit` durations: parsed where runs are resolved (src/run/duration.ts). */
export { parseDuration } from "../run/duration.js";
