/**
 * What a section and its statements declare, whatever IR they build: the names, signatures and
 * block rules that the walk (walk.ts), the docs, fmt's ordering and the fuzzer read. Kept apart
 * from section.ts (which adds the IR hooks and checks a section with the walk) so the walk does
 * not import what imports it.
 */
import type { Signature } from "./signature.js";

/** What every statement declares, whatever IR its section builds: the docs, fmt and the fuzzer need only this. */
export interface StatementInfo {
  readonly head: string;
  /** How its arguments bind; absent for a statement that reads its own arguments (then `usage` and `doc` say how). */
  readonly signature?: Signature;
  readonly usage?: string;
  readonly doc?: string;
  /** Words its own reader accepts (`balanced`, `usage`, `of`), for the fuzzer's vocabulary. */
  readonly words?: readonly string[];
  /** Carries a block: the section nested in it (`split { }`), or `true` for one read by its own reader. */
  readonly section?: SectionInfo;
  readonly block?: boolean;
  /** May be written more than once (`drop`, preprocess steps). */
  readonly repeatable?: boolean;
}

export interface SectionInfo {
  readonly name: string;
  readonly summary: string;
  /** Statements in canonical order. */
  readonly statements: readonly StatementInfo[];
  /**
   * `fmt` sorts the statements into canonical order (settings, where order means nothing);
   * otherwise written order is kept (steps, layers and assertions, where it matters or reads so).
   */
  readonly sorted: boolean;
}
