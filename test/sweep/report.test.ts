/** Ranking and the sweep reports: by the validation monitor, in its direction; unfinished trials unranked. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import type { TrialOutcome } from "../../src/sweep/record.js";
import { rankingMonitor, summarize, sweepMarkdown } from "../../src/sweep/report.js";
import type { SweepState, TrialState } from "../../src/sweep/state.js";

const DEMO = readFileSync(new URL("../../specs/demo.fer", import.meta.url), "utf8");

const trial = (id: string, status: TrialState["status"], changes: string[] = []): TrialState => ({
  id,
  assignment: { "train.batch": id },
  changes,
  params: 100,
  spec: `trials/${id}/spec.fer`,
  status,
  attempts: 1,
  wallMs: 1500,
  ...(status === "completed" ? { runDir: `trials/${id}/runs/r` } : {}),
});

const state = (rankedBy: string, trials: TrialState[]): SweepState => ({
  sweepVersion: 1,
  id: "x-1",
  spec: "x",
  specFile: "x.fer",
  createdAt: "2026-12-01T00:00:00.000Z",
  rankedBy,
  sampling: { mode: "grid" },
  vary: [{ path: "train.batch", values: ["1", "2"] }],
  run: { epochs: 1 },
  executor: "local",
  trials,
});

const outcome = (valAcc: number, valLoss: number, testAcc: number): TrialOutcome =>
  ({ manifest: {} as TrialOutcome["manifest"], epochs: 1, bestEpoch: 1, valAcc, valLoss, testAcc, val: valAcc }) as TrialOutcome;

describe("sweep ranking", () => {
  it("uses the early-stop monitor when it is a validation metric, else val.acc", () => {
    expect(rankingMonitor(checkSource(DEMO).spec!)).toBe("val.acc");
    expect(rankingMonitor(checkSource(DEMO.replace("early-stop val.acc", "early-stop val.loss")).spec!)).toBe("val.loss");
    expect(rankingMonitor(checkSource(DEMO.replace("early-stop val.acc", "early-stop acc")).spec!)).toBe("val.acc");
  });

  it("ranks val.acc upwards and never by test accuracy; unfinished trials come last, unranked", () => {
    const s = state("val.acc", [trial("t1", "completed"), trial("t2", "failed"), trial("t3", "completed", ["train.batch 64 → 3"]), trial("t4", "pending")]);
    // t1 has the better test accuracy, t3 the better validation accuracy: t3 wins.
    const sum = summarize("sweeps/x-1", s, new Map([["t1", outcome(0.5, 1.0, 0.9)], ["t3", outcome(0.6, 1.2, 0.1)]]));
    expect(sum.trials.map((t) => [t.id, t.rank])).toEqual([["t3", 1], ["t1", 2], ["t2", null], ["t4", null]]);
    expect(sum.trials[0]!.runDir).toBe("sweeps/x-1/trials/t3/runs/r");
    const md = sweepMarkdown(sum, s);
    expect(md).toContain("| 1 | t3 | `train.batch 64 → 3` | 100 | 1 | 1.5 s | 0.6000 | 1.2000 | 0.1000 | completed |");
    expect(md).toContain("| – | t4 | (the base spec) | 100 | – | 1.5 s | – | – | – | pending |");
  });

  it("ranks val.loss downwards", () => {
    const s = state("val.loss", [trial("t1", "completed"), trial("t2", "completed")]);
    const lossOf = (v: number) => ({ ...outcome(0.5, v, 0.5), val: v });
    const sum = summarize("d", s, new Map([["t1", lossOf(1.5)], ["t2", lossOf(0.9)]]));
    expect(sum.trials.map((t) => t.id)).toEqual(["t2", "t1"]);
    expect(sweepMarkdown(sum, s)).toContain("| **val.loss** | val.acc |");
  });
});
