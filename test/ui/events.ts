/** A scripted, realistic event sequence for the UI tests. */
import type { TrainEvent } from "../../src/train/events.js";

export const classes = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

export const runStart: TrainEvent = {
  type: "run-start",
  spec: "vgg_small",
  backend: "wasm",
  backendReason: "first that loads",
  runDir: "runs/vgg_small-20260101-120000",
  counts: { train: 28000, val: 3500, test: 3589 },
  classes,
  cleaning: { blank: 11, duplicates: 1793 },
  augment: true,
  epochs: 3,
  batch: 64,
  params: 1234567,
};

function epochEnd(epoch: number, loss: number, valLoss: number, valAcc: number, bestEpoch: number, patienceLeft: number): TrainEvent {
  return { type: "epoch-end", epoch, epochs: 3, loss, acc: 0.3 + epoch * 0.1, valLoss, valAcc, lr: 0.001, timeMs: 61000, bestEpoch, monitor: "val.loss", improved: bestEpoch === epoch, patienceLeft };
}

const confusion = classes.map((_, r) => classes.map((_, c) => (r === c ? 40 + r : r + c === 6 ? 3 : 0)));

export const script: TrainEvent[] = [
  runStart,
  { type: "epoch-start", epoch: 1, epochs: 3, lr: 0.001, batches: 438 },
  { type: "batch", epoch: 1, epochs: 3, batch: 219, batches: 438, imagesPerSec: 812.4, loss: 1.7512, acc: 0.281, etaSec: 190 },
  epochEnd(1, 1.65, 1.5, 0.41, 1, 5),
  { type: "epoch-start", epoch: 2, epochs: 3, lr: 0.001, batches: 438 },
  epochEnd(2, 1.4, 1.3, 0.49, 2, 5),
  { type: "epoch-start", epoch: 3, epochs: 3, lr: 0.001, batches: 438 },
  epochEnd(3, 1.2, 1.35, 0.5, 2, 4),
  {
    type: "test-result",
    split: "test",
    n: 3589,
    loss: 1.3012,
    acc: 0.5123,
    perClass: classes.map((name, i) => ({ name, precision: 0.5 + i * 0.01, recall: 0.4 + i * 0.02, f1: 0.45, support: 500 + i })),
    macroF1: 0.45,
    confusion,
    classes,
  },
  { type: "done", status: "completed", reason: "epochs", epochsDone: 3, bestEpoch: 2, testAcc: 0.5123, runDir: "runs/vgg_small-20260101-120000", elapsedMs: 190000 },
];
