/**
 * How ferc names and classifies WebGPU adapters (no GPU needed): hardware adapters by vendor,
 * architecture and the API Dawn drives; software ones (SwiftShader, lavapipe, WARP) as software,
 * which auto selection never takes; and how the backend label reads in the header.
 */
import { describe, expect, it } from "vitest";
import { adapterPhrase, isSoftwareAdapter, summarizeAdapter } from "../../src/backend/webgpu.js";
import { backendLabel } from "../../src/ui/format.js";

const api = process.platform === "darwin" ? "Metal" : process.platform === "win32" ? "D3D12" : "Vulkan";

describe("webgpu adapters", () => {
  it("a hardware adapter: vendor, architecture and the native API", () => {
    const s = summarizeAdapter({ vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA: 580.159.04" });
    expect(s.software).toBe(false);
    expect(adapterPhrase(s)).toBe(`nvidia hopper, ${api}`);
    expect(backendLabel("webgpu", adapterPhrase(s))).toBe(`webgpu (nvidia hopper, ${api})`);
  });

  it("software adapters are recognised by the fallback flag or their names", () => {
    const swiftshader = { vendor: "google", architecture: "swiftshader", device: "swiftshader-device-subzero-", description: "SwiftShader driver 5.0.0", isFallbackAdapter: true };
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(adapterPhrase(summarizeAdapter(swiftshader))).toBe("SwiftShader, software");
    expect(isSoftwareAdapter({ vendor: "mesa", architecture: "", device: "llvmpipe (LLVM 15.0.6, 256 bits)", description: "Mesa 22.3.6" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "microsoft", architecture: "", device: "Microsoft Basic Render Driver", description: "" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "amd", architecture: "rdna-3", device: "", description: "AMD Radeon" })).toBe(false);
  });

  it("an adapter without names still gets a phrase", () => {
    expect(adapterPhrase(summarizeAdapter({ vendor: "", architecture: "", device: "", description: "" }))).toBe(`unknown adapter, ${api}`);
  });

  it("other backends keep their kernels after a comma", () => {
    expect(backendLabel("wasm", "native AVX-512, 2 threads")).toBe("wasm, native AVX-512, 2 threads");
    expect(backendLabel("cpu", undefined)).toBe("cpu");
  });
});
