/**
 * WebGPU in Node: Dawn's Node bindings (the npm package `webgpu`, an optional dependency that
 * ships `dawn.node` for each platform and downloads nothing) under `@tensorflow/tfjs-backend-webgpu`.
 * Dawn drives Vulkan on Linux, Metal on macOS and D3D12 on Windows, so this is the GPU route that
 * works on current drivers (tfjs-node-gpu pins CUDA 11.2 / cuDNN 8).
 *
 * ferc chooses the adapter itself, then registers a backend factory that builds tfjs' WebGPUBackend
 * on exactly that adapter: the adapter that is described in run.yaml is the one that computes.
 * A software adapter (SwiftShader, lavapipe, WARP) is correct but slow, so it is taken only when
 * the caller allows it (`--backend webgpu`), never in auto selection.
 */
import * as tf from "@tensorflow/tfjs-core";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** What run.yaml, the dashboard and `--help` say about the adapter. */
export interface GpuAdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  /** The driver's own words ("SwiftShader driver 5.0.0", "NVIDIA: 580.159.04"). */
  readonly description: string;
  /** A CPU implementation of the GPU API: correct, far slower than the CPU backends. */
  readonly software: boolean;
  /** The native API Dawn drives on this platform. */
  readonly api: string;
}

/** The slice of the WebGPU API ferc touches (Dawn implements the whole standard). */
interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean;
}
interface Device {
  destroy(): void;
  readonly lost: Promise<{ readonly reason: string; readonly message: string }>;
}
interface Adapter {
  readonly info: AdapterInfo;
  readonly features: ReadonlySet<string>;
  readonly limits: Readonly<Record<string, number>>;
  requestDevice(descriptor?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<Device>;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: "high-performance" | "low-power" }): Promise<Adapter | null>;
}
interface DawnModule {
  create(flags: string[]): Gpu;
  readonly globals: object;
}
type WebGpuBackendClass = new (device: Device, info: AdapterInfo) => tf.KernelBackend & { readSync(dataId: object): unknown };

/** Options for `loadWebGpu`. */
export interface WebGpuOptions {
  /** Take a software adapter when no hardware one exists (an explicit `--backend webgpu`). */
  readonly allowSoftware: boolean;
}

interface Active {
  readonly adapter: Adapter;
  readonly summary: GpuAdapterSummary;
}

let active: Active | null = null;
let initError = "";

/**
 * Places of SwiftShader's Vulkan driver manifest: Debian's `chromium` package and Google Chrome
 * ship it. `FERC_SWIFTSHADER_ICD` names another one.
 */
function swiftShaderManifests(): string[] {
  const own = process.env["FERC_SWIFTSHADER_ICD"];
  return [
    ...(own ? [own] : []),
    "/usr/lib/chromium/vk_swiftshader_icd.json",
    "/usr/lib64/chromium-browser/vk_swiftshader_icd.json",
    "/opt/google/chrome/vk_swiftshader_icd.json",
  ];
}

