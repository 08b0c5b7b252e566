/**
 * The statement and option vocabulary as Markdown, generated from the same signatures the checker
 * binds with (layer kinds, augment and train statements), so the README cannot drift from them.
 */
import { cell, layerDocs } from "../layers/docs.js";
import { usage, type Signature } from "../layers/signature.js";
import { AUGMENT_SIGS } from "./augment.js";
import { TRAIN_SIGS } from "./train.js";
import { SWEEP_SIGS, VARY_DOC } from "../sweep/section.js";

function table(sigs: Readonly<Record<string, Signature>>): string {
  const rows = ["| Statement | Options |", "|---|---|"];
  for (const [head, sig] of Object.entries(sigs)) {
    const opts = sig.options.map((o) => `\`${o.name}\`${o.default !== undefined ? ` = ${JSON.stringify(o.default)}` : ""}: ${o.doc}`).join("<br>");
    rows.push(`| \`${cell(usage(head, sig))}\` | ${cell(opts)} |`);
  }
  return rows.join("\n");
}

export function vocabularyMarkdown(): string {
  return [
    "### Layers",
    "",
    layerDocs(),
    "",
    "### augment { }",
    "",
    table(AUGMENT_SIGS),
    "",
    "### train { }",
    "",
    table(TRAIN_SIGS),
    "",
    "### sweep { }",
    "",
    table({ vary: VARY_DOC, ...SWEEP_SIGS }),
    "",
  ].join("\n");
}
