/** The `sweep { }` section's statements; src/variation/section.ts reads them (vary with its own reader). */
import type { Signature } from "../schema/signature.js";
import type { SectionInfo } from "../schema/section.js";

export const SWEEP_SIGS: Readonly<Record<"samples" | "seed", Signature>> = {
  samples: { options: [{ name: "count", type: { t: "int", min: 1, max: 100000 }, required: true, positional: true, doc: "seeded random sample of this many grid points (default: the whole grid)" }] },
  seed: { options: [{ name: "value", type: { t: "int", min: 0, max: 2 ** 31 - 1 }, required: true, positional: true, doc: "seed of the sampling (default 0)" }] },
};

export const SWEEP: SectionInfo = {
  name: "sweep",
  summary: "the trials `ferc sweep` runs",
  sorted: false,
  statements: [
    {
      head: "vary",
      usage: "vary PATH [V1, V2, ...]",
      doc: "the setting, as ferc diff names it (train.batch, train.optimizer.lr, augment.rotate, model.<layer>.<option>, model.<repeat>.<variable>), and a list of one or more values written as in a spec",
      repeatable: true,
    },
    { head: "samples", signature: SWEEP_SIGS.samples },
    { head: "seed", signature: SWEEP_SIGS.seed },
  ],
};
