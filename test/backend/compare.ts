/**
 * Test helpers: run the same computation on the reference cpu backend and on wasm (with ferc's
 * kernels) from identical host data, and report the max abs difference per output.
 */
import { createRequire } from "node:module";
import "@tensorflow/tfjs-backend-cpu";
import { selectBackend } from "../../src/backend/select.js";

/**
 * tfjs-core as Node loads it (the CJS bundle, which registers all gradients). Under vitest a plain
 * import resolves the package's ESM build, which registers none; the engine and registries are
 * process-global, so both copies drive the same backends.
 */
const require = createRequire(import.meta.url);
export const tf = require("@tensorflow/tfjs-core") as typeof import("@tensorflow/tfjs-core");
// Gradients are registered by tfjs-layers' bundle (core's own entry points register none).
require("@tensorflow/tfjs-layers");
type Tensor = import("@tensorflow/tfjs-core").Tensor;

let ready: Promise<unknown> | undefined;
export function setupBackends(): Promise<unknown> {
  ready ??= selectBackend("wasm");
  return ready;
}

/** Deterministic N(0,1)-ish data (sum of uniforms) so failures reproduce. */
export function randomData(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() + next() + next() - 1.5;
  return out;
}

export type Computation = (inputs: Tensor[]) => Tensor[];

async function runOn(backend: string, f: Computation, data: { shape: number[]; values: Float32Array }[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(() => f(data.map((d) => tf.tensor(d.values, d.shape))));
  const vals = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return vals;
}

/** Max abs error of each output of `f` on wasm against cpu, and the max |reference| for scale. */
export async function compareWasmToCpu(
  f: Computation,
  data: { shape: number[]; values: Float32Array }[],
): Promise<{ err: number; scale: number }[]> {
  const ref = await runOn("cpu", f, data);
  const got = await runOn("wasm", f, data);
  return ref.map((r, i) => {
    const g = got[i]!;
    if (g.length !== r.length) throw new Error(`output ${i}: length ${g.length} vs ${r.length}`);
    let err = 0;
    let scale = 0;
    for (let j = 0; j < r.length; j++) {
      const d = Math.abs(r[j]! - g[j]!);
      // NaN must count as a failure, not be skipped by the comparison.
      err = Number.isNaN(d) ? Infinity : Math.max(err, d);
      scale = Math.max(scale, Math.abs(r[j]!));
    }
    return { err, scale };
  });
}
