/**
 * One phrase saying which kernels a run computes with, for the dashboard header, the plain
 * output and run.yaml: "native AVX-512, 2 threads", "native AVX2, 16 threads", "portable (why)",
 * or on webgpu the adapter: "nvidia hopper, Vulkan", "SwiftShader, software".
 * An installed ferc without its addon trains 2-3x slower; this makes that visible, with the fix.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { nativeKernels, nativeStatus, nativeThreads } from "../backend/native.js";
import { adapterPhrase, webGpuAdapter } from "../backend/webgpu.js";

/** The addon's optional introspection (older builds lack it). */
interface AddonInfo {
  isa?: () => string;
  defaultThreads?: () => number;
}

const BUILD_SCRIPT = fileURLToPath(new URL("../../native/build.mjs", import.meta.url));

export function kernelSummary(backend: string): string {
  if (backend === "tfjs-node" || backend === "tfjs-node-gpu") return "TensorFlow C library";
  if (backend === "cpu") return "portable (cpu backend: tfjs reference kernels)";
  if (backend === "webgpu") {
    const gpu = webGpuAdapter();
    return gpu ? adapterPhrase(gpu) : "adapter unknown";
  }
  const k = nativeKernels() as (ReturnType<typeof nativeKernels> & AddonInfo) | null;
  if (k === null) return `portable (${whyPortable(nativeStatus())})`;
  const isa = typeof k.isa === "function" ? k.isa() : "AVX2";
  const threads = nativeThreads() || (typeof k.defaultThreads === "function" ? k.defaultThreads() : availableParallelism());
  return `native ${isa}, ${threads} thread${threads === 1 ? "" : "s"}`;
}

/** The loader's error, as something a user can act on. */
function whyPortable(error: string): string {
  if (error.startsWith("disabled")) return error;
  if (/cannot find module/i.test(error)) return `native addon not built; node ${BUILD_SCRIPT} builds it`;
  return `native addon does not load: ${error}`;
}
