/**
 * `ferc check --backend NAME`: kernels the spec's training step needs that the backend lacks.
 * The backend is judged as `ferc run` would use it: activated through selectBackend, which
 * registers ferc's own training kernels (wasm's Conv2DBackpropFilter, MaxPoolGrad, ...); the stock
 * registry alone would report kernels ferc supplies.
 */
import { diagnostic, hintFor, joinSpans, NO_SPAN, type Diagnostic } from "../diagnostics.js";
import type { SpecIR } from "../ir.js";
import { UsageError } from "./args.js";
import { loadTfjsForGraphs } from "./tfjs.js";

/** tfjs's registry name for ferc's backend name. */
const registryName = (backend: string): string => (backend === "tfjs-node" || backend === "tfjs-node-gpu" ? "tensorflow" : backend);

/**
 * Activate `requested` as ferc configures it for training. An unknown name or a backend that
 * does not load is a usage error (exit 2), as for `ferc run --backend`.
 */
export async function prepareCheckBackend(requested: string): Promise<string> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD silences tfjs's "install tfjs-node" banner on stderr.
  tf.env().set("PROD", true);
  const { BACKEND_NAMES, selectBackend } = await import("../backend/select.js");
  if (!BACKEND_NAMES.includes(requested)) {
    const hint = hintFor(requested, BACKEND_NAMES);
    throw new UsageError(`--backend: unknown backend "${requested}"${hint ? ` (${hint})` : ""}; known: ${BACKEND_NAMES.join(", ")}`);
  }
  try {
    return (await selectBackend(requested)).name;
  } catch (e) {
    throw new UsageError(`--backend ${requested}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * F0403 diagnostics, one per kernel a training step of `spec` needs that `backend` (already
 * activated by prepareCheckBackend) lacks. They point at the model section: a kernel belongs to
 * the training step of the whole stack, not reliably to one layer.
 */
export async function kernelDiagnostics(backend: string, spec: SpecIR): Promise<Diagnostic[]> {
  const tfl = await loadTfjsForGraphs();
  const tf = await import("@tensorflow/tfjs-core");
  const { compileModel } = await import("../compile/index.js");
  const { trainingKernelNames, missingTrainingKernels } = await import("../train/kernels.js");
  const { BACKEND_NAMES } = await import("../backend/select.js");
  const model = compileModel(spec, tfl);
  let missing: string[];
  try {
    missing = missingTrainingKernels(backend, await trainingKernelNames(model, { distill: spec.train.distill !== undefined }));
  } finally {
    model.dispose();
  }
  const layers = spec.model.layers;
  const span = layers.length > 0 ? joinSpans(layers[0]!.span, layers[layers.length - 1]!.span) : NO_SPAN;
  return missing.map((k) => {
    // Other backends whose package is loaded here and that have the kernel: a concrete way out.
    const others = BACKEND_NAMES.filter((b) => registryName(b) !== registryName(backend) && tf.getKernel(k, registryName(b)) !== undefined);
    const hint = others.length > 0
      ? `train on a backend that has it (--backend ${others.join(" or --backend ")}), or change the layers that need it`
      : "no installed backend has it; change the layers that need it";
    return diagnostic("F0403", `backend ${backend} lacks kernel ${k}, which a training step of this spec needs`, span, hint);
  });
}
