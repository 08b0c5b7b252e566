/**
 * The pure grammar: a Chevrotain CST parser with error recovery, no semantic actions.
 * `src/syntax/build.ts` turns its CST into the syntax tree of `ast.ts`; `grammar/` documents it
 * (generated from this parser's productions by `src/syntax/ebnf.ts`).
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { CstParser, EOF } from "./chevrotain.js";
import {
  ALL_TOKENS,
  Comma,
  Compare,
  Dims,
  Equals,
  LBrace,
  LBracket,
  Newline,
  NumberLit,
  RBrace,
  RBracket,
  Semi,
  StringLit,
  UnterminatedString,
  Word,
} from "./lexer.js";

const describe = (t: { image: string; tokenType: TokenType }): string =>
  t.tokenType === EOF ? "end of file" : t.tokenType === Newline ? "end of line" : `'${t.image}'`;

const labelOf = (t: TokenType): string => t.LABEL ?? t.name;

export const UNMATCHED_BRACE = "unmatched '}'";
export const UNMATCHED_BRACKET = "unmatched ']'";

/** A token met where the document should end: a close there has nothing to close. */
const stray = (t: IToken): string =>
  t.tokenType === RBrace ? UNMATCHED_BRACE : t.tokenType === RBracket ? UNMATCHED_BRACKET : `unexpected ${describe(t)}`;

/** Short, human messages instead of Chevrotain's defaults ("expected EOF" means nothing to a user). */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) =>
    expected === EOF ? stray(actual) : `expected ${labelOf(expected)} but found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => stray(firstRedundant),
  buildNoViableAltMessage: ({ actual, ruleName }) =>
    `expected ${ruleName === "value" ? "a value" : `a ${ruleName}`} but found ${describe(actual[0] ?? { image: "", tokenType: EOF })}`,
  buildEarlyExitMessage: ({ actual, ruleName }) => `expected a ${ruleName} but found ${describe(actual[0] ?? { image: "", tokenType: EOF })}`,
};

export class FerParser extends CstParser {
  /** Syntax errors after which the rest of the input reads as its end (see `stopAfter`). */
  private errorBudget = Infinity;
  private readonly endOfInput: IToken = { image: "", startOffset: NaN, tokenType: EOF, tokenTypeIdx: EOF.tokenTypeIdx! };

  constructor() {
    super(ALL_TOKENS, { recoveryEnabled: true, errorMessageProvider: messages, maxLookahead: 2, nodeLocationTracking: "full" });
    this.performSelfAnalysis();
  }

  /**
   * Stop reading after `n` syntax errors (set after `input`, which resets the errors). Error
   * recovery scans ahead for a token to resume at, once per error, so on junk (1 MB of random
   * tokens) it cost minutes; past the errors anyone reads, the input is taken to end there.
   */
  stopAfter(n: number): void {
    this.errorBudget = n;
  }

  /** Chevrotain's documented hook for supplying tokens: nothing more once the budget is spent. */
  protected override LA(howMuch: number): IToken {
    // `_errors` is the parser's own list (the public `errors` getter copies it on each call).
    const saved = (this as unknown as { _errors?: unknown[] })._errors;
    if (saved !== undefined && saved.length > this.errorBudget) return this.endOfInput;
    return super.LA(howMuch);
  }

  /** document := (sep | statement)* */
  public document = this.RULE("document", () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.sep) }, { ALT: () => this.SUBRULE(this.statement) }]);
    });
  });

  /** sep := NEWLINE | ";" */
  public sep = this.RULE("sep", () => {
    this.OR([{ ALT: () => this.CONSUME(Newline) }, { ALT: () => this.CONSUME(Semi) }]);
  });

  /** statement := WORD ["="] arg* [block] */
  public statement = this.RULE("statement", () => {
    this.CONSUME(Word, { LABEL: "head" });
    this.OPTION(() => this.CONSUME(Equals, { LABEL: "assign" }));
    this.MANY(() => this.SUBRULE(this.arg));
    this.OPTION2(() => this.SUBRULE(this.block));
  });

  /** arg := value ["=" value] */
  public arg = this.RULE("arg", () => {
    this.SUBRULE(this.value, { LABEL: "first" });
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE2(this.value, { LABEL: "second" });
    });
  });

  /** value := NUMBER | DIMS | STRING | WORD | COMPARE | list */
  public value = this.RULE("value", () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLit) },
      { ALT: () => this.CONSUME(Dims) },
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.CONSUME(UnterminatedString) },
      { ALT: () => this.CONSUME(Word) },
      { ALT: () => this.CONSUME(Compare) },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  /**
   * list := "[" [value ("," value)*] [","] "]"   (newlines allowed inside)
   * The rule below also admits `[1,, 2]` (the value after a ',' is optional, for the trailing
   * comma); build.ts reports each such empty element, so it is never skipped silently.
   */
  public list = this.RULE("list", () => {
    this.CONSUME(LBracket);
    this.MANY(() => this.CONSUME(Newline));
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY2(() => this.CONSUME2(Newline));
      this.MANY3(() => {
        this.CONSUME(Comma);
        this.MANY4(() => this.CONSUME3(Newline));
        this.OPTION2(() => {
          this.SUBRULE2(this.value);
          this.MANY5(() => this.CONSUME4(Newline));
        });
      });
    });
    this.CONSUME(RBracket);
  });

  /** block := "{" (sep | statement)* "}" */
  public block = this.RULE("block", () => {
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.sep) }, { ALT: () => this.SUBRULE(this.statement) }]);
    });
    this.CONSUME(RBrace);
  });
}

let shared: FerParser | undefined;

/** One parser instance per process: building it (self-analysis) is the costly part. */
export function ferParser(): FerParser {
  shared ??= new FerParser();
  return shared;
}
