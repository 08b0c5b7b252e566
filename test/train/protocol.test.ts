/** Which split drove each choice of a run, as recorded in run.yaml and report.json. */
import { describe, expect, it } from "vitest";
import { runProtocol } from "../../src/train/protocol.js";
import { trainIR } from "./helpers.js";

describe("runProtocol", () => {
  it("early stop on val.acc with restore-best, plateau on val.loss, tta flip fixed", () => {
    const p = runProtocol(
      trainIR({ earlyStop: { monitor: "val.acc", mode: "max", patience: 5, minDelta: 0, restoreBest: true }, schedule: { kind: "plateau", monitor: "val.loss", factor: 0.1, patience: 3, minLr: 0 }, tta: "flip" }),
      true,
    );
    expect(p).toEqual({
      earlyStop: { split: "val", monitor: "val.acc" },
      schedule: { split: "val", monitor: "val.loss" },
      bestCheckpoint: { split: "val", monitor: "val.acc" },
      restoreBest: { split: "val", monitor: "val.acc" },
      tta: { split: "none", note: "flip: fixed in the spec" },
      test: "evaluated once, after training; drives no choice",
    });
  });

  it("no early stop, cosine: nothing selected on a split except the best checkpoint (val.loss)", () => {
    const p = runProtocol(trainIR({ schedule: { kind: "cosine", warmup: 0, minLr: 0 } }), true);
    expect(p.earlyStop).toEqual({ split: "none", note: "no early-stop: runs all epochs" });
    expect(p.schedule).toEqual({ split: "none", note: "cosine: fixed in advance" });
    expect(p.bestCheckpoint).toEqual({ split: "val", monitor: "val.loss" });
    expect(p.restoreBest.split).toBe("none");
  });

  it("a val monitor without a val split reads train (the trainer's fallback)", () => {
    const p = runProtocol(trainIR({ earlyStop: { monitor: "val.loss", mode: "min", patience: 2, minDelta: 0, restoreBest: false } }), false);
    expect(p.earlyStop).toEqual({ split: "train", monitor: "val.loss" });
  });
});
