/**
 * The model builder of the fastest backend that loads, for commands that only predict with a
 * run's weights outside `ferc run`/`eval` (`ferc report --mistakes`). tfjs is loaded here, on demand.
 */
import type { ModelBuilder } from "../compile/index.js";
import { UsageError } from "./args.js";

export async function inferenceBuilder(): Promise<ModelBuilder> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD silences tfjs's "install tfjs-node" banner.
  tf.env().set("PROD", true);
  const { selectBackend } = await import("../backend/select.js");
  let choice;
  try {
    choice = await selectBackend(undefined);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const tfl = await import("@tensorflow/tfjs-layers");
  const { modelBuilder } = await import("../compile/index.js");
  return modelBuilder(tfl, choice.name);
}
