/** ferc's wasm training kernels vs the cpu backend, portable path only (FERC_NATIVE=0). */
import { kernelSuites } from "./kernelSuites.js";

kernelSuites("portable");
