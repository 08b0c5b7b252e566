/**
 * The statement and option vocabulary as Markdown, generated from the registries the checker
 * binds with (layer kinds, section schemas): every section, statement, option, default, allowed
 * value and range, so the docs cannot drift from the checker.
 */
import { cell, layerDocs } from "../layers/docs.js";
import { usage, type OptionSpec, type ValueType } from "../schema/signature.js";
import { SECTIONS } from "../sections/registry.js";
import { ENSEMBLE_MEMBERS, ENSEMBLE_NAME } from "../sections/ensemble.js";
import type { SectionInfo, StatementInfo } from "../schema/section.js";

/** What values a type allows, with its range: `int 1-65536`, `number in (0, 1)`, `one of adam, sgd`. */
export function typeText(t: ValueType): string {
  switch (t.t) {
    case "int":
      return t.min !== undefined && t.max !== undefined ? `int ${t.min}-${t.max}` : t.min !== undefined ? `int >= ${t.min}` : t.max !== undefined ? `int <= ${t.max}` : "int";
    case "number": {
      const lo = t.min !== undefined ? `${t.exclusiveMin ? "(" : "["}${fmt(t.min)}` : undefined;
      const hi = t.max !== undefined ? `${fmt(t.max)}${t.exclusiveMax ? ")" : "]"}` : undefined;
      const range = lo && hi ? ` in ${lo}, ${hi}` : lo ? ` ${t.exclusiveMin ? ">" : ">="} ${fmt(t.min!)}` : hi ? ` ${t.exclusiveMax ? "<" : "<="} ${fmt(t.max!)}` : "";
      const unit = t.unit === "angle" ? ` (deg or rad; stored in ${t.angleIn ?? "deg"})` : t.unit === "percent" ? " (or %)" : "";
      return `number${range}${unit}`;
    }
    case "size":
      return "size HxW (or N for NxN)";
    case "enum":
      return `one of ${t.values.join(", ")}`;
    case "bool":
      return "on, off (alone: on)";
    case "word":
      return "word";
    case "string":
      return '"text"';
    case "numbers":
      return `list of numbers${t.min !== undefined ? ` >= ${t.min}` : ""}`;
  }
}

const fmt = (x: number): string => (Math.abs(x - Math.PI / 2) < 1e-12 ? "π/2" : String(x));

function option(o: OptionSpec): string {
  const dflt = o.default !== undefined ? ` = ${JSON.stringify(o.default)}` : o.required ? " (required)" : "";
  return `\`${o.name}\`${dflt}: ${typeText(o.type)}; ${o.doc}`;
}

function statementRow(st: StatementInfo): string {
  const use = st.usage ?? (st.signature ? usage(st.head, st.signature) : st.head);
  const block = st.section ? " { ... }" : st.block ? " { ... }" : "";
  const doc = st.doc ?? st.section?.summary;
  const opts = [...(doc ? [doc] : []), ...(st.signature?.options.map(option) ?? [])].join("<br>");
  const notes = [st.repeatable ? "repeatable" : "", st.section ? `block: see ${st.section.name} { }` : ""].filter(Boolean).join("; ");
  return `| \`${cell(use + block)}\` | ${cell(opts)}${notes ? `<br>(${cell(notes)})` : ""} |`;
}

function sectionTable(s: SectionInfo): string {
  const rows = ["| Statement | Options |", "|---|---|", ...s.statements.map(statementRow)];
  return rows.join("\n");
}

function sectionDocs(s: SectionInfo, title: string, layers = false): string[] {
  const order = s.sorted ? "fmt sorts its statements into the order below" : "statements keep their written order";
  const out = [`### ${title}`, "", `${s.summary}; ${order}.`, ""];
  if (layers) out.push(layerDocs(), "", sectionTable({ ...s, statements: s.statements.filter((st) => st.head === "repeat") }), "");
  else if (s.statements.length) out.push(sectionTable(s), "");
  for (const st of s.statements) if (st.section) out.push(...sectionDocs(st.section, `${s.name} { ${st.head} { } }`));
  return out;
}

export function vocabularyMarkdown(): string {
  const out: string[] = [];
  for (const t of SECTIONS) {
    const title = t.form === "name" ? `${t.info.name} NAME` : t.info.name === "dataset" ? "dataset [NAME] { }" : `${t.info.name} { }`;
    out.push(...sectionDocs(t.info, `${title}${t.required ? " (required)" : ""}`, t.form === "layers"));
  }
  out.push("## Ensemble files", "", "A file that starts with `ensemble NAME` instead of `spec NAME` (`ferc check`, `ferc ensemble`).", "");
  out.push(...sectionDocs(ENSEMBLE_NAME, `${ENSEMBLE_NAME.name} NAME (required)`), ...sectionDocs(ENSEMBLE_MEMBERS, `${ENSEMBLE_MEMBERS.name} { } (required)`));
  return out.join("\n");
}
