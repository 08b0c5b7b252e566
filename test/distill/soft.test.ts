/**
 * Distillation's arithmetic: the teacher's targets softened by a temperature, the loss
 * A·T²·KL(teacher_T ‖ student_T) + (1 − A)·CE against a float64 computation by hand, the targets
 * following mixup in the batch assembler, and the cache keyed by the teacher's hash and the train
 * split's content.
 */
import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { temperedTargets } from "../../src/distill/soft.js";
import { readCachedTargets, splitHash, targetsFile, targetsKey, writeCachedTargets } from "../../src/distill/targets.js";
import { ensembleTeacherHash } from "../../src/distill/teacher.js";
import { distillationLoss, smoothOneHot, weightedCrossEntropy } from "../../src/train/loss.js";
import { makeBatchAssembler } from "../../src/train/batch.js";
import type { Split } from "../../src/data/types.js";
import { createRng } from "../../src/util/rng.js";
import { useCpu } from "../train/helpers.js";

const rows = (a: Float32Array, k: number): number[][] => Array.from({ length: a.length / k }, (_, i) => Array.from(a.subarray(i * k, (i + 1) * k)));
const entropy = (p: readonly number[]): number => -p.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0);
const argmax = (p: readonly number[]): number => p.indexOf(Math.max(...p));

/** Random probability rows (softmax of normal logits, some sharp). */
function randomProbs(n: number, k: number, seed: number, sharpness = 3): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: k }, () => sharpness * rng.normal());
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => (out[i * k + j] = v / s));
  }
  return out;
}

