/**
 * Plain lines for non-TTY output (CI logs, pipes): a start summary, one line per epoch, and an
 * end summary; batch events are dropped (they would flood a log).
 */
import { distillText, type TrainEvent } from "../train/events.js";
import { backendLabel, duration, fixed, lrText, pct, plural, table } from "./format.js";

export function formatPlain(e: TrainEvent): string[] {
  switch (e.type) {
    case "run-start": {
      const c = e.cleaning;
      return [
        `ferc run ${e.spec} on ${backendLabel(e.backend, e.kernels)}${e.runDir ? ` -> ${e.runDir}` : ""}${e.resumedFromEpoch !== undefined ? ` (resumed after epoch ${e.resumedFromEpoch})` : ""}`,
        `data: train ${e.counts.train}, val ${e.counts.val}, test ${e.counts.test}; cleaning dropped ${c.blank} blank, ${plural(c.duplicates, "duplicate")}; augment ${e.augment ? "on" : "off"}; ${plural(e.epochs, "epoch")}, batch ${e.batch}`,
        ...(e.distill ? [`distill: ${distillText(e.distill)}`] : []),
      ];
    }
    case "epoch-end": {
      const w = String(e.epochs).length;
      return [
        `epoch ${String(e.epoch).padStart(w)}/${e.epochs}  loss ${fixed(e.loss)}  acc ${pct(e.acc)}  val_loss ${fixed(e.valLoss)}  val_acc ${pct(e.valAcc)}  lr ${lrText(e.lr)}  ${duration(e.timeMs / 1000)}  best ${e.bestEpoch}${e.improved ? " *" : ""}${e.patienceLeft !== undefined ? `  patience ${e.patienceLeft}` : ""}`,
      ];
    }
    case "early-stop":
      return [`early stop at epoch ${e.epoch}: no ${e.monitor} improvement since epoch ${e.bestEpoch}${e.restoredBest ? " (best weights restored)" : ""}`];
    case "nan":
      return [`error: ${e.message}`];
    case "interrupted":
      return [`interrupted at epoch ${e.epoch}, batch ${e.batch}${e.checkpointSaved ? "; checkpoint saved" : ""}`];
    case "test-result":
      return [
        `test: accuracy ${pct(e.acc, 2)}  loss ${fixed(e.loss)}  macro F1 ${e.macroF1.toFixed(3)}  (n=${e.n})`,
        ...table(
          ["class", "precision", "recall", "F1", "support"],
          e.perClass.map((c) => [c.name, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support)]),
        ).map((l) => `  ${l}`),
        "confusion (rows true, columns predicted):",
        ...table(["", ...e.classes], e.confusion.map((row, i) => [e.classes[i]!, ...row.map(String)])).map((l) => `  ${l}`),
      ];
    case "done":
      return [
        `${e.status} (${e.reason}) after ${plural(e.epochsDone, "epoch")} in ${duration(e.elapsedMs / 1000)}${e.testAcc !== undefined ? `; test accuracy ${pct(e.testAcc, 2)}` : ""}${e.runDir ? `; run ${e.runDir}` : ""}${e.reason === "error" && e.message ? `: ${e.message}` : ""}`,
      ];
    case "phase":
    case "epoch-start":
    case "batch":
      return [];
  }
}
