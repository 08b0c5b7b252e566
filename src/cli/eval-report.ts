/** Text report of `ferc eval`: headline, per-class table and confusion matrix (Markdown tables read well in a terminal too). */
import type { EvalResult } from "../train/events.js";
import { confusionMarkdown, perClassMarkdown } from "../report/index.js";

export function renderEval(r: EvalResult, backend: string): string {
  return [
    `${r.split}: accuracy ${(r.acc * 100).toFixed(2)}%  loss ${r.loss.toFixed(4)}  macro-F1 ${r.macroF1.toFixed(3)}  (${r.n} images${r.tta ? `, test-time ${r.tta} averaged` : ""}, backend ${backend})`,
    "",
    perClassMarkdown(r),
    "",
    confusionMarkdown(r),
  ].join("\n");
}
