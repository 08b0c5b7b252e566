import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { trainModel, buildSeededModel, type CheckpointRequest, type ResumePoint, type TrainEvent } from "../../src/train/index.js";
import { snapshotWeights } from "../../src/train/weights.js";
import { evaluateModel } from "../../src/train/evaluate.js";
import { resolveClassWeights } from "../../src/train/classWeights.js";
import { CLASSES, SHAPE, makeImages, maxAbsDiff, split, tinyModel, trainIR, useCpu, weightsOf } from "./helpers.js";

beforeAll(useCpu);

const data = { train: split(96, 1), val: split(48, 2), shape: SHAPE, classes: CLASSES };

/** Captures the latest checkpoint of each kind in memory, as the run layer would on disk. */
function memoryHooks() {
  const saved: { last?: ResumePoint; best?: ResumePoint } = {};
  return {
    saved,
    hooks: {
      async checkpoint(req: CheckpointRequest) {
        const point: ResumePoint = { state: req.state, optimizer: req.optimizer, weights: await snapshotWeights(req.model) };
        saved[req.kind] = point;
      },
    },
  };
}

describe("trainModel", () => {
  it("learns separable data well above chance and emits typed events", async () => {
    const model = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 7);
    const events: TrainEvent[] = [];
    const r = await trainModel({ train: trainIR({ epochs: 6 }), model, data, onEvent: (e) => events.push(e), batchEventIntervalMs: 0 });
    expect(r.status).toBe("completed");
    expect(r.history).toHaveLength(6);
    expect(r.history.at(-1)!.valAcc!).toBeGreaterThan(0.8);
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual(["batch", "epoch-end", "epoch-start"]);
    expect(events.filter((e) => e.type === "batch")).toHaveLength(6 * 6);
  });

  it("is repeatable from the seed (init, shuffle, dropout)", async () => {
    const run = async () => {
      const model = buildSeededModel(() => tinyModel({ dropout: 0.3 }), 3);
      await trainModel({ train: trainIR({ epochs: 2, seed: 3 }), model, data });
      return weightsOf(model);
    };
    expect(maxAbsDiff(await run(), await run())).toBe(0);
  });

  it.each([
    ["adam", trainIR({ epochs: 4 })],
    ["sgd+nesterov, step, wd", trainIR({ epochs: 4, optimizer: { kind: "sgd", lr: 0.05, momentum: 0.9, nesterov: true }, schedule: { kind: "step", every: 1, factor: 0.5 }, weightDecay: 1e-3 })],
    ["rmsprop, cosine", trainIR({ epochs: 4, optimizer: { kind: "rmsprop", lr: 0.005, rho: 0.9, momentum: 0.5, epsilon: 1e-7 }, schedule: { kind: "cosine", warmup: 1, minLr: 1e-4 } })],
  ])("Ctrl-C mid-epoch 3 + resume equals 4 straight epochs (%s)", async (_name, ir) => {
    const ctl = new AbortController();
    const straight = buildSeededModel(() => tinyModel({ dropout: 0.2 }), ir.seed);
    await trainModel({ train: ir, model: straight, data });

    const first = buildSeededModel(() => tinyModel({ dropout: 0.2 }), ir.seed);
    const { saved, hooks } = memoryHooks();
    await trainModel({ train: ir, model: first, data, hooks, signal: ctl.signal, beforeBatch: (e) => e === 2 && ctl.abort() });
    // Abort fires at the first batch of epoch 3 (0-based 2): finish that batch, checkpoint mid-epoch.
    expect(saved.last!.state.epochsDone).toBe(2);
    expect(saved.last!.state.inProgress?.batchesDone).toBe(1);

    const second = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 999); // different init: weights come from the checkpoint
    const r = await trainModel({ train: ir, model: second, data, resume: saved.last! });
    expect(r.epochsDone).toBe(4);
    expect(maxAbsDiff(weightsOf(straight), weightsOf(second))).toBeLessThan(1e-6);
  });

  it("resumes from an epoch-boundary checkpoint exactly", async () => {
    const ir = trainIR({ epochs: 4 });
    const straight = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 7);
    const r0 = await trainModel({ train: ir, model: straight, data });
    const first = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 7);
    const { saved, hooks } = memoryHooks();
    await trainModel({ train: { ...ir, epochs: 2 }, model: first, data, hooks });
    const second = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 1);
    const r = await trainModel({ train: ir, model: second, data, resume: saved.last! });
    expect(maxAbsDiff(weightsOf(straight), weightsOf(second))).toBeLessThan(1e-6);
    expect(r.history.map((h) => h.loss)).toEqual(r0.history.map((h) => h.loss));
  });

  it("stops on NaN with the best epoch's weights kept", async () => {
    const model = buildSeededModel(() => tinyModel(), 7);
    const { saved, hooks } = memoryHooks();
    const events: TrainEvent[] = [];
    // Poison the data from epoch 3 on: a NaN pixel makes the loss NaN.
    const poisoned = { ...data, train: { ...data.train, x: Float32Array.from(data.train.x) } };
    const r = await trainModel({
      train: trainIR({ epochs: 5 }),
      model,
      data: poisoned,
      hooks,
      onEvent: (e) => events.push(e),
      beforeBatch: (e) => {
        if (e === 2) poisoned.train.x.fill(Number.NaN);
      },
    });
    expect(r.status).toBe("failed");
    expect(r.reason).toBe("nan");
    expect(r.epochsDone).toBe(2);
    const nan = events.find((e) => e.type === "nan");
    expect(nan && nan.type === "nan" && nan.message).toMatch(/NaN\/Infinity at epoch 3, batch 1/);
    const best = saved.best!;
    expect(best.state.epochsDone).toBeLessThanOrEqual(2);
    expect(saved.last!.state.epochsDone).toBe(2); // last was not overwritten with NaN weights
    expect(maxAbsDiff(weightsOf(model), best.weights.values as Float32Array[])).toBe(0);
    expect(weightsOf(model).every((w) => w.every(Number.isFinite))).toBe(true);
  });

  it("stops on NaN from a huge learning rate", async () => {
    const model = buildSeededModel(() => tinyModel({ bn: false }), 7);
    const r = await trainModel({ train: trainIR({ epochs: 3, optimizer: { kind: "sgd", lr: 1e30, momentum: 0, nesterov: false } }), model, data });
    expect(r.reason).toBe("nan");
  });

  it("early stopping restores the best weights", async () => {
    const model = buildSeededModel(() => tinyModel(), 7);
    const { saved, hooks } = memoryHooks();
    const events: TrainEvent[] = [];
    // Monitor "loss" in max mode: only epoch 1 can be best, so it stops after patience 2.
    const r = await trainModel({
      train: trainIR({ epochs: 10, earlyStop: { monitor: "loss", mode: "max", patience: 2, minDelta: 0, restoreBest: true } }),
      model,
      data,
      hooks,
      onEvent: (e) => events.push(e),
    });
    expect(r.reason).toBe("early-stop");
    expect(r.epochsDone).toBe(3);
    expect(r.bestEpoch).toBe(1);
    const es = events.find((e) => e.type === "early-stop");
    expect(es).toMatchObject({ type: "early-stop", epoch: 3, bestEpoch: 1, restoredBest: true });
    const ends = events.filter((e) => e.type === "epoch-end");
    expect(ends.map((e) => (e.type === "epoch-end" ? e.patienceLeft : -1))).toEqual([2, 1, 0]);
    expect(maxAbsDiff(weightsOf(model), saved.best!.weights.values as Float32Array[])).toBe(0);
  });

  it("a time limit ends training at the first epoch end past it, as completed, with the best weights", async () => {
    const model = buildSeededModel(() => tinyModel(), 7);
    const { saved, hooks } = memoryHooks();
    // A fake clock that advances 1 s per reading: epoch 1 alone takes far more than 5 s of it.
    let t = 0;
    const r = await trainModel({
      train: trainIR({ epochs: 10, earlyStop: { monitor: "loss", mode: "max", patience: 50, minDelta: 0, restoreBest: true } }),
      model,
      data,
      hooks,
      now: () => (t += 1000),
      timeLimitMs: 5000,
    });
    expect(r).toMatchObject({ status: "completed", reason: "time-limit", epochsDone: 1 });
    expect(maxAbsDiff(weightsOf(model), saved.best!.weights.values as Float32Array[])).toBe(0);
    // Without a limit the same slow clock changes nothing.
    const full = await trainModel({ train: trainIR({ epochs: 3 }), model: buildSeededModel(() => tinyModel(), 7), data, now: () => (t += 1000) });
    expect(full).toMatchObject({ reason: "epochs", epochsDone: 3 });
  });

  it("balanced class weights are n/(k·count) and change training on imbalanced data", async () => {
    const imb = makeImages(96, 5, [64, 24, 8]);
    expect(resolveClassWeights("balanced", imb.labels, 3)).toEqual([96 / (3 * 64), 96 / (3 * 24), 96 / (3 * 8)]);
    const run = async (cw: "none" | "balanced") => {
      const model = buildSeededModel(() => tinyModel({ bn: false }), 7);
      const r = await trainModel({ train: trainIR({ epochs: 1, classWeights: cw }), model, data: { ...data, train: imb } });
      return r.history[0]!.loss;
    };
    expect(await run("balanced")).not.toBe(await run("none"));
  });

  it("explicit class weights steer predictions toward the weighted class", async () => {
    const model = buildSeededModel(() => tinyModel({ bn: false }), 7);
    await trainModel({ train: trainIR({ epochs: 3, classWeights: [0, 0, 1] }), model, data });
    const ev = await evaluateModel(model, data.val, SHAPE, CLASSES);
    const predictedC = ev.confusion.reduce((s, row) => s + row[2]!, 0);
    expect(predictedC).toBeGreaterThan(0.9 * ev.n);
  });

  it("an abort at the last batch of an epoch ends after the epoch checkpoint", async () => {
    const ctl = new AbortController();
    const model = buildSeededModel(() => tinyModel(), 7);
    const { saved, hooks } = memoryHooks();
    const r = await trainModel({ train: trainIR({ epochs: 4 }), model, data, hooks, signal: ctl.signal, beforeBatch: (e, b) => e === 0 && b === 5 && ctl.abort() });
    expect(r.status).toBe("stopped");
    expect(saved.last!.state.epochsDone).toBe(1);
    expect(saved.last!.state.inProgress).toBeUndefined();
  });
});


