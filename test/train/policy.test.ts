import { describe, expect, it } from "vitest";
import { initialScheduleState, lrForEpoch, updateSchedule } from "../../src/train/schedule.js";
import { initialBestState, makeTracker, updateBest } from "../../src/train/earlyStop.js";
import { accuracyOf, perClassMetrics, macroF1 } from "../../src/train/metrics.js";
import { smoothOneHot } from "../../src/train/loss.js";
import type { EpochMetrics } from "../../src/train/events.js";
import type { ScheduleIR } from "../../src/ir.js";

const m = (epoch: number, valLoss: number, valAcc = 0.5): EpochMetrics => ({ epoch, loss: 1, acc: 0.5, valLoss, valAcc, lr: 0.1, timeMs: 1 });

describe("learning-rate schedules", () => {
  const lrs = (s: ScheduleIR, epochs = 6) => Array.from({ length: epochs }, (_, e) => lrForEpoch(s, 0.1, e, epochs, initialScheduleState(0.1)));

  it("constant", () => expect(lrs({ kind: "constant" })).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1]));

  it("step: ×factor every N epochs", () => {
    const v = lrs({ kind: "step", every: 2, factor: 0.5 });
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.025].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 12));
  });

  it("cosine with warmup: linear ramp, then half cosine to minLr at the last epoch", () => {
    const v = lrs({ kind: "cosine", warmup: 2, minLr: 0.001 }, 7);
    expect(v[0]).toBeCloseTo(0.05, 12);
    expect(v[1]).toBeCloseTo(0.1, 12);
    expect(v[2]).toBeCloseTo(0.1, 12); // t = 0
    expect(v[4]).toBeCloseTo(0.001 + (0.099 * (1 + Math.cos(Math.PI * 0.5))) / 2, 12);
    expect(v[6]).toBeCloseTo(0.001, 12);
  });

  it("cosine without warmup starts at base", () => {
    const v = lrs({ kind: "cosine", warmup: 0, minLr: 0 }, 3);
    [0.1, 0.05, 0].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 12));
  });

  it("cosine-restarts: cycles of period, period·mult, ... each from base down to minLr", () => {
    const v = lrs({ kind: "cosine-restarts", period: 3, mult: 2, minLr: 0.001 }, 10);
    // Cycles: epochs 0-2, 3-8, 9-20.
    expect(v[0]).toBeCloseTo(0.1, 12);
    expect(v[1]).toBeCloseTo(0.001 + 0.099 / 2, 12);
    expect(v[2]).toBeCloseTo(0.001, 12);
    expect(v[3]).toBeCloseTo(0.1, 12);
    expect(v[8]).toBeCloseTo(0.001, 12);
    expect(v[9]).toBeCloseTo(0.1, 12);
    for (const e of [4, 5, 6, 7]) expect(v[e]!).toBeLessThan(v[e - 1]!);
  });

  it("one-cycle: base/div rising to base at the peak, then down to base/(div·finalDiv) at the last epoch", () => {
    const v = lrs({ kind: "one-cycle", peak: 0.25, div: 10, finalDiv: 100 }, 9);
    expect(v[0]).toBeCloseTo(0.01, 12);
    expect(v[2]).toBeCloseTo(0.1, 12); // epoch 2 of 0..8 is a quarter of the way
    expect(v[8]).toBeCloseTo(0.0001, 12);
    expect(v[1]!).toBeGreaterThan(v[0]!);
    for (let e = 3; e < 9; e++) expect(v[e]!).toBeLessThan(v[e - 1]!);
  });

  it("plateau: drops by factor after `patience` epochs without improvement, not below minLr", () => {
    const s: ScheduleIR = { kind: "plateau", monitor: "val.loss", factor: 0.1, patience: 2, minLr: 0.0005 };
    let st = initialScheduleState(0.1);
    const seen: number[] = [];
    for (const [e, vl] of [[1, 1.0], [2, 0.9], [3, 0.95], [4, 0.92], [5, 0.93], [6, 0.94], [7, 0.99], [8, 0.99]] as const) {
      st = updateSchedule(s, st, m(e, vl));
      seen.push(lrForEpoch(s, 0.1, e, 10, st));
    }
    // wait hits 2 after epochs 3,4 → 0.01; then epochs 5,6 → 0.001; epochs 7,8 → clamp 0.0005.
    expect(seen.map((x) => +x.toPrecision(6))).toEqual([0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0005]);
  });
});

describe("early stopping state", () => {
  it("tracks the best epoch, honours minDelta and fires after patience", () => {
    const t = makeTracker({ monitor: "val.acc", mode: "max", patience: 2, minDelta: 0.01, restoreBest: true }, true);
    let st = initialBestState();
    const out: boolean[] = [];
    for (const [e, acc] of [[1, 0.5], [2, 0.6], [3, 0.605], [4, 0.609]] as const) {
      const r = updateBest(t, st, m(e, 1, acc));
      st = r.state;
      out.push(r.stop);
    }
    expect(st.bestEpoch).toBe(2);
    expect(out).toEqual([false, false, false, true]);
  });

  it("defaults to val.loss (min) without early stopping, never stops", () => {
    const t = makeTracker(undefined, true);
    expect(t).toMatchObject({ monitor: "val.loss", mode: "min", patience: 0 });
    expect(makeTracker(undefined, false).monitor).toBe("loss");
    let st = initialBestState();
    for (let e = 1; e < 10; e++) {
      const r = updateBest(t, st, m(e, e));
      expect(r.stop).toBe(false);
      st = r.state;
    }
    expect(st.bestEpoch).toBe(1);
  });
});

describe("metrics", () => {
  it("per-class precision/recall/F1/support match hand-computed values", () => {
    // rows = truth, cols = predicted
    const cm = [
      [5, 1, 0],
      [2, 3, 1],
      [0, 0, 0],
    ];
    const pc = perClassMetrics(cm, ["a", "b", "c"]);
    expect(pc[0]).toMatchObject({ name: "a", support: 6 });
    expect(pc[0]!.precision).toBeCloseTo(5 / 7, 12);
    expect(pc[0]!.recall).toBeCloseTo(5 / 6, 12);
    expect(pc[0]!.f1).toBeCloseTo((2 * (5 / 7) * (5 / 6)) / (5 / 7 + 5 / 6), 12);
    expect(pc[1]!.precision).toBeCloseTo(3 / 4, 12);
    expect(pc[1]!.recall).toBeCloseTo(3 / 6, 12);
    expect(pc[2]).toEqual({ name: "c", precision: 0, recall: 0, f1: 0, support: 0 });
    expect(accuracyOf(cm)).toBeCloseTo(8 / 12, 12);
    expect(macroF1(pc)).toBeCloseTo((pc[0]!.f1 + pc[1]!.f1) / 3, 12);
  });

  it("label smoothing spreads ε over k classes", () => {
    expect(Array.from(smoothOneHot([1], 4, 0.2))).toEqual([0.05, 0.85, 0.05, 0.05].map((x) => Math.fround(x)));
  });
});
