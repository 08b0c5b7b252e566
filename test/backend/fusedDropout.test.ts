/**
 * ferc's fused training dropout on wasm: the kept fraction and scale are right, the gradient uses
 * the forward mask, the native and portable kernels draw bit-identical masks, a seeded
 * Math.random repeats masks, and the tfjs-layers Dropout layer is routed through it in training only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type * as tflTypes from "@tensorflow/tfjs-layers";
import { setupBackends, tf } from "./compare.js";
import { dropoutTrain, installFusedDropout } from "../../src/backend/fusedDropout.js";
import { dropoutKernels, dropoutUniform, DROPOUT } from "../../src/backend/wasm/dropout.js";
import { nativeKernels } from "../../src/backend/native.js";
import { withSeededRandom } from "../../src/train/seeded.js";
import { createRng } from "../../src/util/rng.js";

const tfl = createRequire(import.meta.url)("@tensorflow/tfjs-layers") as typeof tflTypes;

beforeAll(async () => {
  await setupBackends();
  await tf.setBackend("wasm");
});

describe("fused dropout", () => {
  it("keeps 1 − rate of the elements, scaled by 1/(1 − rate), and routes the gradient through the same mask", () => {
    const rate = 0.3;
    const x = tf.add(tf.ones([64, 10, 10, 8]), tf.randomUniform([64, 10, 10, 8]));
    const y = withSeededRandom(createRng(4), () => dropoutTrain(x, rate));
    const xs = x.dataSync();
    const ys = y.dataSync();
    let kept = 0;
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] !== 0) {
        kept++;
        worst = Math.max(worst, Math.abs(ys[i]! - xs[i]! / (1 - rate)));
      }
    }
    expect(kept / xs.length).toBeGreaterThan(0.69);
    expect(kept / xs.length).toBeLessThan(0.71);
    expect(worst).toBeLessThan(1e-5);
    const gradient = tf.grad((a: import("@tensorflow/tfjs-core").Tensor) => withSeededRandom(createRng(4), () => dropoutTrain(a, rate)));
    const g = gradient(x).dataSync();
    for (let i = 0; i < xs.length; i += 97) expect(g[i]).toBeCloseTo(ys[i] === 0 ? 0 : 1 / (1 - rate), 5);
    tf.dispose([x, y]);
  });

  it("draws the same mask natively and in TypeScript, and again from the same seed", () => {
    const n = 10007;
    const x = new Float32Array(n).fill(2);
    const portable = new Float32Array(n);
    for (let i = 0; i < n; i++) portable[i] = dropoutUniform(99, i) >= Math.fround(0.5) ? 4 : 0;
    const native = nativeKernels();
    if (native) {
      const y = new Float32Array(n);
      native.dropout(x, y, Int32Array.from([n, 99, 0]), 0.5);
      expect(Array.from(y)).toEqual(Array.from(portable));
    }
    const a = withSeededRandom(createRng(8), () => dropoutTrain(tf.ones([500]), 0.5)).dataSync();
    const b = withSeededRandom(createRng(8), () => dropoutTrain(tf.ones([500]), 0.5)).dataSync();
    const c = withSeededRandom(createRng(9), () => dropoutTrain(tf.ones([500]), 0.5)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Object.keys(dropoutKernels(false))).toContain(DROPOUT);
  });

  it("is what a tfjs-layers Dropout layer runs in training, and inference passes x through", async () => {
    installFusedDropout(tfl);
    const layer = tfl.layers.dropout({ rate: 0.5 });
    const x = tf.ones([4, 16]);
    const info = await tf.profile(() => (layer.apply(x, { training: true }) as import("@tensorflow/tfjs-core").Tensor).dispose());
    expect(info.kernelNames).toContain(DROPOUT);
    const inference = layer.apply(x, { training: false }) as import("@tensorflow/tfjs-core").Tensor;
    expect(Array.from(inference.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, inference]);
  });
});
