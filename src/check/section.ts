/**
 * Walking the statements of a settings section (`train { }`, `augment { }`, ...): dispatch on the
 * head word, report unknown heads with a did-you-mean, duplicates, and blocks where none belong.
 */
import { diagnostic, hintFor, type Diagnostic } from "../diagnostics.js";
import type { Block, Statement } from "../syntax/ast.js";

export interface StatementRule {
  readonly run: (stmt: Statement) => void;
  /** The statement carries a block (`split { }`). */
  readonly block?: boolean;
  /** May appear more than once (`drop`, preprocess steps). */
  readonly repeatable?: boolean;
}

export function walkSection(section: string, block: Block | undefined, rules: Readonly<Record<string, StatementRule>>, ds: Diagnostic[]): void {
  const seen = new Map<string, number>();
  for (const stmt of block?.statements ?? []) {
    const head = stmt.head.name;
    const rule = Object.prototype.hasOwnProperty.call(rules, head) ? rules[head] : undefined;
    if (!rule) {
      const known = Object.keys(rules);
      ds.push(diagnostic("F0102", `${section}: unknown statement "${head}"`, stmt.head.span, hintFor(head, known) ?? `${section} takes: ${known.join(", ")}`));
      continue;
    }
    const line = seen.get(head);
    if (line !== undefined && !rule.repeatable) {
      ds.push(diagnostic("F0107", `${section}: ${head} is already set (line ${line})`, stmt.head.span, "remove one of them"));
      continue;
    }
    seen.set(head, stmt.head.span.line);
    if (rule.block && !stmt.block) ds.push(diagnostic("F0111", `${section}: ${head} needs a block { ... }`, stmt.span));
    if (!rule.block && stmt.block) ds.push(diagnostic("F0110", `${section}: ${head} does not take a block`, stmt.block.open));
    rule.run(stmt);
  }
}
