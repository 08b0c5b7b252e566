/**
 * The step before building a model to train on a backend: route the tfjs-layers classes of the
 * kinds that have a fused training variant (batchnorm, conv, dropout: `LayerKind.fusedTraining`,
 * src/backend/fused*.ts) through ferc's fused training ops, on the backend that has their kernels:
 * wasm, where backend selection registers ferc's kernels. tfjs-layers has no hook for this, so
 * each install patches its layer class of `tfl` (once per module instance); inference and every
 * other case still run the layers' own code.
 */
import type { Tfl } from "../layers/kind.js";
import { LAYER_KINDS } from "../layers/registry.js";

/** ferc's backend names whose training runs the fused layers. */
const FUSED_LAYER_BACKENDS: readonly string[] = ["wasm"];

export async function prepareLayers(tfl: Tfl, backend: string): Promise<void> {
  if (!FUSED_LAYER_BACKENDS.includes(backend)) return;
  for (const kind of LAYER_KINDS) await kind.fusedTraining?.(tfl);
}
