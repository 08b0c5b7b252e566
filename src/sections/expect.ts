/**
 * The `expect { }` section's statements. Their readers are in src/check/expect.ts (the
 * assertions are compared with the checked model there, and accuracy after a run).
 */
import type { Signature } from "../schema/signature.js";
import type { SectionInfo } from "../schema/section.js";

const count = { t: "int", min: 0 } as const;
export const PARAMS_SIG: Signature = {
  options: [
    { name: "trainable", type: count, doc: "trainable parameters" },
    { name: "non-trainable", type: count, doc: "non-trainable parameters (batchnorm moving statistics)" },
    { name: "total", type: count, doc: "all parameters" },
  ],
};

export const EXPECT: SectionInfo = {
  name: "expect",
  summary: "assertions about the checked model, and accuracy after a run",
  sorted: false,
  statements: [
    { head: "params", signature: PARAMS_SIG, repeatable: true },
    { head: "shape", usage: "shape LAYER = HxWxC", doc: "the layer's output shape (a vector: shape dense1 = 256)", repeatable: true },
    { head: "accuracy", usage: "accuracy val|test >= X", doc: "checked by ferc run and ferc eval: accuracy on the split at least X (a fraction, or %)", words: ["val", "test", ">="], repeatable: true },
  ],
};
