/** Loading tfjs-layers for commands that only build graphs (no training): the cpu backend suffices. */
import type { Tfl } from "../layers/kind.js";

export async function loadTfjsForGraphs(): Promise<Tfl> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD silences tfjs's "install tfjs-node" banner on stderr; ferc reports its own backend choice.
  tf.env().set("PROD", true);
  await import("@tensorflow/tfjs-backend-cpu");
  await tf.setBackend("cpu");
  return await import("@tensorflow/tfjs-layers");
}
