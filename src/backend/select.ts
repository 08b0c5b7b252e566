/**
 * Backend selection for training. Auto order: tfjs-node-gpu > webgpu on a hardware adapter >
 * tfjs-node > wasm (with ferc's training kernels) > cpu. tfjs-node packages are optional peers
 * that ferc does not depend on, and `webgpu` (Dawn) is an optional dependency, so each is probed
 * with a guarded dynamic import and skipped when absent. A software WebGPU adapter (SwiftShader)
 * is used only when webgpu is asked for by name: it is for correctness tests, not speed.
 */
import * as tf from "@tensorflow/tfjs-core";
import { wasmDistDir } from "./wasmFiles.js";
import { registerWasmTrainingKernels } from "./wasm/register.js";
import { nativeStatus } from "./native.js";
import { adapterPhrase, loadWebGpu, webGpuInitError } from "./webgpu.js";

export interface BackendChoice {
  /** ferc's name for the backend: "tfjs-node-gpu" | "webgpu" | "tfjs-node" | "wasm" | "cpu". */
  name: string;
  /** Why this one was chosen, for logs and `--help`. */
  reason: string;
  /** Backends tried before it, with the reason each failed. */
  tried: { name: string; error: string }[];
}

interface Candidate {
  name: string;
  /** tfjs's registered backend name once loaded. */
  tfName: string;
  /**
   * Imports the package (registering the backend) and prepares it; throws if unusable.
   * `explicit`: the backend was asked for by name (webgpu then accepts a software adapter).
   */
  load(explicit: boolean): Promise<void>;
}

/** Import a package that may be absent without TypeScript needing its types. */
async function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

const candidates: Candidate[] = [
  {
    name: "tfjs-node-gpu",
    tfName: "tensorflow",
    async load() {
      await importOptional("@tensorflow/tfjs-node-gpu");
    },
  },
  {
    name: "webgpu",
    tfName: "webgpu",
    async load(explicit) {
      await loadWebGpu({ allowSoftware: explicit });
    },
  },
  {
    name: "tfjs-node",
    tfName: "tensorflow",
    async load() {
      await importOptional("@tensorflow/tfjs-node");
    },
  },
  {
    name: "wasm",
    tfName: "wasm",
    async load() {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      // Local files only: the default would fetch from a CDN / the module's URL.
      wasm.setWasmPaths(wasmDistDir());
    },
  },
  {
    name: "cpu",
    tfName: "cpu",
    async load() {
      await import("@tensorflow/tfjs-backend-cpu");
    },
  },
];

/** Names ferc knows, in auto-selection order. */
export const BACKEND_NAMES: readonly string[] = candidates.map((c) => c.name);

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n")[0] ?? m;
}

async function activate(c: Candidate, explicit: boolean): Promise<void> {
  await c.load(explicit);
  // setBackend resolves false (rather than throwing) when initialisation fails.
  const ok = await tf.setBackend(c.tfName);
  if (!ok) {
    const why = c.tfName === "webgpu" ? webGpuInitError() : "";
    throw new Error(`tf.setBackend('${c.tfName}') failed to initialise${why ? `: ${why}` : ""}`);
  }
  await tf.ready();
  // ferc's training kernels; the fused layers that use them are installed by the compile step
  // that builds the model (src/compile/prepare.ts prepareLayers).
  if (c.tfName === "wasm") registerWasmTrainingKernels();
}

/**
 * Load and activate a backend. With `requested`, only that one is tried and failure throws an
 * error listing those that do load; without it the first that loads in auto order wins.
 */
export async function selectBackend(requested?: string): Promise<BackendChoice> {
  const tried: { name: string; error: string }[] = [];
  if (requested !== undefined) {
    const c = candidates.find((k) => k.name === requested || k.tfName === requested);
    if (c === undefined) {
      throw new Error(`unknown backend '${requested}'; known: ${BACKEND_NAMES.join(", ")}`);
    }
    try {
      await activate(c, true);
      return { name: c.name, reason: "requested", tried };
    } catch (e) {
      const available = (await describeBackends()).filter((b) => b.available).map((b) => b.name);
      throw new Error(
        `backend '${requested}' cannot be loaded (${message(e)}); available: ${available.join(", ") || "none"}`,
      );
    }
  }
  for (const c of candidates) {
    try {
      await activate(c, false);
      const reason =
        tried.length === 0 ? "first in auto order" : `first that loads (${tried.map((t) => t.name).join(", ")} unavailable)`;
      return { name: c.name, reason, tried };
    } catch (e) {
      tried.push({ name: c.name, error: message(e) });
    }
  }
  throw new Error(`no tfjs backend loads: ${tried.map((t) => `${t.name}: ${t.error}`).join("; ")}`);
}

/** Which flavour of ferc's wasm kernels is in use, for `--help` and the benchmark. */
function wasmDetail(): string {
  const why = nativeStatus();
  return why === ""
    ? "ferc training kernels + native AVX2 conv/batch-norm/pool"
    : `ferc training kernels, portable (native addon unavailable: ${why})`;
}

export interface BackendInfo {
  name: string;
  available: boolean;
  /** Why it is unavailable, when it is. */
  detail: string;
}

/**
 * Which backends would load, without changing the active one (packages are imported, which only
 * registers factories). Used by `--help` and the benchmark.
 */
export async function describeBackends(): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  for (const c of candidates) {
    try {
      // webgpu: any adapter counts as available; the detail says which (a software one is taken
      // only when asked for by name).
      const gpu = c.name === "webgpu" ? await loadWebGpu({ allowSoftware: true }) : null;
      if (gpu === null) await c.load(false);
      const detail = c.name === "wasm" ? wasmDetail() : gpu ? adapterPhrase(gpu) + (gpu.software ? " (only with --backend webgpu)" : "") : "";
      out.push({ name: c.name, available: true, detail });
    } catch (e) {
      out.push({ name: c.name, available: false, detail: message(e) });
    }
  }
  return out;
}