describe("modes, augmentation and memory", () => {
  it("batch-norm updates moving statistics in training; inference is deterministic (dropout off)", async () => {
    const model = buildSeededModel(() => tinyModel({ dropout: 0.5 }), 7);
    const movingMean = () => Array.from(model.getLayer("block1.bn1").getWeights()[2]!.dataSync());
    expect(movingMean().every((v) => v === 0)).toBe(true);
    await trainModel({ train: trainIR({ epochs: 1 }), model, data });
    expect(movingMean().some((v) => v !== 0)).toBe(true);
    const a = await evaluateModel(model, data.val, SHAPE, CLASSES);
    const b = await evaluateModel(model, data.val, SHAPE, CLASSES);
    expect(a.loss).toBe(b.loss);
    expect(movingMean()).toEqual(movingMean()); // evaluation did not touch them
  });

  it("augments training batches only, repeatably, and resumes mid-epoch with augmentation exactly", async () => {
    const seen: number[] = [];
    // A stand-in for src/data augmentBatch: add rng noise, so the stream's state matters.
    const augment = (src: Float32Array, dst: Float32Array, n: number, rng: { next(): number }) => {
      seen.push(n);
      for (let i = 0; i < src.length; i++) dst[i] = src[i]! + 0.1 * (rng.next() - 0.5);
    };
    const ir = trainIR({ epochs: 3 });
    const straight = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 7);
    await trainModel({ train: ir, model: straight, data, augment });
    expect(seen.reduce((a, b) => a + b, 0)).toBe(3 * 96); // train images only, never val

    const ctl = new AbortController();
    const { saved, hooks } = memoryHooks();
    const first = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 7);
    await trainModel({ train: ir, model: first, data, augment, hooks, signal: ctl.signal, beforeBatch: (e, b) => e === 1 && b === 3 && ctl.abort() });
    const second = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 1);
    await trainModel({ train: ir, model: second, data, augment, resume: saved.last! });
    expect(maxAbsDiff(weightsOf(straight), weightsOf(second))).toBeLessThan(1e-6);
  });

  it("does not leak tensors across epochs", async () => {
    const model = buildSeededModel(() => tinyModel({ dropout: 0.2 }), 7);
    const before = tf.memory().numTensors;
    await trainModel({ train: trainIR({ epochs: 2, weightDecay: 1e-4 }), model, data, hooks: memoryHooks().hooks });
    // The optimizer is disposed at the end; what remains are the model's own tensors.
    expect(tf.memory().numTensors).toBe(before);
  });
});
