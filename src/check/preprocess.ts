/** `preprocess { scale; standardize per-image|dataset }`: steps kept in written order. */
import type { Diagnostic } from "../diagnostics.js";
import type { PreprocessIR, PreprocessStepIR } from "../ir.js";
import type { Signature } from "../layers/signature.js";
import type { Statement } from "../syntax/ast.js";
import { bindStatement } from "./bind.js";
import { walkSection } from "./section.js";

const STANDARDIZE_SIG: Signature = {
  options: [{ name: "mode", type: { t: "enum", values: ["per-image", "dataset"] }, default: "per-image", positional: true, bare: true, doc: "per image, or with the train split's mean/std" }],
};

export function checkPreprocess(stmt: Statement | undefined, ds: Diagnostic[]): PreprocessIR {
  const steps: PreprocessStepIR[] = [];
  walkSection("preprocess", stmt?.block, {
    scale: {
      run: (s) => {
        bindStatement("scale", { options: [] }, s, ds);
        steps.push({ op: "scale" });
      },
    },
    standardize: {
      run: (s) => {
        const b = bindStatement("standardize", STANDARDIZE_SIG, s, ds);
        if (b.complete) steps.push({ op: "standardize", mode: b.options["mode"] as "per-image" | "dataset" });
      },
    },
  }, ds);
  return { steps };
}
