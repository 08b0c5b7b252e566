/** The compile stage: SpecIR → tfjs-layers model, and its canonical topology JSON. */
export { compileModel } from "./tfjs.js";
export { modelTopology } from "./topology.js";
export { layerSeed } from "./seed.js";
