/** The compile stage: SpecIR → tfjs-layers model, and its canonical topology JSON. */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { SpecIR } from "../ir.js";
import type { Tfl } from "../layers/kind.js";
import { compileModel } from "./tfjs.js";
import { prepareLayers } from "./prepare.js";

export { compileModel } from "./tfjs.js";
export { prepareLayers } from "./prepare.js";
export { modelTopology } from "./topology.js";
export { layerSeed } from "./seed.js";

/** Builds the untrained model of a spec. */
export type ModelBuilder = (spec: SpecIR) => LayersModel;

/**
 * Compiling for a backend that was selected (and activated) already: first the layers are
 * prepared for it (fused training ops where it has their kernels), then each call builds a model.
 * Everything that trains, evaluates or predicts gets its models here.
 */
export async function modelBuilder(tfl: Tfl, backend: string): Promise<ModelBuilder> {
  await prepareLayers(tfl, backend);
  return (spec) => compileModel(spec, tfl);
}
