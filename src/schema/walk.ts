/**
 * Walking the statements of a settings section (`train { }`, `augment { }`, ...): dispatch on the
 * head word, report unknown heads with a did-you-mean, duplicates, and blocks where none belong.
 * Which heads exist, which carry a block and which may repeat is the section's declaration
 * (src/sections/); the caller gives only what each statement does.
 */
import { diagnostic, hintFor, type Diagnostic } from "../diagnostics.js";
import type { SectionInfo } from "./info.js";
import type { Block, Statement } from "../syntax/ast.js";

export type StatementRunners = Readonly<Record<string, (stmt: Statement) => void>>;

export function walkSection(section: SectionInfo, block: Block | undefined, run: StatementRunners, ds: Diagnostic[]): void {
  const name = section.name;
  const known = section.statements.map((s) => s.head);
  const seen = new Map<string, number>();
  for (const stmt of block?.statements ?? []) {
    const head = stmt.head.name;
    const rule = section.statements.find((s) => s.head === head);
    const runner = Object.prototype.hasOwnProperty.call(run, head) ? run[head] : undefined;
    if (!rule || !runner) {
      ds.push(diagnostic("F0102", `${name}: unknown statement "${head}"`, stmt.head.span, hintFor(head, known) ?? `${name} takes: ${known.join(", ")}`));
      continue;
    }
    const line = seen.get(head);
    if (line !== undefined && !rule.repeatable) {
      ds.push(diagnostic("F0107", `${name}: ${head} is already set (line ${line})`, stmt.head.span, "remove one of them"));
      continue;
    }
    seen.set(head, stmt.head.span.line);
    const takesBlock = rule.block === true || rule.section !== undefined;
    if (takesBlock && !stmt.block) ds.push(diagnostic("F0111", `${name}: ${head} needs a block { ... }`, stmt.span));
    if (!takesBlock && stmt.block) ds.push(diagnostic("F0110", `${name}: ${head} does not take a block`, stmt.block.open));
    runner(stmt);
  }
}
