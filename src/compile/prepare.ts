/**
 * The step before building a model to train on a backend: route tfjs-layers' BatchNormalization,
 * Conv2D and Dropout through ferc's fused training ops (src/backend/fused*.ts), on the backend
 * that has their kernels: wasm, where backend selection registers ferc's kernels. tfjs-layers has
 * no hook for this, so the install patches the layer classes of `tfl` (once per module instance);
 * inference and every other case still run the layers' own code.
 */
import type { Tfl } from "../layers/kind.js";

/** ferc's backend names whose training runs the fused layers. */
const FUSED_LAYER_BACKENDS: readonly string[] = ["wasm"];

export async function prepareLayers(tfl: Tfl, backend: string): Promise<void> {
  if (!FUSED_LAYER_BACKENDS.includes(backend)) return;
  // Imported here, not at the top: they load tfjs-layers, which a graph-only caller may not need.
  const [{ installFusedBatchNorm }, { installFusedConv2D }, { installFusedDropout }] = await Promise.all([
    import("../backend/fusedBatchNorm.js"),
    import("../backend/fusedConv.js"),
    import("../backend/fusedDropout.js"),
  ]);
  installFusedBatchNorm(tfl);
  installFusedConv2D(tfl);
  installFusedDropout(tfl);
}
