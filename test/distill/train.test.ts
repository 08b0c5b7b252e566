/**
 * Distillation reaches the training step: a student trained on the teacher's targets alone
 * learns the teacher's classes, not the labels; with the teacher's weight small it learns the
 * labels; targets that do not match the train split are refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { buildSeededModel, trainModel } from "../../src/train/index.js";
import { temperedTargets } from "../../src/distill/soft.js";
import { predictProbabilities } from "../../src/train/evaluate.js";
import { CLASSES, SHAPE, split, tinyModel, trainIR, useCpu } from "../train/helpers.js";

const k = CLASSES.length;

/** A confident teacher that says class (label + 1) mod 3 for every image. */
function shiftedTeacher(labels: Uint8Array): Float32Array {
  const out = new Float32Array(labels.length * k).fill(0.01);
  labels.forEach((l, i) => (out[i * k + ((l + 1) % k)] = 0.98));
  return out;
}

async function agreement(model: ReturnType<typeof tinyModel>, x: Float32Array, n: number, truth: (i: number) => number): Promise<number> {
  const p = await predictProbabilities(model, x, n, SHAPE);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(p.subarray(i * k, (i + 1) * k));
    if (row.indexOf(Math.max(...row)) === truth(i)) hits++;
  }
  return hits / n;
}

describe("training with a teacher's targets", () => {
  beforeAll(useCpu);
  const train = split(96, 11);
  const data = { train, shape: SHAPE, classes: CLASSES };
  const teacher = shiftedTeacher(train.labels);

  const trainWith = async (weight: number) => {
    const model = buildSeededModel(() => tinyModel(), 3);
    await trainModel({ train: trainIR({ epochs: 8, seed: 3 }), model, data, distill: { targets: temperedTargets(teacher, k, 2), temperature: 2, weight } });
    return model;
  };

  it("weight 1: the student learns the teacher's classes", async () => {
    const model = await trainWith(1);
    expect(await agreement(model, train.x, train.n, (i) => (train.labels[i]! + 1) % k)).toBeGreaterThan(0.9);
    expect(await agreement(model, train.x, train.n, (i) => train.labels[i]!)).toBeLessThan(0.1);
    model.dispose();
  });

  it("a small weight: the student learns the labels", async () => {
    const model = await trainWith(0.01);
    expect(await agreement(model, train.x, train.n, (i) => train.labels[i]!)).toBeGreaterThan(0.9);
    model.dispose();
  });

  it("targets for another number of images are refused before training", async () => {
    const model = buildSeededModel(() => tinyModel(), 3);
    await expect(trainModel({ train: trainIR({ epochs: 1 }), model, data, distill: { targets: new Float32Array(5 * k), temperature: 2, weight: 0.5 } })).rejects.toThrow(/5 teacher targets for 96 train images/);
    model.dispose();
  });
});

describe("ferc check --backend's kernel census", () => {
  beforeAll(useCpu);
  it("counts the kernels of a distilling step's loss too", async () => {
    const { trainingKernelNames } = await import("../../src/train/kernels.js");
    const model = tinyModel();
    const plain = await trainingKernelNames(model);
    const distilling = await trainingKernelNames(model, { distill: true });
    model.dispose();
    expect(distilling).toEqual(expect.arrayContaining(plain));
    // The softened student: log-softmax of log p / T (Max, Sub, Exp, Sum, Log among them).
    expect(distilling).toEqual(expect.arrayContaining(["Exp", "Log", "Max"]));
    expect(distilling.length).toBeGreaterThan(plain.length);
  });
});

/**
 * The oracle a per-view teacher stands for here: the brightest quadrant of the image it is shown
 * (top-left a, bottom half b, top-right c), confident. Mirrored, an `a` image shows its bright
 * quadrant top-right, so on the view it reads c.
 */
function quadrantTeacher(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const mean = (y: number, xx: number): tf.Tensor => tf.mean(tf.slice(x, [0, y, xx, 0], [-1, 4, 4, -1]), [1, 2, 3]);
    const scores = tf.stack([mean(0, 0), tf.maximum(mean(4, 0), mean(4, 4)), mean(0, 4)], 1);
    return tf.softmax(tf.mul(scores, 20)) as tf.Tensor2D;
  });
}

/** Every image mirrored: the view the student trains on is never the stored image. */
const mirrorAll = (src: Float32Array, dst: Float32Array, n: number): void => {
  for (let i = 0; i < n; i++)
    for (let y = 0; y < 8; y++) for (let xx = 0; xx < 8; xx++) dst[i * 64 + y * 8 + xx] = src[i * 64 + y * 8 + (7 - xx)]!;
};

describe("per-view targets: the teacher sees the view the student trains on", () => {
  beforeAll(useCpu);
  const train = split(96, 12);
  const data = { train, shape: SHAPE, classes: CLASSES };
  const mirrored = new Float32Array(train.x.length);
  mirrorAll(train.x, mirrored, train.n);
  const onView = (i: number): number => [2, 1, 0][train.labels[i]!]!;

  it("the student learns the teacher's reading of each mirrored view, not of the stored image", async () => {
    let calls = 0;
    const teacher = (x: tf.Tensor4D): tf.Tensor2D => {
      calls++;
      return quadrantTeacher(x);
    };
    const model = buildSeededModel(() => tinyModel(), 5);
    await trainModel({ train: trainIR({ epochs: 8, seed: 5 }), model, data, augment: mirrorAll, distill: { teacher, temperature: 1, weight: 1 } });
    expect(calls).toBe(8 * Math.ceil(96 / 16));
    expect(await agreement(model, mirrored, train.n, onView)).toBeGreaterThan(0.9);
    model.dispose();
  });

  it("cached targets (the teacher on the stored image) teach the labels on the same views instead", async () => {
    const x = tf.tensor4d(train.x, [train.n, 8, 8, 1]);
    const stored = quadrantTeacher(x);
    const targets = Float32Array.from(await stored.data());
    tf.dispose([x, stored]);
    const model = buildSeededModel(() => tinyModel(), 5);
    await trainModel({ train: trainIR({ epochs: 8, seed: 5 }), model, data, augment: mirrorAll, distill: { targets, temperature: 1, weight: 1 } });
    expect(await agreement(model, mirrored, train.n, (i) => train.labels[i]!)).toBeGreaterThan(0.9);
    expect(await agreement(model, mirrored, train.n, onView)).toBeLessThan(0.5);
    model.dispose();
  });
});
