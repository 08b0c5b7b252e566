/**
 * The code table (src/codes.ts) as text: one code for `ferc explain CODE`, all of them as the
 * Markdown of docs/codes.md. Both read the same rows, so the help and the docs say the same.
 */
import { CODES, EXAMPLE_BASE, PHASES, type CodeExample, type CodeInfo, type DiagnosticCode } from "../codes.js";

const WIDTH = 100;

/** Words filled into lines of at most `width` characters, each line prefixed by `indent`. */
export function wrap(text: string, width = WIDTH, indent = ""): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

const indented = (text: string, indent = "    "): string => text.split("\n").map((l) => (l ? indent + l : l)).join("\n");

function exampleText(code: DiagnosticCode, ex: CodeExample): string {
  if (!("edit" in ex)) return ex.message ? `example: ${ex.situation}\n    ${code}: ${ex.message}` : `example: ${ex.situation}`;
  const { removed, added, next } = changedLines(ex.edit.replace, ex.edit.with);
  const block = (lines: readonly string[]) => indented(lines.join("\n"));
  const change =
    removed.length === 0
      ? [`example: in ${EXAMPLE_BASE}, add`, block(added), ...(next !== undefined ? [`before the line beginning ${JSON.stringify(next.trim())}`] : [])]
      : added.length === 0
        ? [`example: in ${EXAMPLE_BASE}, remove`, block(removed)]
        : [`example: in ${EXAMPLE_BASE}, replace`, block(removed), "with", block(added)];
  return [...change, "and ferc check reports", `    ${code}: ${ex.message}`].join("\n");
}

/** What `ferc explain CODE` prints. */
export function explainText(code: DiagnosticCode): string {
  const info: CodeInfo = CODES[code];
  return [`${code} ${info.title} (phase: ${info.phase})`, "", `message: ${info.template}`, "", wrap(info.explanation), "", exampleText(code, info.example)].join("\n");
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * An edit as the lines it changes: the lines both sides share at the start and the end dropped,
 * so adding a sweep section reads as the section added, not as a rewrite of `seed 7 }`.
 */
export function changedLines(from: string, to: string): { readonly removed: readonly string[]; readonly added: readonly string[]; readonly next?: string } {
  const a = from.replace(/\n$/, "").split("\n");
  const b = to === "" ? [] : to.replace(/\n$/, "").split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const next = a[a.length - end];
  const blankless = (lines: readonly string[]) => lines.filter((l, i) => l.trim() !== "" || (i > 0 && i < lines.length - 1));
  return { removed: blankless(a.slice(start, a.length - end)), added: blankless(b.slice(start, b.length - end)), ...(next !== undefined ? { next } : {}) };
}

function exampleMarkdown(ex: CodeExample): string {
  if (!("edit" in ex)) return `${cell(ex.situation)}${ex.message ? `: \`${cell(ex.message)}\`` : ""}`;
  const { removed, added } = changedLines(ex.edit.replace, ex.edit.with);
  const code = (lines: readonly string[]) => `\`${cell(lines.map((l) => l.trim()).filter(Boolean).join(" "))}\``;
  const change = removed.length === 0 ? `add ${code(added)}` : added.length === 0 ? `remove ${code(removed)}` : `${code(removed)} → ${code(added)}`;
  return `${change}: \`${cell(ex.message)}\``;
}

/** docs/codes.md, whole: written by `npm run codes:doc`, checked by test/cli/explain.test.ts. */
export function codesMarkdown(): string {
  const codes = Object.keys(CODES) as DiagnosticCode[];
  const rows = codes.map((c) => {
    const i = CODES[c];
    return `| ${c} | ${i.phase} | ${cell(i.title)} | \`${cell(i.template)}\` | ${cell(i.explanation)} | ${exampleMarkdown(i.example)} |`;
  });
  return [
    "# Diagnostic codes",
    "",
    "<!-- Generated from src/codes.ts by `npm run codes:doc`; edit the table there, not this file. -->",
    "",
    "Every diagnostic carries a stable code and a phase (`phase` in `--format json`); tools branch on",
    `the phase (${PHASES.join(", ")}), not on the code's range. \`ferc explain CODE\` prints one row in full.`,
    `Examples edit \`${EXAMPLE_BASE}\` (a test re-checks each one); the others describe the situation.`,
    "",
    "Ranges: F00xx syntax; F01xx names and structure; F02xx values and ranges; F03xx shapes and",
    "parameters; F04xx training policy and compatibility; F05xx expect; F06xx resource limits; F07xx",
    "sweeps; F08xx ensemble files; F09xx input (file unreadable, YAML, internal, limits).",
    "",
    "| code | phase | title | message | meaning | example |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
