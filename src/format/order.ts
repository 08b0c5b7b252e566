import type { Statement } from "../syntax/ast.js";
/**
 * Canonical order of sections and of settings. Only collections whose order carries no meaning
 * are sorted: the top-level sections and the settings of `dataset` and `train`. Layers (`model`),
 * preprocessing steps and expect assertions keep their written order, because there it matters
 * (or, for expect, is how the author reads it).
 */

export const SECTION_ORDER: readonly string[] = ["spec", "dataset", "preprocess", "augment", "model", "train", "expect", "sweep"];

export const SETTING_ORDER: Readonly<Record<string, readonly string[]>> = {
  dataset: ["source", "input", "classes", "split", "clean"],
  train: [
    "optimizer",
    "weight-decay",
    "schedule",
    "loss",
    "label-smoothing",
    "batch",
    "epochs",
    "early-stop",
    "class-weights",
    "tta",
    "ema",
    "seed",
  ],
  split: ["train", "val", "test"],
};

export function orderedSections(statements: readonly Statement[]): Statement[] {
  return sortByOrder(statements, (s) => s.head.name, SECTION_ORDER);
}

/** The statements of `s`'s block in canonical order; `section` is the top-level section around s. */
export function orderedChildren(s: Statement, section: string): readonly Statement[] {
  const stmts = s.block?.statements ?? [];
  const order = SETTING_ORDER[s.head.name];
  if (!order) return stmts;
  // `split` and `train` also name things inside other sections (`split { train = ... }`): only
  // the dataset's split and the train section itself are sorted.
  if (s.head.name === "split" && section !== "dataset") return stmts;
  if (s.head.name === "train" && section !== "train") return stmts;
  if (s.head.name === "dataset" && section !== "dataset") return stmts;
  return sortByOrder(stmts, (x) => x.head.name, order);
}

/**
 * Stable sort by position in `order`; names not listed keep their relative order after the
 * listed ones (the checker reports them; fmt must not lose or shuffle them).
 */
export function sortByOrder<T>(items: readonly T[], nameOf: (t: T) => string, order: readonly string[]): T[] {
  const rank = (t: T): number => {
    const i = order.indexOf(nameOf(t));
    return i < 0 ? order.length : i;
  };
  return items
    .map((item, index) => ({ item, index, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.index - b.index)
    .map((x) => x.item);
}
