/** `--json`: one JSON object per event. Non-finite numbers become null (JSON has no NaN). */
import type { TrainEvent } from "../train/events.js";

export function formatJsonLine(e: TrainEvent): string {
  return JSON.stringify(e, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v));
}
