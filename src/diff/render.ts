/**
 * Diff renderers: text for a terminal (colour only when asked), markdown for a PR comment,
 * JSON for tools. All three say the same things in the same order: settings, layers, totals.
 */
import type { Diagnostic } from "../diagnostics.js";
import { renderLine } from "../render/diagnostics.js";
import type { DiffResult, LayerChange, SettingChange } from "./types.js";
import { count, showSetting, showShape, showValue, signed } from "./values.js";

export type DiffFormat = "text" | "markdown" | "json";

export interface RenderOptions {
  /** ANSI colours in the text form (the CLI passes `stdout.isTTY`, NO_COLOR permitting). */
  readonly color?: boolean;
}

export function renderDiff(d: DiffResult, format: DiffFormat, opts: RenderOptions = {}): string {
  if (format === "json") return renderDiffJson(d);
  if (format === "markdown") return renderDiffMarkdown(d);
  return renderDiffText(d, opts);
}

export function renderDiffJson(d: DiffResult): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

const sgr = (code: number, reset: number) => (s: string) => `\u001b[${code}m${s}\u001b[${reset}m`;

interface Paint {
  readonly add: (s: string) => string;
  readonly del: (s: string) => string;
  readonly mod: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}
const id = (s: string) => s;
const PLAIN: Paint = { add: id, del: id, mod: id, dim: id, bold: id };
const ANSI: Paint = { add: sgr(32, 39), del: sgr(31, 39), mod: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };

export function settingLine(c: SettingChange): string {
  if (c.old === undefined) return `${c.path}: ${showSetting(c.path, c.new)} (added)`;
  if (c.new === undefined) return `${c.path}: ${showSetting(c.path, c.old)} (removed)`;
  return `${c.path} ${showSetting(c.path, c.old)} → ${showSetting(c.path, c.new)}`;
}

/** `block3.conv2 filters 64 → 128, shape 6x6x64 → 6x6x128: +36,928 params` and friends. */
export function layerLine(c: LayerChange): string {
  const name = c.oldName ? `${c.oldName} → ${c.name}` : c.name;
  const delta = c.newParams - c.oldParams;
  const params = delta === 0 ? "" : `: ${signed(delta)} params`;
  if (c.status === "added") {
    const opts = c.options.map((o) => `${o.option}=${showValue(o.new, true)}`).join(" ");
    return `${name} (${c.kind}${opts ? ` ${opts}` : ""}) added, output ${showShape(c.newShape)}${params}`;
  }
  if (c.status === "removed") return `${name} (${c.kind}) removed, was ${showShape(c.oldShape)}${params}`;
  const parts = c.options.map((o) =>
    o.old === undefined
      ? `${o.option} ${showValue(o.new, true)} (new)`
      : o.new === undefined
        ? `${o.option} removed`
        : `${o.option} ${showValue(o.old, true)} → ${showValue(o.new, true)}`,
  );
  if (c.oldName && parts.length === 0) parts.push("renamed");
  if (showShape(c.oldShape) !== showShape(c.newShape)) parts.push(`shape ${showShape(c.oldShape)} → ${showShape(c.newShape)}`);
  const what = parts.length ? ` ${parts.join(", ")}` : "";
  return `${name} (${c.kind})${what}${params}`;
}

function totalsLines(d: DiffResult): string[] {
  if (!d.totals) return [];
  const { old: a, new: b } = d.totals;
  const row = (label: string, x: number, y: number) =>
    x === y ? `${label} ${count(x)}` : `${label} ${count(x)} → ${count(y)} (${signed(y - x)})`;
  return [row("trainable", a.trainable, b.trainable), row("non-trainable", a.nonTrainable, b.nonTrainable), row("total", a.total, b.total)];
}

function errorLines(d: DiffResult): string[] {
  const lines: string[] = [];
  for (const side of [d.old, d.new]) {
    const errors = side.diagnostics.filter((x: Diagnostic) => x.severity === "error");
    // The side's label (a path, HEAD~1:path) rather than a file the diagnostic may name.
    for (const e of errors) lines.push(renderLine({ ...e, file: side.label }));
    if (errors.length === 0 && !side.spec) lines.push(`${side.label}: does not check`);
  }
  return lines;
}

/** `new.fer:23:3: expect fails: expected 141,303 total parameters, the model has 368,503`. */
function expectLines(d: DiffResult): string[] {
  return [d.old, d.new].flatMap((side) =>
    (side.failedExpect ?? []).map((e) => `${side.label}:${e.span.line}:${e.span.column}: expect fails: ${e.message}${e.hint ? ` (${e.hint})` : ""}`),
  );
}

