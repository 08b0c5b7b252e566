/**
 * Canonical order of sections and of settings, from the section schemas (src/sections/). Only
 * collections whose order carries no meaning are sorted: the top-level sections and the sections
 * marked `sorted` (`dataset`, its `split`, `train`). Layers (`model`), preprocessing steps and
 * expect assertions keep their written order, because there it matters (or, for expect, is how
 * the author reads it).
 */
import { allSections, SECTION_NAMES, topSection } from "../sections/registry.js";
import type { Statement } from "../syntax/ast.js";

export const SECTION_ORDER: readonly string[] = SECTION_NAMES;

/** The canonical statement order of every section fmt sorts (`dataset`, `train`, `dataset { split }`), by section name. */
export const SETTING_ORDER: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  allSections()
    .filter((s) => s.sorted)
    .map((s) => [s.name, s.statements.map((st) => st.head)]),
);

export function orderedSections(statements: readonly Statement[]): Statement[] {
  return sortByOrder(statements, (s) => s.head.name, SECTION_ORDER);
}

/** The statements of `s`'s block in canonical order; `section` is the top-level section around s. */
export function orderedChildren(s: Statement, section: string): readonly Statement[] {
  const stmts = s.block?.statements ?? [];
  // `split` and `train` also name things inside other sections (`split { train = ... }`): the
  // schema is the top-level section itself, or a section nested directly in it (`dataset { split }`).
  const top = topSection(section)?.info;
  const schema = s.head.name === section ? top : top?.statements.find((st) => st.head === s.head.name)?.section;
  if (!schema?.sorted) return stmts;
  return sortByOrder(stmts, (x) => x.head.name, schema.statements.map((st) => st.head));
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
