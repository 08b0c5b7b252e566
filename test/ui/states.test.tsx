/** Dashboard states around the edges of a run: before the first batch, after a resume, the backend line, plurals. */
import { describe, expect, it } from "vitest";
import { render } from "ink-testing-library";
import { Dashboard } from "../../src/ui/Dashboard.js";
import { initialDashboardState, reduceDashboard } from "../../src/ui/state.js";
import { formatPlain } from "../../src/ui/plain.js";
import { flatReason } from "../../src/ui/format.js";
import type { EpochEndEvent, RunStartEvent, TrainEvent } from "../../src/train/events.js";
import { runStart, script } from "./events.js";

const frame = (events: readonly TrainEvent[]) => render(<Dashboard state={events.reduce(reduceDashboard, initialDashboardState)} />).lastFrame()!;
const start = runStart as RunStartEvent;
const epochEnds = script.filter((e): e is EpochEndEvent => e.type === "epoch-end");

describe("before the first batch", () => {
  it("says what the run is doing: loading, preprocessing, building, the first batch", () => {
    const loading: TrainEvent = { type: "phase", phase: "data", message: "loading and cleaning data set fer2013" };
    expect(frame([loading])).toContain("ferc: loading and cleaning data set fer2013…");
    const building: TrainEvent = { type: "phase", phase: "model", message: "building the model" };
    expect(frame([loading, building])).toContain("ferc: building the model…");
    const started = frame([loading, building, start, script[1]!]);
    expect(started).toContain("spec vgg_small");
    expect(started).toContain("first batch (the backend warms up)…");
    // Gone once a batch has finished.
    expect(frame([loading, building, start, script[1]!, script[2]!])).not.toContain("warms up");
  });
});

describe("after --resume", () => {
  it("shows the epochs trained before, then the new ones, and the whole run's time", () => {
    const resumed: RunStartEvent = { ...start, resumedFromEpoch: 2, history: epochEnds.slice(0, 2) };
    const f = frame([resumed]);
    expect(f).toMatch(/^1 \*\s+1\.6500/m);
    expect(f).toMatch(/^2 \*\s+1\.4000/m);
    expect(f).toContain("best epoch 2 by val.loss  patience left 5");
    expect(f).toMatch(/loss\s+█▁\s+1\.650 → 1\.400/);
    const done: TrainEvent = { type: "done", status: "completed", reason: "epochs", epochsDone: 3, bestEpoch: 2, elapsedMs: 190_000 };
    const end = frame([resumed, { type: "epoch-start", epoch: 3, epochs: 3, lr: 0.001, batches: 438 }, epochEnds[2]!, done]);
    expect(end).toMatch(/^1 \*\s+1\.6500/m);
    expect(end).toMatch(/^3\s+1\.2000/m);
    expect(end).toMatch(/loss\s+█▄▁\s+1\.650 → 1\.200/);
    expect(end).toContain("completed (epochs) after 3 epochs in 3m10s");
  });
});

describe("the backend line", () => {
  it("has no brackets inside brackets", () => {
    const f = frame([{ ...start, backendReason: "first that loads (tfjs-node-gpu, tfjs-node unavailable)" }]);
    expect(f).toContain("backend wasm (first that loads; tfjs-node-gpu, tfjs-node unavailable)");
    expect(f).not.toMatch(/\([^)]*\(/);
    expect(flatReason("requested")).toBe("requested");
    expect(flatReason("a (b (c))")).toBe("a; b; c");
  });
});

describe("plurals", () => {
  it("1 epoch, 1 duplicate (plain lines and dashboard)", () => {
    const one: RunStartEvent = { ...start, epochs: 1, cleaning: { blank: 0, duplicates: 1 } };
    expect(formatPlain(one)[1]).toBe("data: train 28000, val 3500, test 3589; cleaning dropped 0 blank, 1 duplicate; augment on; 1 epoch, batch 64");
    const done: TrainEvent = { type: "done", status: "completed", reason: "epochs", epochsDone: 1, bestEpoch: 1, elapsedMs: 5000 };
    expect(formatPlain(done)).toEqual(["completed (epochs) after 1 epoch in 5s"]);
    expect(frame([one, done])).toContain("completed (epochs) after 1 epoch in 5s");
  });
});
