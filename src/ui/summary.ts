/**
 * The last line of a run on the dashboard ("completed (epochs) after 8 epochs in 14s", or how to
 * resume). The live dashboard prints it after Ink has released the terminal: inside the final
 * frame it was lost whenever that frame was as tall as the terminal.
 */
import type { DoneEvent } from "../train/events.js";
import { duration, plural } from "./format.js";

export function doneSummary(d: DoneEvent): string {
  return [
    `${d.status} (${d.reason}) after ${plural(d.epochsDone, "epoch")} in ${duration(d.elapsedMs / 1000)}`,
    d.status === "stopped" && d.runDir ? ` — resume with: ferc run --resume ${d.runDir}` : "",
    d.status === "failed" && d.reason === "error" && d.message ? `: ${d.message}` : "",
  ].join("");
}

export type SummaryColor = "green" | "yellow" | "red";

export function summaryColor(d: DoneEvent): SummaryColor {
  return d.status === "completed" ? "green" : d.status === "stopped" ? "yellow" : "red";
}

const ANSI: Record<SummaryColor, number> = { green: 32, yellow: 33, red: 31 };

/** The summary as one line for a stream, coloured on a terminal unless NO_COLOR is set. */
export function summaryLine(d: DoneEvent, color: boolean): string {
  const text = doneSummary(d);
  return color ? `\u001b[${ANSI[summaryColor(d)]}m${text}\u001b[39m` : text;
}
