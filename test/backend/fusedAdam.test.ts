/**
 * Fused Adam (one FercAdamUpdate kernel per variable on wasm) against tfjs' own AdamOptimizer on
 * the cpu backend: same weights, moments and β-power accumulators after several steps, and state
 * that exports from one and imports into the other (checkpoints stay compatible).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomData, setupBackends, tf } from "./compare.js";
import { createOptimizer, exportOptimizerState, importOptimizerState } from "../../src/train/optimizer.js";
import { ADAM_UPDATE } from "../../src/backend/wasm/adam.js";

beforeAll(async () => {
  await setupBackends();
});

const shapes = [[3, 3, 8, 16], [16], [257, 7]];
const ir = { kind: "adam", lr: 3e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

async function train(backend: string, steps: number): Promise<{ values: Float32Array[]; state: Awaited<ReturnType<typeof exportOptimizerState>>; kernels: string[] }> {
  await tf.setBackend(backend);
  const vars = shapes.map((s, i) => tf.variable(tf.tensor(randomData(s.reduce((a, b) => a * b), 10 + i), s), true, `adamtest_${backend}_${i}`));
  const opt = createOptimizer(ir as never);
  const kernels: string[] = [];
  for (let t = 0; t < steps; t++) {
    const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(randomData(v.size, 100 * t + i).map((g) => g * (t + 1)), v.shape) }));
    const info = await tf.profile(() => opt.applyGradients(grads));
    kernels.push(...info.kernels.map((k) => k.name));
    tf.dispose(grads.map((g) => g.tensor));
  }
  const values = vars.map((v) => v.dataSync().slice() as Float32Array);
  const state = await exportOptimizerState(opt, "adam");
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return { values, state, kernels };
}

/** Max abs difference relative to the reference tensor's largest magnitude. */
function maxRel(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return worst / Math.max(scale, 1e-12);
}

describe("fused Adam on wasm", () => {
  it("matches tfjs' AdamOptimizer on cpu (weights, moments, accumulators) in one kernel per variable", async () => {
    const fused = await train("wasm", 6);
    const stock = await train("cpu", 6);
    expect(fused.kernels.filter((k) => k === ADAM_UPDATE)).toHaveLength(6 * shapes.length);
    expect(stock.kernels).not.toContain(ADAM_UPDATE);
    let worst = 0;
    fused.values.forEach((v, i) => (worst = Math.max(worst, maxRel(v, stock.values[i]!))));
    const moments = (s: typeof fused.state) => s.tensors.filter((t) => /\/(m|v)$/.test(t.name));
    expect(moments(fused.state).map((t) => t.name.replace(/_wasm_/, "_"))).toEqual(moments(stock.state).map((t) => t.name.replace(/_cpu_/, "_")));
    moments(fused.state).forEach((t, i) => (worst = Math.max(worst, maxRel(t.values as Float32Array, moments(stock.state)[i]!.values as Float32Array))));
    console.log(`fused Adam vs stock after 6 steps: max rel err ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
    expect(fused.state.accBeta1).toBe(stock.state.accBeta1);
    expect(fused.state.accBeta2).toBe(stock.state.accBeta2);
  });

  it("resumes from saved state exactly as an uninterrupted run", async () => {
    await tf.setBackend("wasm");
    const run = async (split: boolean) => {
      const v = tf.variable(tf.tensor(randomData(64, 3), [64]), true);
      let opt = createOptimizer(ir as never);
      for (let t = 0; t < 4; t++) {
        if (split && t === 2) {
          const saved = await exportOptimizerState(opt, "adam");
          opt.dispose();
          opt = createOptimizer(ir as never);
          // Moment variables are created on the first update; setWeights then fills them.
          opt.applyGradients([{ name: v.name, tensor: tf.zerosLike(v) }]);
          await importOptimizerState(opt, saved);
        }
        const g = tf.tensor(randomData(64, 7 + t), [64]);
        opt.applyGradients([{ name: v.name, tensor: g }]);
        g.dispose();
      }
      const out = v.dataSync().slice();
      opt.dispose();
      v.dispose();
      return out;
    };
    expect(Array.from(await run(true))).toEqual(Array.from(await run(false)));
  });
});
