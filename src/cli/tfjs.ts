/**
 * Loading tfjs for the commands: graphs only (check, compile: the cpu backend suffices), or the
 * backend a command computes on (run, eval, predict, report --mistakes).
 */
import type { Tfl } from "../layers/kind.js";
import type { ModelBuilder } from "../compile/index.js";
import { UsageError } from "./args.js";
import { kernelSummary } from "./kernelInfo.js";

export async function loadTfjsForGraphs(): Promise<Tfl> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD silences tfjs's "install tfjs-node" banner on stderr; ferc reports its own backend choice.
  tf.env().set("PROD", true);
  await import("@tensorflow/tfjs-backend-cpu");
  await tf.setBackend("cpu");
  return await import("@tensorflow/tfjs-layers");
}

interface PreparedTfjs {
  readonly tfl: Tfl;
  readonly backend: { readonly name: string; readonly reason: string; readonly kernels: string };
  /** Builds models on this backend: the layers prepared for it, then compiled (src/compile). */
  readonly buildModel: ModelBuilder;
}

/** Activates the backend (the fastest that loads unless one is named), loads tfjs-layers and prepares the model builder. */
export async function prepareTfjs(requested: string | undefined): Promise<PreparedTfjs> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD silences tfjs's "install tfjs-node" banner; ferc reports its own backend choice below.
  tf.env().set("PROD", true);
  const { selectBackend } = await import("../backend/select.js");
  let choice;
  try {
    choice = await selectBackend(requested);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const tfl = await import("@tensorflow/tfjs-layers");
  const { modelBuilder } = await import("../compile/index.js");
  const buildModel = await modelBuilder(tfl, choice.name);
  // Which kernels it computes with (native AVX2/AVX-512 or portable, and why): shown and recorded.
  return { tfl, backend: { name: choice.name, reason: choice.reason, kernels: kernelSummary(choice.name) }, buildModel };
}
