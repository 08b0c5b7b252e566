/** ferc's wasm training kernels vs the cpu backend, with the native AVX2 addon. */
import { kernelSuites } from "./kernelSuites.js";

kernelSuites("native");
