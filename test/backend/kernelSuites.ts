/**
 * Test suites for ferc's wasm training kernels against the tfjs cpu backend: forward ops and their
 * gradients for conv2d, max-pool and fused batch norm, across padding, strides, odd sizes and
 * batch 1. Run twice, by wasmKernels.native.test.ts and wasmKernels.portable.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type * as tfc from "@tensorflow/tfjs-core";
import { compareWasmToCpu, randomData, setupBackends, tf } from "./compare.js";
import { batchNormTrain } from "../../src/backend/fusedBatchNorm.js";
import { conv2dBiasRelu } from "../../src/backend/fusedConv.js";
import { installedWasmKernels } from "../../src/backend/wasm/register.js";
import { nativeStatus } from "../../src/backend/native.js";

/**
 * The native suite needs the addon: without it (not built, no g++, FERC_NATIVE=0) its tests are
 * reported as skipped, with the reason in the suite's name, rather than run on the portable
 * path and counted as native passes.
 */
export function kernelSuites(mode: "native" | "portable"): void {
  const unavailable = mode === "native" ? nativeStatus() : "";
  const suite = unavailable ? describe.skip : describe;
  suite(unavailable ? `${mode} (skipped: the native addon is unavailable: ${unavailable})` : mode, () => suites(mode));
}

