/**
 * Whether the webgpu backend can run here, for the GPU tests: "" when it can, else why not (no
 * `webgpu` package, no adapter: on a machine without a GPU, install Debian's chromium for its
 * SwiftShader software driver). A software adapter is accepted: these tests are about
 * correctness, and CI has no GPU.
 */
import { loadWebGpu, adapterPhrase } from "../../src/backend/webgpu.js";
import { tf } from "../backend/compare.js";

let probed: Promise<string> | undefined;

export function webGpuUnavailable(): Promise<string> {
  probed ??= (async () => {
    try {
      const adapter = await loadWebGpu({ allowSoftware: true });
      if (!(await tf.setBackend("webgpu"))) return "the webgpu backend did not initialise";
      console.log(`webgpu adapter: ${adapterPhrase(adapter)} (${adapter.description})`);
      return "";
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  })();
  return probed;
}