describe("temperedTargets: softmax(log p / T)", () => {
  const k = 7;
  const p = randomProbs(20, k, 1);

  it("T = 1 gives the probabilities back; every row sums to 1", () => {
    const t = temperedTargets(p, k, 1);
    for (let i = 0; i < p.length; i++) expect(t[i]).toBeCloseTo(p[i]!, 6);
    for (const r of rows(temperedTargets(p, k, 4), k)) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("a higher temperature softens every row (entropy grows) and keeps its top class; T → ∞ tends to uniform", () => {
    const [t1, t2, t4, t100] = [1, 2, 4, 100].map((T) => rows(temperedTargets(p, k, T), k));
    for (let i = 0; i < t1!.length; i++) {
      expect(entropy(t2![i]!)).toBeGreaterThan(entropy(t1![i]!));
      expect(entropy(t4![i]!)).toBeGreaterThan(entropy(t2![i]!));
      expect(argmax(t4![i]!)).toBe(argmax(t1![i]!));
      for (const v of t100![i]!) expect(v).toBeCloseTo(1 / k, 1);
    }
  });

  it("is p^(1/T) normalised, and a zero probability stays finite", () => {
    const q = Float32Array.from([0.5, 0.25, 0.25, 0]);
    const t = Array.from(temperedTargets(q, 4, 2));
    const want = [0.5, 0.25, 0.25, 0].map((v) => Math.sqrt(v));
    const s = want.reduce((a, b) => a + b, 0);
    want.forEach((v, j) => expect(t[j]).toBeCloseTo(v / s, 3));
    expect(t.every(Number.isFinite)).toBe(true);
    expect(() => temperedTargets(q, 4, 0)).toThrow(/temperature/);
  });
});

describe("distillationLoss = A·T²·KL(q ‖ p_T) + (1 − A)·CE(y, p)", () => {
  beforeAll(useCpu);
  const k = 7, n = 6;
  const teacher = randomProbs(n, k, 2);
  const student = randomProbs(n, k, 3, 1.5);
  const labels = Uint8Array.from([0, 1, 2, 3, 4, 5]);

  /** The formula in float64, straight from its definition. */
  function byHand(T: number, A: number, smoothing = 0): number {
    const q = rows(temperedTargets(teacher, k, T), k);
    const s = rows(student, k);
    const y = rows(smoothOneHot(labels, k, smoothing), k);
    let kl = 0, ce = 0;
    for (let i = 0; i < n; i++) {
      const z = s[i]!.map((v) => Math.log(v) / T);
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
      for (let j = 0; j < k; j++) {
        const qj = q[i]![j]!;
        if (qj > 0) kl += qj * (Math.log(qj) - (z[j]! - lse));
        ce -= y[i]![j]! * Math.log(s[i]![j]!);
      }
    }
    return A * T * T * (kl / n) + (1 - A) * (ce / n);
  }

  const lossOf = async (T: number, A: number, smoothing = 0): Promise<number> => {
    const v = tf.tidy(() =>
      distillationLoss(tf.tensor2d(temperedTargets(teacher, k, T), [n, k]), tf.tensor2d(smoothOneHot(labels, k, smoothing), [n, k]), tf.tensor2d(student, [n, k]), null, T, A),
    );
    const out = (await v.data())[0]!;
    v.dispose();
    return out;
  };

  it.each([
    [1, 0.5],
    [4, 0.9],
    [2.5, 0.3],
    [8, 1],
  ])("T = %s, A = %s: the formula", async (T, A) => {
    expect(await lossOf(T, A)).toBeCloseTo(byHand(T, A), 4);
  });

  it("label smoothing applies to the cross-entropy term", async () => {
    expect(await lossOf(4, 0.5, 0.1)).toBeCloseTo(byHand(4, 0.5, 0.1), 4);
    expect(await lossOf(4, 0.5, 0.1)).not.toBeCloseTo(await lossOf(4, 0.5, 0), 3);
  });

  it("a student that equals the teacher has no soft loss: A = 1 gives 0, A < 1 the weighted cross-entropy alone", async () => {
    const q = tf.tensor2d(temperedTargets(teacher, k, 3), [n, k]);
    const y = tf.tensor2d(smoothOneHot(labels, k, 0), [n, k]);
    const p = tf.tensor2d(teacher, [n, k]);
    const soft = (await distillationLoss(q, y, p, null, 3, 1).data())[0]!;
    expect(Math.abs(soft)).toBeLessThan(1e-5);
    const mixed = (await distillationLoss(q, y, p, null, 3, 0.25).data())[0]!;
    const ce = (await weightedCrossEntropy(y, p, null).data())[0]!;
    expect(mixed).toBeCloseTo(0.75 * ce, 4);
    tf.dispose([q, y, p]);
  });
});

describe("the batch assembler carries the teacher's targets", () => {
  const k = 3, n = 8, size = 4;
  const train = { x: Float32Array.from({ length: n * size }, (_, i) => Math.floor(i / size)), labels: Uint8Array.from({ length: n }, (_, i) => i % k), n };
  // Row i of the targets is recognisable: [i, 10 + i, 100 + i].
  const targets = Float32Array.from({ length: n * k }, (_, j) => [0, 10, 100][j % k]! + Math.floor(j / k));

  it("in the epoch's order", () => {
    const next = makeBatchAssembler({ train, shape: [2, 2, 1], batchSize: 4, rng: createRng(1), soft: { targets, k } });
    const order = Uint32Array.from([5, 2, 7, 0, 1, 3, 4, 6]);
    const b = next(order, 0, 4);
    expect(Array.from(b.soft!)).toEqual([5, 15, 105, 2, 12, 102, 7, 17, 107, 0, 10, 100]);
    expect(Array.from(b.labels)).toEqual([5 % k, 2 % k, 7 % k, 0]);
  });

  it("mixed with mixup's λ and partner, as the images are", () => {
    const augment = (src: Float32Array, dst: Float32Array, m: number) => dst.set(src.subarray(0, m * size));
    const next = makeBatchAssembler({ train, shape: [2, 2, 1], batchSize: 4, augment, mixup: 0.4, rng: createRng(3), soft: { targets, k } });
    const order = Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const b = next(order, 4, 4);
    const { lambda, partnerIndex } = b.mix!;
    for (let i = 0; i < 4; i++) {
      const j = partnerIndex[i]!;
      // Image i of the batch is train image 4 + i; its pixels hold its index, so they show the mix too.
      expect(b.xs[i * size]).toBeCloseTo(lambda * (4 + i) + (1 - lambda) * (4 + j), 5);
      for (let c = 0; c < k; c++) expect(b.soft![i * k + c]).toBeCloseTo(lambda * targets[(4 + i) * k + c]! + (1 - lambda) * targets[(4 + j) * k + c]!, 4);
    }
  });
});

describe("cached targets: keyed by the teacher's hash and the train split's content", () => {
  const split = (seed: number, n = 5): Split => {
    const rng = createRng(seed);
    return { n, height: 2, width: 2, channels: 1, pixels: Uint8Array.from({ length: n * 4 }, () => Math.floor(rng.next() * 256)), labels: Uint8Array.from({ length: n }, (_, i) => i % 3) };
  };
  const h1 = ensembleTeacherHash(["sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64)]);
  const h2 = ensembleTeacherHash(["sha256:" + "a".repeat(64), "sha256:" + "c".repeat(64)]);

  it("a different teacher, member order, train image, label or limit is a different key; the same ones the same", () => {
    const s = split(1);
    expect(targetsKey(h1, s, 3)).toBe(targetsKey(h1, split(1), 3));
    expect(targetsKey(h2, s, 3)).not.toBe(targetsKey(h1, s, 3));
    expect(ensembleTeacherHash(["sha256:" + "b".repeat(64), "sha256:" + "a".repeat(64)])).not.toBe(h1);
    const pixel = { ...s, pixels: s.pixels.slice() };
    pixel.pixels[7] = (pixel.pixels[7]! + 1) % 256;
    expect(splitHash(pixel)).not.toBe(splitHash(s));
    const label = { ...s, labels: Uint8Array.from([1, 1, 2, 0, 1]) };
    expect(splitHash(label)).not.toBe(splitHash(s));
    const limited = { ...s, n: 4, pixels: s.pixels.subarray(0, 16), labels: s.labels.subarray(0, 4) };
    expect(targetsKey(h1, limited, 3)).not.toBe(targetsKey(h1, s, 3));
  });

  it("round-trips through the cache file; a file of another shape or a damaged one is a miss", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-distill-cache-"));
    const probs = randomProbs(5, 3, 9);
    const file = targetsFile(dir, targetsKey(h1, split(1), 3));
    expect(await readCachedTargets(file, 5, 3)).toBeNull();
    await writeCachedTargets(file, probs, 5, 3);
    expect(Array.from((await readCachedTargets(file, 5, 3))!)).toEqual(Array.from(probs));
    expect(await readCachedTargets(file, 4, 3)).toBeNull();
    await writeFile(file, "not targets");
    expect(await readCachedTargets(file, 5, 3)).toBeNull();
  });
});
