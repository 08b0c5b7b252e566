/** Trial progress: events → one line per trial; redrawn in place on a terminal, plain lines off it. */
import { describe, expect, it } from "vitest";
import { applyEventLine, ProgressBoard, progressText, type TrialProgress } from "../../src/sweep/progress.js";

const stream = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { isTTY, columns: 80, write: (s: string) => chunks.push(s), chunks };
};

describe("progress", () => {
  it("follows a trial through ferc run --json events", () => {
    const p: TrialProgress = { phase: "waiting" };
    applyEventLine(p, JSON.stringify({ type: "run-start", runDir: "r/x", epochs: 2 }));
    applyEventLine(p, JSON.stringify({ type: "epoch-start", epoch: 1, epochs: 2, batches: 10 }));
    applyEventLine(p, JSON.stringify({ type: "batch", epoch: 1, batch: 5, batches: 10, etaSec: 12 }));
    expect(progressText("t1", p, "train.batch=32")).toBe("t1   train.batch=32  epoch 1/2  50%  eta 12s");
    applyEventLine(p, JSON.stringify({ type: "epoch-end", epoch: 1, valAcc: 0.5 }));
    applyEventLine(p, "not json");
    applyEventLine(p, JSON.stringify({ type: "done", status: "completed", runDir: "r/x" }));
    expect(p.runDir).toBe("r/x");
    expect(progressText("t1", p, "train.batch=32")).toBe("t1   train.batch=32  completed  val.acc 0.5000");
  });

  it("on a TTY keeps one line per trial, moving the cursor back over the block", () => {
    const out = stream(true);
    const b = new ProgressBoard(out, 0);
    b.set("t1", "t1 a");
    b.set("t2", "t2 a");
    b.set("t1", "t1 b");
    const last = out.chunks[out.chunks.length - 1]!;
    expect(last).toBe("\u001b[2F\u001b[2Kt1 b\n\u001b[2Kt2 a\n");
    b.note("submitted");
    // A note goes above the block: clear the block, print the note, draw the block again below it.
    expect(out.chunks.slice(-3)).toEqual(["\u001b[2F\u001b[J", "submitted\n", "\u001b[2Kt1 b\n\u001b[2Kt2 a\n"]);
  });

  it("off a TTY writes only notes", () => {
    const out = stream(false);
    const b = new ProgressBoard(out, 0);
    b.set("t1", "t1 a");
    b.note("t1 completed");
    expect(out.chunks).toEqual(["t1 completed\n"]);
  });
});
