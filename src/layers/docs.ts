/** Markdown reference of the layer kinds, generated from their signatures (README / grammar docs). */
import { LAYER_KINDS } from "./registry.js";
import { usage } from "../schema/signature.js";

export function layerDocs(): string {
  const out: string[] = ["| Kind | Syntax | Summary | Example |", "|---|---|---|---|"];
  for (const k of LAYER_KINDS) {
    const syntax = `${usage(k.kind, k.signature)} [as NAME]${k.container ? " { ... }" : ""}`;
    const enums = k.signature.options.filter((o) => o.type.t === "enum" && o.type.values.length > 4);
    const values = enums.map((o) => `${o.name.toUpperCase()}: ${o.type.t === "enum" ? o.type.values.join(", ") : ""}`).join("; ");
    out.push(`| \`${cell(k.kind)}\` | \`${cell(syntax)}\` | ${cell(k.summary)}${values ? ` (${values})` : ""} | \`${cell(k.example)}\` |`);
  }
  return out.join("\n");
}

/** `|` would end a Markdown table cell. */
export const cell = (s: string): string => s.replace(/\|/g, "\\|");
