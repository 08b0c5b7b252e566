/**
 * Which tfjs kernels a training step needs, and which of those a backend lacks, so that
 * `ferc check --backend NAME` can fail early instead of mid-training.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { distillationLoss, weightedCrossEntropy } from "./loss.js";

/** Kernels in `kernelNames` with no implementation registered for `backendName`. */
export function missingTrainingKernels(backendName: string, kernelNames: string[]): string[] {
  const tfName = backendName === "tfjs-node" || backendName === "tfjs-node-gpu" ? "tensorflow" : backendName;
  return [...new Set(kernelNames)].filter((k) => tf.getKernel(k, tfName) === undefined).sort();
}

/**
 * Kernel names a training step of `model` runs (forward, backward, Adam update), found by
 * profiling one batch-1 step on the reference cpu backend. The model's weights are not changed:
 * gradients are computed but only a throw-away variable is updated, to list Adam's kernels.
 */
export async function trainingKernelNames(model: LayersModel, o: { readonly distill?: boolean } = {}): Promise<string[]> {
  await import("@tensorflow/tfjs-backend-cpu");
  const previous = tf.getBackend();
  await tf.setBackend("cpu");
  try {
    const inShape = model.inputs[0]?.shape.slice(1) as number[];
    const outShape = model.outputs[0]?.shape.slice(1) as number[];
    const info = await tf.profile(() => {
      const x = tf.randomNormal([1, ...inShape]);
      const y = tf.reshape(tf.oneHot(tf.tensor1d([0], "int32"), outShape[0] ?? 1), [1, ...outShape]);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      // A distilling spec's step adds the softened teacher term (src/train/loss.ts distillationLoss).
      const { value, grads } = tf.variableGrads(() => {
        const p = model.apply(x, { training: true }) as tf.Tensor;
        return o.distill ? distillationLoss(tf.cast(y, "float32"), y, p, null, 2, 0.5) : weightedCrossEntropy(y, p, null);
      }, vars);
      value.dispose();
      tf.dispose(Object.values(grads));
      tf.dispose([x, y]);
      const probe = tf.variable(tf.zeros([2]));
      const adam = tf.train.adam();
      adam.minimize(() => tf.sum(tf.square(probe)) as tf.Scalar, false, [probe]);
      adam.dispose();
      probe.dispose();
    });
    // Op scope names (e.g. "fusedMatMul__op") appear among kernel names; keep real kernels only.
    return [...new Set(info.kernelNames)].filter((k) => !k.endsWith("__op")).sort();
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}