/** Dawn's native API on this platform (its adapter info does not say). */
function nativeApi(): string {
  if (process.platform === "darwin") return "Metal";
  if (process.platform === "win32") return "D3D12";
  return "Vulkan";
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|warp/i;

export function isSoftwareAdapter(info: AdapterInfo): boolean {
  return info.isFallbackAdapter === true || SOFTWARE.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

export function summarizeAdapter(info: AdapterInfo): GpuAdapterSummary {
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    software: isSoftwareAdapter(info),
    api: nativeApi(),
  };
}

/**
 * The phrase shown beside the backend: "nvidia hopper, Vulkan" for hardware, "SwiftShader,
 * software" for a software driver (its vendor/architecture fields name the emulator, not a GPU).
 */
export function adapterPhrase(s: GpuAdapterSummary): string {
  if (s.software) {
    const name = /swiftshader/i.test(`${s.architecture} ${s.description}`) ? "SwiftShader" : s.description || s.architecture || s.vendor;
    return `${name}, software`;
  }
  const what = [s.vendor, s.architecture].filter((x) => x !== "").join(" ") || s.description || "unknown adapter";
  return `${what}, ${s.api}`;
}

/**
 * Whether a hardware adapter can exist here without asking Dawn. On Linux a GPU is a device node
 * (DRM render nodes, NVIDIA's, WSL's /dev/dxg); without one, probing Vulkan only loads software
 * drivers that print warnings on stderr, which auto selection must not do on every command.
 */
function hardwarePossible(): boolean {
  if (process.platform !== "linux") return true;
  return existsSync("/dev/dri") || existsSync("/dev/nvidia0") || existsSync("/dev/nvidiactl") || existsSync("/dev/dxg");
}

async function importDawn(): Promise<DawnModule> {
  try {
    // A literal specifier, so a bundler (scripts/gpu-check) sees it.
    return (await import("webgpu")) as unknown as DawnModule;
  } catch (e) {
    throw new Error(`the optional package 'webgpu' (Dawn) is not installed or does not load here (${firstLine(e)}); npm install webgpu`);
  }
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n")[0] ?? m;
}

/**
 * Mesa's and SwiftShader's Wayland code print "XDG_RUNTIME_DIR is invalid" to stderr when it is
 * unset (a plain ssh or CI shell); a private runtime directory keeps the terminal clean.
 */
function quietDrivers(): void {
  if (process.env["XDG_RUNTIME_DIR"] || process.platform !== "linux") return;
  const dir = path.join(tmpdir(), `ferc-runtime-${process.getuid?.() ?? "user"}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env["XDG_RUNTIME_DIR"] = dir;
  } catch {
    // Only cosmetic: the drivers print their line and work anyway.
  }
}

/**
 * Every Dawn instance made, kept alive for the life of the process: an adapter refers to its
 * instance's native state without holding the JS object, so a collected instance makes the
 * adapter's requestDevice read freed memory (seen: a segfault in Flags::Get).
 */
const instances: Gpu[] = [];

async function requestAdapter(dawn: DawnModule): Promise<Adapter | null> {
  const gpu = dawn.create([]);
  instances.push(gpu);
  return gpu.requestAdapter({ powerPreference: "high-performance" });
}

/** A hardware adapter, else (when allowed) a software one: SwiftShader when no driver is configured. */
async function findAdapter(dawn: DawnModule, opts: WebGpuOptions): Promise<Adapter> {
  let found: Adapter | null = null;
  // VK_ICD_FILENAMES / VK_DRIVER_FILES set by the user: that is the driver list, probe it as is.
  const userDrivers = process.env["VK_ICD_FILENAMES"] ?? process.env["VK_DRIVER_FILES"];
  if (hardwarePossible() || userDrivers !== undefined) found = await requestAdapter(dawn);
  if (found && !isSoftwareAdapter(found.info)) return found;
  if (!opts.allowSoftware) {
    throw new Error(found ? `only a software adapter (${adapterPhrase(summarizeAdapter(found.info))}); ask for it with --backend webgpu` : "no GPU adapter (no GPU device or driver found)");
  }
  if (found) return found;
  const manifest = swiftShaderManifests().find((m) => existsSync(m));
  if (manifest === undefined) {
    throw new Error("no GPU adapter, and no software one: install a GPU driver (Vulkan, Metal, D3D12), or Debian's chromium package for SwiftShader (a software GPU for tests)");
  }
  // The Vulkan loader reads the driver list at each instance creation, so a second Dawn instance
  // sees SwiftShader alone.
  process.env["VK_ICD_FILENAMES"] = manifest;
  found = await requestAdapter(dawn);
  if (!found) throw new Error(`no GPU adapter: SwiftShader (${manifest}) did not load`);
  return found;
}

/** The device tfjs computes on: the limits tfjs asks for, timestamps when the adapter has them. */
async function openDevice(adapter: Adapter): Promise<Device> {
  const limits = adapter.limits;
  const requiredLimits: Record<string, number> = {};
  for (const k of ["maxComputeWorkgroupStorageSize", "maxComputeWorkgroupsPerDimension", "maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupSizeX", "maxComputeInvocationsPerWorkgroup"]) {
    const v = limits[k];
    if (typeof v === "number") requiredLimits[k] = v;
  }
  const requiredFeatures = adapter.features.has("timestamp-query") ? ["timestamp-query"] : [];
  return adapter.requestDevice({ requiredFeatures, requiredLimits });
}

/**
 * tfjs-webgpu serves synchronous reads through an OffscreenCanvas, which Node lacks: a read would
 * hang or fail deep inside tfjs. ferc's training, evaluation and checkpoint paths read
 * asynchronously; anything else that reads synchronously fails here with a message that says so.
 */
function refuseSyncReads(backend: { readSync(dataId: object): unknown }): void {
  backend.readSync = () => {
    throw new Error("a synchronous tensor read (dataSync/arraySync) on the webgpu backend: Node cannot serve it; read with await tensor.data()");
  };
}

/**
 * Find an adapter, import tfjs-backend-webgpu and register the `webgpu` backend on that adapter.
 * Throws (with the reason) when no usable adapter exists. Idempotent.
 */
export async function loadWebGpu(opts: WebGpuOptions): Promise<GpuAdapterSummary> {
  if (active) {
    if (active.summary.software && !opts.allowSoftware) throw new Error(`only a software adapter (${adapterPhrase(active.summary)})`);
    return active.summary;
  }
  if (!opts.allowSoftware && !hardwarePossible()) throw new Error("no GPU adapter (no GPU device: /dev/dri, /dev/nvidia*)");
  const dawn = await importDawn();
  quietDrivers();
  // GPUBufferUsage, GPUMapMode, ...: tfjs-webgpu reads them as globals, as in a browser.
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  const adapter = await findAdapter(dawn, opts);
  // tfjs-webgpu registers itself only if navigator.gpu exists when it is imported.
  const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as { gpu?: unknown };
  if (nav.gpu === undefined) {
    Object.defineProperty(globalThis, "navigator", { value: { ...nav, gpu: { requestAdapter: async () => adapter } }, configurable: true, writable: true });
  }
  const mod = (await import("@tensorflow/tfjs-backend-webgpu")) as unknown as { WebGPUBackend: WebGpuBackendClass };
  // Replace the package's own factory (which would pick its own adapter) with one on ours.
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  tf.registerBackend(
    "webgpu",
    async () => {
      try {
        const backend = new mod.WebGPUBackend(await openDevice(adapter), adapter.info);
        refuseSyncReads(backend);
        return backend;
      } catch (e) {
        // tfjs turns a failed factory into setBackend() === false and logs the cause only
        // outside PROD: keep it for the error message.
        initError = firstLine(e);
        throw e;
      }
    },
    3,
  );
  active = { adapter, summary: summarizeAdapter(adapter.info) };
  return active.summary;
}

/** Why the backend's initialisation failed, if it did ("" otherwise). */
export function webGpuInitError(): string {
  return initError;
}

/** The adapter in use, once `loadWebGpu` succeeded. */
export function webGpuAdapter(): GpuAdapterSummary | null {
  return active?.summary ?? null;
}
