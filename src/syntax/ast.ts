/**
 * The syntax tree of a `.fer` document.
 *
 * The surface grammar is deliberately uniform: a document is a list of statements, a statement is a
 * head word, arguments and an optional `{ block }` of further statements. Sections (`model { }`),
 * settings (`batch 128`) and layers (`conv 3x3 16 relu`) are all statements; what each may contain
 * is the schema's business (src/check/), not the parser's. This keeps error recovery simple, makes
 * `fmt` a printer of one node type, and lets each layer kind declare its own signature in one place.
 *
 *   document  := sep* (statement (sep+ statement)*)? sep*
 *   statement := WORD ["="] arg* [block]
 *   arg       := value ["=" value]
 *   value     := NUMBER | DIMS | STRING | WORD | "[" [value ("," value)*] "]"
 *   block     := "{" sep* (statement (sep+ statement)*)? sep* "}"
 *   sep       := NEWLINE | ";"
 */
import type { Span } from "../diagnostics.js";

export interface NumberValue {
  readonly kind: "number";
  /** Numeric value as written (unit not applied). */
  readonly value: number;
  /** Unit suffix as written: `deg`, `rad`, `%`, or undefined. */
  readonly unit?: string;
  /** Source text, kept so fmt can print numbers canonically without float noise. */
  readonly raw: string;
  readonly span: Span;
  /** Out of range (`1e999`): the parser reported it (F0004) and `value` is a stand-in 0. */
  readonly malformed?: true;
}

/** `3x3`, `48x48x1`. */
export interface DimsValue {
  readonly kind: "dims";
  readonly dims: readonly number[];
  readonly raw: string;
  readonly span: Span;
  /** A size out of range: the parser reported it (F0004) and such sizes read as 0. */
  readonly malformed?: true;
}

export interface StringValue {
  readonly kind: "string";
  readonly value: string;
  readonly span: Span;
}

/** A bare word: `relu`, `per-image`, `val.loss`, `block1.conv1`, a repeat variable. */
export interface WordValue {
  readonly kind: "word";
  readonly name: string;
  readonly span: Span;
}

export interface ListValue {
  readonly kind: "list";
  readonly items: readonly Value[];
  readonly span: Span;
}

export type Value = NumberValue | DimsValue | StringValue | WordValue | ListValue;

/** A positional argument (`key` undefined) or `key=value`. */
export interface Arg {
  readonly key?: WordValue;
  readonly value: Value;
  readonly span: Span;
}

export interface Statement {
  readonly kind: "statement";
  readonly head: WordValue;
  /** True for `train = usage "Training"` style statements. */
  readonly assign: boolean;
  readonly args: readonly Arg[];
  readonly block?: Block;
  readonly span: Span;
}

export interface Block {
  readonly statements: readonly Statement[];
  readonly span: Span;
  /** Span of the opening brace, for "block starts here" notes. */
  readonly open: Span;
  /** Its contents were nested too deep and cut out by the parser (reported there, F0003). */
  readonly elided?: true;
}

export interface Comment {
  /** Text including the leading `#` or `//`. */
  readonly text: string;
  readonly span: Span;
}

export interface Document {
  readonly statements: readonly Statement[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}
