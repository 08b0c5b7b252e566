/**
 * EBNF of the grammar, generated from the Chevrotain parser's own productions, so the document in
 * grammar/ can never describe a grammar other than the one that runs (a test compares them).
 */
import type { ISerializedGast } from "chevrotain";
import { ferParser } from "./grammar.js";
import { Lexer } from "./chevrotain.js";
import { ALL_TOKENS } from "./lexer.js";

interface Gast {
  type: string;
  name?: string;
  label?: string;
  pattern?: string;
  definition?: Gast[];
}

function seq(defs: readonly Gast[] | undefined): string {
  return (defs ?? []).map(item).filter((s) => s !== "").join(" ");
}

function item(g: Gast): string {
  switch (g.type) {
    case "NonTerminal":
      return g.name ?? "?";
    case "Terminal":
      return terminal(g);
    case "Option":
      return `[ ${seq(g.definition)} ]`;
    case "Repetition":
      return `{ ${seq(g.definition)} }`;
    case "RepetitionMandatory":
      return `${seq(g.definition)} { ${seq(g.definition)} }`;
    case "RepetitionWithSeparator":
    case "RepetitionMandatoryWithSeparator":
      return `{ ${seq(g.definition)} }`;
    case "Alternation":
      return `( ${(g.definition ?? []).map((alt) => seq(alt.definition)).join(" | ")} )`;
    case "Alternative":
      return seq(g.definition);
    default:
      return "";
  }
}

function terminal(g: Gast): string {
  const label = g.label ?? g.name ?? "?";
  return label.startsWith("'") ? `"${label.slice(1, -1)}"` : (g.name ?? label).toUpperCase();
}

/** The grammar as EBNF text (ISO-style braces for repetition, brackets for options). */
export function grammarEbnf(): string {
  const rules = ferParser().getSerializedGastProductions() as unknown as (ISerializedGast & Gast)[];
  const lines = [
    "(* The .fer grammar, generated from ferc's Chevrotain parser by `npm run grammar`. Do not edit. *)",
    "(* { x } repeats x zero or more times, [ x ] is optional, ( a | b ) is a choice. *)",
    "",
  ];
  for (const r of rules) lines.push(`${r.name} = ${seq(r.definition)} ;`);
  lines.push("", "(* Tokens *)");
  for (const t of ALL_TOKENS) {
    const pattern = t.PATTERN instanceof RegExp ? t.PATTERN.source : String(t.PATTERN);
    const skipped = t.GROUP === Lexer.SKIPPED || t.GROUP === "comments";
    lines.push(`${t.name.toUpperCase()} = ? /${pattern}/ ?${skipped ? " (* skipped *)" : ""} ;`);
  }
  return `${lines.join("\n")}\n`;
}
