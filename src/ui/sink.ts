/**
 * Picks the event consumer for the CLI: the Ink dashboard on a TTY, plain lines otherwise, JSON
 * Lines with `--json`. All three take the same `TrainEvent`s.
 */
import { createElement } from "react";
import { render } from "ink";
import type { EventSink } from "../train/events.js";
import { LiveDashboard } from "./Dashboard.js";
import { formatJsonLine } from "./jsonl.js";
import { formatPlain } from "./plain.js";
import { createDashboardStore } from "./state.js";
import { summaryLine } from "./summary.js";

export type OutputMode = "dashboard" | "plain" | "json";

export interface EventOutput {
  readonly onEvent: EventSink;
  /** Flush and release the terminal; await before exiting. */
  close(): Promise<void>;
}

export interface OutputOptions {
  readonly mode?: OutputMode;
  /** Default process.stdout. */
  readonly stdout?: NodeJS.WriteStream;
  /** `--json` forces JSON Lines. */
  readonly json?: boolean;
}

export function chooseMode(o: { json?: boolean; isTTY?: boolean }): OutputMode {
  if (o.json) return "json";
  return o.isTTY ? "dashboard" : "plain";
}

export function createEventOutput(o: OutputOptions = {}): EventOutput {
  const out = o.stdout ?? process.stdout;
  const mode = o.mode ?? chooseMode({ json: o.json, isTTY: out.isTTY === true });
  if (mode === "json") {
    return { onEvent: (e) => void out.write(formatJsonLine(e) + "\n"), close: async () => {} };
  }
  if (mode === "plain") {
    return {
      onEvent: (e) => {
        for (const line of formatPlain(e)) out.write(line + "\n");
      },
      close: async () => {},
    };
  }
  const store = createDashboardStore();
  // exitOnCtrlC off: SIGINT belongs to the trainer (finish batch, checkpoint, record).
  const app = render(createElement(LiveDashboard, { store, summary: false }), { stdout: out, exitOnCtrlC: false, patchConsole: true });
  return {
    onEvent: (e) => store.dispatch(e),
    async close() {
      // Let the last state paint before unmounting, so the final frame stays on screen.
      await new Promise((r) => setTimeout(r, 50));
      app.unmount();
      await app.waitUntilExit();
      // The last word goes below Ink's final frame, as plain output: inside a frame as tall as
      // the terminal it was cut off.
      const done = store.getState().done;
      if (done) out.write(`${summaryLine(done, !process.env["NO_COLOR"])}\n`);
    },
  };
}
