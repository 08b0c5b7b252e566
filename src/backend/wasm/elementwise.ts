/**
 * Add, Multiply, Relu and Step for wasm on ferc's thread pool, for large float32 tensors (stock
 * wasm runs them on one thread; they are memory-bound passes over whole activations: residual
 * adds, relus and their gradients). Same-shape operands only; broadcasts, other dtypes, small
 * tensors and Step with a non-zero alpha go to the stock kernels. NaN propagates as on cpu.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32, stockKernel } from "./kernelUtil.js";
import { nativeThreads, type NativeKernels } from "../native.js";

/** Below this many elements the stock kernel's single pass is cheaper than waking the pool. */
const MIN_ELEMENTS = 1 << 16;

const OPS = { Add: 0, Multiply: 1, Relu: 2, Step: 3 } as const;
type Op = keyof typeof OPS;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function kernel(native: NativeKernels, name: Op): WasmKernel {
  const binary = name === "Add" || name === "Multiply";
  return (args: KernelArgs) => {
    const { backend } = args;
    const ins = args.inputs as Record<string, tf.TensorInfo>;
    const a = binary ? ins["a"]! : ins["x"]!;
    const b = binary ? ins["b"]! : a;
    const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    if (a.dtype !== "float32" || b.dtype !== "float32" || !sameShape(a.shape, b.shape) ||
        util.sizeFromShape(a.shape) < MIN_ELEMENTS || (name === "Step" && alpha !== 0)) {
      return stockKernel(name)(args);
    }
    const out = backend.makeOutput(a.shape, "float32");
    const n = util.sizeFromShape(a.shape);
    native.elementwise(f32(backend, a), f32(backend, b), f32(backend, out), Int32Array.from([OPS[name], n, nativeThreads()]));
    return out;
  };
}

/** The four kernels by name, on the native addon. */
export function nativeElementwiseKernels(native: NativeKernels): Record<Op, WasmKernel> {
  return { Add: kernel(native, "Add"), Multiply: kernel(native, "Multiply"), Relu: kernel(native, "Relu"), Step: kernel(native, "Step") };
}
