/** `ferc check --backend NAME`: kernels the spec's training step needs that the backend lacks. */
import { loadTfjsForGraphs } from "./tfjs.js";
import { checkText } from "./load.js";

export async function missingKernelsForSpec(backend: string, source: string, file: string): Promise<string[]> {
  const result = await checkText(source, file);
  if (!result.spec) return [];
  const tfl = await loadTfjsForGraphs();
  const { compileModel } = await import("../compile/index.js");
  const { trainingKernelNames, missingTrainingKernels } = await import("../backend/kernels.js");
  const model = compileModel(result.spec, tfl);
  try {
    const names = await trainingKernelNames(model);
    return missingTrainingKernels(backend, names).map((k) => `backend ${backend} lacks kernel ${k}, which a training step of this spec needs`);
  } finally {
    model.dispose();
  }
}
