/**
 * ferc's wasm overrides of Tile, Sum, Mean, Identity and Cast against the tfjs cpu backend,
 * including the shapes that fall back to the stock kernels.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type * as tfc from "@tensorflow/tfjs-core";
import { compareWasmToCpu, randomData, setupBackends, tf } from "./compare.js";

beforeAll(async () => {
  await setupBackends();
});

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const input = (shape: number[], seed: number) => [{ shape, values: randomData(size(shape), seed) }];

async function expectClose(f: (x: tfc.Tensor) => tfc.Tensor, shape: number[], label: string, tol = 1e-5) {
  const [r] = await compareWasmToCpu(([x]) => [f(x!)], input(shape, shape.length * 31 + size(shape)));
  console.log(`${label}: max abs err ${r!.err.toExponential(2)}`);
  expect(r!.err).toBeLessThanOrEqual(tol * Math.max(1, r!.scale));
}

describe("Tile", () => {
  const cases: [number[], number[]][] = [
    [[1, 1, 1, 5], [3, 4, 2, 1]],
    [[2, 3], [2, 3]],
    [[3], [4]],
    [[2, 1, 3], [1, 5, 2]],
    [[1, 2, 1, 2], [2, 1, 3, 1]],
  ];
  for (const [shape, reps] of cases) {
    it(`${JSON.stringify(shape)} × ${JSON.stringify(reps)}`, () =>
      expectClose((x) => tf.tile(x, reps), shape, `tile ${shape} x ${reps}`, 0));
  }
  it("int32", async () => {
    await tf.setBackend("wasm");
    const t = tf.tile(tf.tensor2d([[1, 2]], [1, 2], "int32"), [2, 2]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    t.dispose();
  });
});

describe("Sum / Mean", () => {
  const cases: [number[], number[], boolean][] = [
    [[8, 6, 5, 4], [0, 1, 2], false],
    [[8, 6, 5, 4], [0, 1, 2], true],
    [[7, 3], [0], false],
    [[4, 3, 2], [0, 1, 2], false],
    [[4, 3, 2], [1, 2], false], // trailing axes: stock kernel
    [[4, 3, 2], [0, 2], true], // non-contiguous: stock kernel
    [[1, 5, 3], [0], false], // nothing to reduce: stock kernel
  ];
  for (const [shape, axes, keep] of cases) {
    it(`${JSON.stringify(shape)} axes ${JSON.stringify(axes)} keepDims ${keep}`, async () => {
      await expectClose((x) => tf.sum(x, axes, keep), shape, `sum ${shape} ${axes} ${keep}`);
      await expectClose((x) => tf.mean(x, axes, keep), shape, `mean ${shape} ${axes} ${keep}`);
    });
  }
  it("a large per-channel reduction stays within float32 accumulation error", () =>
    expectClose((x) => tf.sum(x, [0, 1, 2]), [64, 46, 46, 4], "sum 64x46x46x4", 1e-4));
});

describe("Identity / Cast", () => {
  it("clone and same-dtype cast share data but stay independent tensors", async () => {
    await expectClose((x) => tf.clone(x), [3, 4], "identity");
    await expectClose((x) => tf.cast(x, "float32"), [3, 4], "cast f32→f32");
    await expectClose((x) => tf.cast(tf.cast(x, "int32"), "float32"), [3, 4], "cast via int32", 0);
    await tf.setBackend("wasm");
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
  });
});

describe("BatchMatMul with transposed operands", () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 7, 5], [2, 3, 7], true, true],
    [[128, 33], [128, 16], true, false],
  ];
  for (const [sa, sb, ta, tb] of cases) {
    it(`${JSON.stringify(sa)}${ta ? "ᵀ" : ""} × ${JSON.stringify(sb)}${tb ? "ᵀ" : ""}`, async () => {
      const data = [
        { shape: sa, values: randomData(size(sa), 21) },
        { shape: sb, values: randomData(size(sb), 22) },
      ];
      const [r] = await compareWasmToCpu(([a, b]) => [tf.matMul(a!, b!, ta, tb)], data);
      console.log(`matmul ${sa}${ta ? "T" : ""} x ${sb}${tb ? "T" : ""}: max abs err ${r!.err.toExponential(2)}`);
      expect(r!.err).toBeLessThanOrEqual(1e-5 * Math.max(1, r!.scale));
    });
  }
});

describe("Add, Multiply, Relu, Step on the thread pool (large same-shape float32)", () => {
  const big = [4, 96, 97, 8]; // 297,984 elements: over the native threshold, not a multiple of 8
  it("match cpu, including the relu gradient", async () => {
    const data = [
      { shape: big, values: randomData(size(big), 91) },
      { shape: big, values: randomData(size(big), 92) },
    ];
    const res = await compareWasmToCpu(([a, b]) => {
      const g = tf.grad((x: tfc.Tensor) => tf.sum(tf.mul(tf.relu(x), b!)));
      return [tf.add(a!, b!), tf.mul(a!, b!), tf.relu(a!), tf.step(a!), g(a!)];
    }, data);
    console.log(`pool elementwise: max abs err ${res.map((r) => r.err.toExponential(2)).join(" ")}`);
    for (const r of res) expect(r.err).toBe(0);
  });

  it("propagate NaN like cpu (the trainer's divergence guard depends on it)", async () => {
    await tf.setBackend("wasm");
    const v = randomData(size(big), 5);
    v[3] = Number.NaN;
    v[100_001] = Number.NaN;
    const x = tf.tensor(v, big);
    for (const y of [tf.relu(x), tf.step(x), tf.add(x, x), tf.mul(x, x)]) {
      const d = y.dataSync();
      expect(Number.isNaN(d[3]!)).toBe(true);
      expect(Number.isNaN(d[100_001]!)).toBe(true);
      y.dispose();
    }
    x.dispose();
  });
});