function suites(mode: "native" | "portable"): void {
beforeAll(async () => {
  // Read when the kernels are registered, i.e. by setupBackends below.
  if (mode === "portable") process.env["FERC_NATIVE"] = "0";
  await setupBackends();
});

it(`${mode}: registers the ${mode} implementations`, () => {
  const want = mode === "native" ? "native" : "portable";
  for (const k of ["Conv2D", "Conv2DBackpropFilter", "FercBatchNormTrain"]) {
    expect(installedWasmKernels[k] ?? "portable").toBe(want);
  }
  expect(installedWasmKernels["MaxPoolGrad"]).toBeDefined();
});

type Case = { n: number; h: number; w: number; c: number; o: number; k: number; s: number; pad: "valid" | "same" };

const convCases: Case[] = [
  { n: 2, h: 8, w: 8, c: 3, o: 4, k: 3, s: 1, pad: "valid" },
  { n: 1, h: 9, w: 7, c: 2, o: 5, k: 3, s: 1, pad: "same" },
  { n: 3, h: 9, w: 11, c: 4, o: 3, k: 3, s: 2, pad: "valid" },
  { n: 2, h: 10, w: 9, c: 3, o: 2, k: 3, s: 2, pad: "same" },
  { n: 1, h: 7, w: 7, c: 1, o: 6, k: 5, s: 1, pad: "valid" },
  { n: 4, h: 12, w: 12, c: 16, o: 8, k: 3, s: 1, pad: "valid" },
  // Shapes the native kernels take (output channels a multiple of 8; input channels too for dx).
  { n: 3, h: 11, w: 13, c: 8, o: 16, k: 3, s: 1, pad: "valid" },
  { n: 1, h: 9, w: 10, c: 16, o: 16, k: 3, s: 1, pad: "same" },
  { n: 2, h: 11, w: 9, c: 8, o: 24, k: 3, s: 2, pad: "same" },
  { n: 2, h: 10, w: 10, c: 8, o: 32, k: 3, s: 2, pad: "valid" },
  { n: 2, h: 14, w: 14, c: 1, o: 16, k: 3, s: 1, pad: "valid" },
  { n: 1, h: 8, w: 8, c: 32, o: 64, k: 5, s: 1, pad: "same" },
  // The residual layout: strided 3x3 'same' and 1x1 strided projections (native input gradient
  // for any stride), channel counts that exercise every vector block (64-wide, 32, 16, 8 tails),
  // rows longer than a pixel group, and more images than the filter gradient's fixed parts.
  { n: 3, h: 12, w: 12, c: 32, o: 64, k: 3, s: 2, pad: "same" },
  { n: 2, h: 12, w: 12, c: 32, o: 64, k: 1, s: 2, pad: "valid" },
  { n: 2, h: 9, w: 9, c: 24, o: 40, k: 3, s: 2, pad: "same" },
  { n: 9, h: 6, w: 29, c: 8, o: 8, k: 3, s: 1, pad: "same" },
  { n: 2, h: 7, w: 7, c: 136, o: 120, k: 3, s: 1, pad: "same" },
  { n: 1, h: 11, w: 11, c: 16, o: 16, k: 3, s: 3, pad: "valid" },
];

const name = (c: Case) => `${c.n}x${c.h}x${c.w}x${c.c} k${c.k} o${c.o} s${c.s} ${c.pad}`;
/** float32 tolerance relative to the magnitude of the reference values. */
const TOL = 2e-5;

describe(`${mode}: wasm Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter vs cpu`, () => {
  for (const c of convCases) {
    it(name(c), async () => {
      const xs = [c.n, c.h, c.w, c.c];
      const fs = [c.k, c.k, c.c, c.o];
      const conv = (x: tfc.Tensor, f: tfc.Tensor) => tf.conv2d(x as tfc.Tensor4D, f as tfc.Tensor4D, c.s, c.pad);
      const os = tf.tidy(() => conv(tf.zeros(xs), tf.zeros(fs)).shape);
      const data = [
        { shape: xs, values: randomData(xs.reduce((a, b) => a * b), 1 + c.h) },
        { shape: fs, values: randomData(fs.reduce((a, b) => a * b), 2 + c.w) },
        { shape: os, values: randomData(os.reduce((a, b) => a * b), 3 + c.c) },
      ];
      const res = await compareWasmToCpu(([x, f, r]) => {
        const g = tf.grads((a: tfc.Tensor, b: tfc.Tensor) => tf.sum(tf.mul(conv(a, b), r!)));
        return [conv(x!, f!), ...g([x!, f!])];
      }, data);
      const [fwd, dx, dw] = res;
      console.log(`${mode} conv ${name(c)}: fwd ${fwd!.err.toExponential(2)} dx ${dx!.err.toExponential(2)} dW ${dw!.err.toExponential(2)}`);
      for (const r of res) expect(r.err).toBeLessThanOrEqual(TOL * Math.max(1, r.scale));
    });
  }
});

type PoolCase = { n: number; h: number; w: number; c: number; k: number; s: number; pad: "valid" | "same"; ties?: boolean };
const poolCases: PoolCase[] = [
  { n: 2, h: 8, w: 8, c: 3, k: 2, s: 2, pad: "valid" },
  { n: 1, h: 9, w: 7, c: 2, k: 2, s: 2, pad: "valid" },
  { n: 2, h: 9, w: 7, c: 2, k: 2, s: 2, pad: "same" },
  { n: 1, h: 8, w: 9, c: 4, k: 3, s: 1, pad: "same" },
  { n: 3, h: 10, w: 10, c: 5, k: 3, s: 2, pad: "same" },
  { n: 2, h: 8, w: 8, c: 3, k: 3, s: 1, pad: "valid", ties: true },
  // Non-overlapping windows over a multiple of 8 channels: the native tiled path (odd sizes leave
  // a row and a column outside every window; ties must still go to the first position).
  { n: 3, h: 9, w: 7, c: 16, k: 2, s: 2, pad: "valid" },
  { n: 2, h: 8, w: 8, c: 24, k: 2, s: 2, pad: "valid", ties: true },
  { n: 1, h: 10, w: 11, c: 8, k: 3, s: 3, pad: "valid", ties: true },
  // 'same' on odd sizes pads only bottom/right: the last windows hang over the edge (not tiled).
  { n: 2, h: 9, w: 7, c: 16, k: 2, s: 2, pad: "same" },
];

describe(`${mode}: wasm MaxPool / MaxPoolGrad vs cpu`, () => {
  for (const c of poolCases) {
    const label = `${c.n}x${c.h}x${c.w}x${c.c} k${c.k} s${c.s} ${c.pad}${c.ties ? " ties" : ""}`;
    it(label, async () => {
      const xs = [c.n, c.h, c.w, c.c];
      const pool = (x: tfc.Tensor) => tf.maxPool(x as tfc.Tensor4D, c.k, c.s, c.pad);
      const os = tf.tidy(() => pool(tf.zeros(xs)).shape);
      let xv = randomData(xs.reduce((a, b) => a * b), 7 + c.h);
      // Few distinct values force ties: the first maximal position must win, as on cpu.
      if (c.ties) xv = xv.map((v) => Math.round(v * 2));
      const data = [
        { shape: xs, values: xv },
        { shape: os, values: randomData(os.reduce((a, b) => a * b), 9 + c.w) },
      ];
      const res = await compareWasmToCpu(([x, r]) => {
        const g = tf.grad((a: tfc.Tensor) => tf.sum(tf.mul(pool(a), r!)));
        return [pool(x!), g(x!)];
      }, data);
      console.log(`${mode} maxpool ${label}: fwd ${res[0]!.err.toExponential(2)} dx ${res[1]!.err.toExponential(2)}`);
      for (const r of res) expect(r.err).toBeLessThanOrEqual(TOL * Math.max(1, r.scale));
    });
  }
});

describe(`${mode}: fused training batch norm vs tfjs moments + batchNorm on cpu`, () => {
  const shapes = [[4, 7, 5, 16], [2, 3, 3, 5], [64, 256], [1, 6, 6, 8]];
  for (const shape of shapes) {
    it(JSON.stringify(shape), async () => {
      const c = shape[shape.length - 1]!;
      const axes = shape.slice(0, -1).map((_, i) => i);
      const n = shape.reduce((a, b) => a * b);
      const data = [
        { shape, values: randomData(n, 11 + c).map((v) => v * 3 + 1) },
        { shape: [c], values: randomData(c, 12).map((v) => v + 1) },
        { shape: [c], values: randomData(c, 13) },
        { shape, values: randomData(n, 14) },
      ];
      const eps = 1e-3;
      // On cpu: tfjs-layers' own formulation. On wasm: ferc's fused op.
      const f = ([x, g, b, r]: tfc.Tensor[]) => {
        const bn = (xx: tfc.Tensor, gg: tfc.Tensor, bb: tfc.Tensor) => {
          if (tf.getBackend() === "wasm") return batchNormTrain(xx, gg, bb, eps);
          const { mean, variance } = tf.moments(xx, axes);
          return { y: tf.batchNorm(xx, mean, variance, bb, gg, eps), mean, variance };
        };
        const { y, mean, variance } = bn(x!, g!, b!);
        const grads = tf.grads((xx: tfc.Tensor, gg: tfc.Tensor, bb: tfc.Tensor) => tf.sum(tf.mul(bn(xx, gg, bb).y, r!)));
        return [y, mean, variance, ...grads([x!, g!, b!])];
      };
      const res = await compareWasmToCpu(f, data);
      const labels = ["y", "mean", "var", "dx", "dgamma", "dbeta"];
      console.log(`${mode} batchnorm ${JSON.stringify(shape)}: ` + res.map((r, i) => `${labels[i]} ${r.err.toExponential(2)}`).join(" "));
      for (const r of res) expect(r.err).toBeLessThanOrEqual(1e-4 * Math.max(1, r.scale));
    });
  }
});

describe(`${mode}: fused conv2d + bias + relu (and FusedConv2D) vs cpu`, () => {
  for (const c of convCases) {
    it(name(c), async () => {
      const xs: number[] = [c.n, c.h, c.w, c.c];
      const fs: number[] = [c.k, c.k, c.c, c.o];
      const probe = tf.tidy(() => tf.conv2d(tf.zeros<tfc.Rank.R4>(xs as [number, number, number, number]), tf.zeros<tfc.Rank.R4>(fs as [number, number, number, number]), c.s, c.pad));
      const os = [...probe.shape];
      probe.dispose();
      const data = [
        { shape: xs, values: randomData(xs.reduce((a, b) => a * b), 31 + c.h) },
        { shape: fs, values: randomData(fs.reduce((a, b) => a * b), 32 + c.w) },
        { shape: [c.o], values: randomData(c.o, 33) },
        { shape: os, values: randomData(os.reduce((a, b) => a * b), 34 + c.c) },
      ];
      const f = (x: tfc.Tensor, w: tfc.Tensor, b: tfc.Tensor) =>
        tf.getBackend() === "wasm"
          ? conv2dBiasRelu(x as tfc.Tensor4D, w as tfc.Tensor4D, b as tfc.Tensor1D, [c.s, c.s], c.pad)
          : tf.relu(tf.add(tf.conv2d(x as tfc.Tensor4D, w as tfc.Tensor4D, c.s, c.pad), b));
      const res = await compareWasmToCpu(([x, w, b, r]) => {
        const g = tf.grads((a: tfc.Tensor, ww: tfc.Tensor, bb: tfc.Tensor) => tf.sum(tf.mul(f(a, ww, bb), r!)));
        // Inference path: tfjs-core's fused conv runs the FusedConv2D kernel when not recording.
        const inference = tf.fused.conv2d({ x: x as tfc.Tensor4D, filter: w as tfc.Tensor4D, strides: c.s, pad: c.pad, bias: b, activation: "relu" });
        return [f(x!, w!, b!), ...g([x!, w!, b!]), inference];
      }, data);
      const labels = ["fwd", "dx", "dW", "db", "FusedConv2D"];
      console.log(`${mode} conv+bias+relu ${name(c)}: ` + res.map((r, i) => `${labels[i]} ${r.err.toExponential(2)}`).join(" "));
      for (const r of res) expect(r.err).toBeLessThanOrEqual(TOL * Math.max(1, r.scale));
    });
  }
});

describe(`${mode}: inference batch norm (FusedBatchNorm) vs cpu`, () => {
  const cases: { shape: number[]; stat: number[]; affine: boolean }[] = [
    { shape: [3, 5, 4, 16], stat: [16], affine: true },
    { shape: [3, 5, 4, 16], stat: [1, 1, 1, 16], affine: true },
    { shape: [7, 6], stat: [6], affine: false },
    { shape: [2, 3, 4, 5], stat: [4, 5], affine: true }, // not per-channel: stock kernel
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.shape)} stats ${JSON.stringify(c.stat)}${c.affine ? "" : " no scale/offset"}`, async () => {
      const n = c.shape.reduce((a, b) => a * b);
      const k = c.stat.reduce((a, b) => a * b);
      const data = [
        { shape: c.shape, values: randomData(n, 41) },
        { shape: c.stat, values: randomData(k, 42) },
        { shape: c.stat, values: randomData(k, 43).map((v) => v * v + 0.1) },
        { shape: c.stat, values: randomData(k, 44) },
        { shape: c.stat, values: randomData(k, 45) },
      ];
      const [r] = await compareWasmToCpu(([x, m, v, o, g]) => [
        c.affine ? tf.batchNorm(x!, m!, v!, o!, g!, 1e-3) : tf.batchNorm(x!, m!, v!, undefined, undefined, 1e-3),
      ], data);
      console.log(`${mode} inference batchnorm ${JSON.stringify(c.shape)}/${JSON.stringify(c.stat)}: max abs err ${r!.err.toExponential(2)}`);
      expect(r!.err).toBeLessThanOrEqual(1e-5 * Math.max(1, r!.scale));
    });
  }
});
}