export function renderDiffText(d: DiffResult, opts: RenderOptions = {}): string {
  const p = opts.color ? ANSI : PLAIN;
  if (!d.ok) return `${["cannot diff: a side has errors", ...errorLines(d)].join("\n")}\n`;
  const head = p.bold(`${d.old.label} → ${d.new.label}`);
  const stale = expectLines(d).map((l) => p.del(l));
  if (d.equivalent) return `${[head, "equivalent: no semantic changes", ...stale].join("\n")}\n`;
  const out = [head];
  if (d.settings.length) {
    out.push("settings:");
    for (const c of d.settings) out.push(`  ${p.mod("~")} ${settingLine(c)}`);
  }
  if (d.layers.length) {
    out.push("layers:");
    for (const c of d.layers) {
      const mark = c.status === "added" ? p.add("+") : c.status === "removed" ? p.del("-") : c.status === "changed" ? p.mod("~") : p.dim("·");
      const line = `${"  ".repeat(c.depth)}${layerLine(c)}`;
      out.push(`  ${mark} ${c.status === "affected" ? p.dim(line) : line}`);
    }
  }
  if (d.output) out.push(`output ${showShape(d.output.old)} → ${showShape(d.output.new)}`);
  const totals = totalsLines(d);
  if (totals.length) out.push(`params: ${totals.join("; ")}`);
  out.push(...stale);
  return `${out.join("\n")}\n`;
}

const md = (s: string) => s.replace(/[|\\`*_]/g, (c) => `\\${c}`);

export function renderDiffMarkdown(d: DiffResult): string {
  if (!d.ok) return `**ferc diff**: cannot diff, a side has errors\n\n${errorLines(d).map((l) => `- ${md(l)}`).join("\n")}\n`;
  const out = [`### ferc diff: \`${d.old.label}\` → \`${d.new.label}\``, ""];
  const stale = expectLines(d).map((l) => `- ⚠️ ${md(l)}`);
  const staleBlock = stale.length ? ["", "**Expectations that no longer hold**", "", ...stale] : [];
  if (d.equivalent) return `${[...out, "Equivalent: no semantic changes.", ...staleBlock].join("\n")}\n`;
  if (d.settings.length) {
    out.push("**Settings**", "");
    for (const c of d.settings) {
      if (c.old === undefined) out.push(`- \`${c.path}\`: added \`${showSetting(c.path, c.new)}\``);
      else if (c.new === undefined) out.push(`- \`${c.path}\`: removed (was \`${showSetting(c.path, c.old)}\`)`);
      else out.push(`- \`${c.path}\`: \`${showSetting(c.path, c.old)}\` → \`${showSetting(c.path, c.new)}\``);
    }
    out.push("");
  }
  if (d.layers.length) {
    out.push("**Layers**", "", "| | Layer | Kind | Change | Output shape | Params |", "|---|---|---|---|---|---:|");
    for (const c of d.layers) {
      const mark = { added: "➕", removed: "➖", changed: "✏️", affected: "↳" }[c.status];
      const name = c.oldName ? `${c.oldName} → ${c.name}` : c.name;
      const change =
        c.status === "added" || c.status === "removed"
          ? c.status
          : c.options.map((o) => `${o.option} ${showValue(o.old, true)} → ${showValue(o.new, true)}`).join(", ") || (c.oldName ? "renamed" : "(upstream change)");
      const shape =
        c.oldShape && c.newShape && showShape(c.oldShape) !== showShape(c.newShape)
          ? `${showShape(c.oldShape)} → ${showShape(c.newShape)}`
          : showShape(c.newShape ?? c.oldShape);
      const delta = c.newParams - c.oldParams;
      out.push(`| ${mark} | \`${name}\` | ${md(c.kind)} | ${md(change)} | ${shape} | ${delta === 0 ? count(c.newParams) : signed(delta)} |`);
    }
    out.push("");
  }
  if (d.output) out.push(`Model output: ${showShape(d.output.old)} → ${showShape(d.output.new)}`, "");
  if (d.totals) {
    out.push("**Parameters**", "", "| | Old | New | Δ |", "|---|---:|---:|---:|");
    const { old: a, new: b } = d.totals;
    for (const [label, x, y] of [
      ["trainable", a.trainable, b.trainable],
      ["non-trainable", a.nonTrainable, b.nonTrainable],
      ["total", a.total, b.total],
    ] as const) {
      out.push(`| ${label} | ${count(x)} | ${count(y)} | ${x === y ? "" : signed(y - x)} |`);
    }
  }
  out.push(...staleBlock);
  return `${out.join("\n")}\n`;
}
