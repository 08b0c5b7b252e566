/**
 * Small helpers for writing kernels for the wasm backend in TypeScript: run another wasm kernel
 * directly (no engine bookkeeping, no tape), view a tensor's bytes on the wasm heap, free
 * intermediates.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export type Attrs = tf.NamedAttrMap;
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs };
export type WasmKernel = (args: KernelArgs) => tf.TensorInfo;

/**
 * Stock wasm kernels captured before ferc overrides any of them, so an override can still
 * delegate to the original (e.g. the forward Conv2D used by the gradient kernels).
 */
const stock = new Map<string, WasmKernel>();

export function stockKernel(name: string): WasmKernel {
  let k = stock.get(name);
  if (k === undefined) {
    const cfg = tf.getKernel(name, "wasm");
    if (cfg === undefined) throw new Error(`wasm backend has no ${name} kernel`);
    k = cfg.kernelFunc as unknown as WasmKernel;
    stock.set(name, k);
  }
  return k;
}

/** Run a stock wasm kernel on tensor infos; the caller owns (and must free) the result. */
export function run(
  backend: BackendWasm,
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: Attrs = {},
): tf.TensorInfo {
  return stockKernel(name)({ inputs, backend, attrs });
}

/** Free kernel intermediates that never reached the engine. */
export function free(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/**
 * Float32 view of a tensor on the wasm heap. Take views only after the last allocation in a
 * kernel: growing the heap detaches earlier views.
 */
export function f32(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}
