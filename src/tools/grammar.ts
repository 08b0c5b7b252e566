/**
 * Generates grammar/: the EBNF (from the Chevrotain parser), the vocabulary reference (from the
 * layer registry and section schemas) and a TextMate grammar for editors. `npm run grammar`
 * writes them; test/grammar checks they are not stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { grammarEbnf } from "../syntax/ebnf.js";
import { vocabularyMarkdown } from "../check/vocabulary.js";
import { activation } from "../layers/activation.js";
import { LAYER_KINDS } from "../layers/registry.js";
import { SECTION_NAMES } from "../sections/registry.js";
import { ENSEMBLE_MEMBERS, ENSEMBLE_NAME } from "../sections/ensemble.js";

/** Every activation the language knows: the standalone activation layer's functions (the inline ones and leaky-relu). */
const ACTIVATIONS = activation.signature.options.flatMap((o) => (o.name === "function" && o.type.t === "enum" ? o.type.values : []));

export function vocabularyDoc(): string {
  return `# .fer vocabulary\n\nGenerated from ferc's layer registry and section schemas by \`npm run grammar\`. Do not edit.\n\n${vocabularyMarkdown()}\n`;
}

export function textMateGrammar(): string {
  const words = (xs: readonly string[]) => xs.map((x) => x.replace(/[-.]/g, (c) => `\\${c}`)).join("|");
  const grammar = {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "fer",
    scopeName: "source.fer",
    fileTypes: ["fer"],
    patterns: [
      { name: "comment.line.fer", match: "(#|//).*$" },
      { name: "string.quoted.double.fer", begin: '"', end: '"|$', patterns: [{ name: "constant.character.escape.fer", match: "\\\\." }] },
      { name: "keyword.control.section.fer", match: `^\\s*(${words([...SECTION_NAMES, ENSEMBLE_NAME.name, ENSEMBLE_MEMBERS.name])})\\b` },
      { name: "keyword.control.repeat.fer", match: "\\b(repeat|with|as)\\b" },
      { name: "entity.name.function.layer.fer", match: `\\b(${words(LAYER_KINDS.map((k) => k.kind))})\\b` },
      { name: "support.function.activation.fer", match: `\\b(${words(ACTIVATIONS)})\\b` },
      { name: "constant.numeric.dims.fer", match: "\\b\\d+(x\\d+)+\\b" },
      { name: "constant.numeric.fer", match: "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?(deg|rad|%)?" },
      { name: "keyword.operator.fer", match: "=|[<>]=?" },
    ],
  };
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

export const GRAMMAR_FILES: Record<string, () => string> = {
  "fer.ebnf": grammarEbnf,
  "vocabulary.md": vocabularyDoc,
  "fer.tmLanguage.json": textMateGrammar,
};

if (process.argv[1]?.endsWith("tools/grammar.js")) {
  const dir = process.argv[2] ?? "grammar";
  for (const [name, make] of Object.entries(GRAMMAR_FILES)) {
    writeFileSync(join(dir, name), make());
    process.stdout.write(`wrote ${join(dir, name)}\n`);
  }
}
