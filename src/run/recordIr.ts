/**
 * A record's `spec.ir.json` is input like a spec: records are shared, and everything downstream
 * (the model builder, the data loader, predict) trusts the IR it is given, so an IR edited to
 * `dense 3000000`, 300,000 layers or 5,000,000 classes would allocate gigabytes, overflow the
 * stack or print NaN. It is checked as strictly as a spec by checking it *as* a spec: written
 * back as `.fer` text (what `ferc show --resolved` prints), checked by the checker with all of
 * its limits, and the IR that check produces must agree with every value the record holds.
 * Spans (where the original text had each layer) are the one thing that may differ.
 */
import type { SpecIR } from "../ir.js";
import { checkSource } from "../check/index.js";
import { MAX_LAYERS } from "../check/model.js";
import { MAX_TOKENS } from "../syntax/limits.js";
import { printDocument } from "../format/print.js";
import { resolvedStatements } from "../show/resolved.js";
import { CODES, type DiagnosticCode } from "../diagnostics.js";
import { escapeControls } from "../render/escape.js";

/** The first path at which `recorded` differs from `derived` (keys of `recorded` only), or null. */
function firstDifference(recorded: unknown, derived: unknown, at: string): string | null {
  if (typeof recorded !== "object" || recorded === null) return Object.is(recorded, derived) ? null : at || "/";
  if (typeof derived !== "object" || derived === null || Array.isArray(recorded) !== Array.isArray(derived)) return at || "/";
  if (Array.isArray(recorded) && recorded.length !== (derived as unknown[]).length) return at || "/";
  for (const [k, v] of Object.entries(recorded)) {
    // Where the layer stood in the text the run was started from, and the JSON Schema tag of
    // `ferc compile --emit ir`: neither is a setting.
    if (k === "span" || (at === "" && k === "$schema")) continue;
    // A key the checker does not produce is named by what it is, never by its text.
    if (!Object.hasOwn(derived, k)) return `${at}/(a key that is not part of a spec)`;
    const d = firstDifference(v, (derived as Record<string, unknown>)[k], `${at}/${k}`);
    if (d !== null) return d;
  }
  return null;
}

/**
 * More layers or classes than any spec can have (the checker's own limits), found by counting,
 * before the IR is written out as text: 300,000 layers would otherwise cost seconds and
 * hundreds of MB just to be refused for their size.
 */
function sizeProblem(ir: SpecIR): string | null {
  const classes = (ir.dataset as { classes?: unknown }).classes;
  if (Array.isArray(classes) && classes.length > MAX_TOKENS) return `it lists ${classes.length.toLocaleString("en-US")} classes, more than a spec can (${MAX_TOKENS.toLocaleString("en-US")} tokens)`;
  let layers = 0;
  const stack: unknown[] = [(ir.model as { layers?: unknown } | undefined)?.layers];
  while (stack.length > 0) {
    const list = stack.pop();
    if (!Array.isArray(list)) continue;
    layers += list.length;
    // Containers (residual, repeat) hold more layers; their tails are counted with them.
    if (layers > 2 * MAX_LAYERS) return `its model has more than ${(2 * MAX_LAYERS).toLocaleString("en-US")} layers, more than a spec can (${MAX_LAYERS.toLocaleString("en-US")})`;
    for (const l of list) if (l !== null && typeof l === "object") stack.push((l as { children?: unknown }).children, (l as { shortcut?: unknown }).shortcut);
  }
  return null;
}

/**
 * What is wrong with a recorded IR (structurally sound enough to print), or null when it is a
 * spec the checker accepts and reproduces. Never throws: a value the printer cannot handle is
 * itself the answer. What the file holds is never quoted (codes and their titles only) unless
 * `quote` says the IR is the caller's own (a spec with command-line overrides).
 */
export function recordedIrProblem(ir: SpecIR, opts: { readonly quote?: boolean } = {}): string | null {
  const tooBig = sizeProblem(ir);
  if (tooBig !== null) return tooBig;
  let text: string;
  try {
    text = printDocument(resolvedStatements(ir));
  } catch {
    return "not a checked spec (it cannot be written back as a spec)";
  }
  const checked = checkSource(text, "spec.ir.json");
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (!checked.ok || !checked.spec) {
    // The caller's own values (command-line overrides): the first message says exactly what.
    if (opts.quote && errors[0]) return `it does not check as a spec: ${errors[0].code} ${escapeControls(errors[0].message)}`;
    // Codes and their titles only: a message would quote names and values the file holds.
    const codes = [...new Set(errors.map((d) => d.code))].slice(0, 5);
    const titles = codes.map((c) => `${c} ${Object.hasOwn(CODES, c) ? CODES[c as DiagnosticCode].title : ""}`.trim());
    return `it does not check as a spec (${titles.join("; ") || "no spec"}${errors.length > codes.length ? `; ${errors.length} errors in all` : ""})`;
  }
  const diff = firstDifference(ir, JSON.parse(JSON.stringify(checked.spec)) as unknown, "");
  return diff === null ? null : `its value at ${diff} is not what its own settings check to`;
}

/**
 * What is wrong with checkpoint weights of these shapes for the spec's model (null when they
 * hold exactly its parameter count, trainable and not, as Keras and tfjs count them).
 */
export function checkpointProblem(shapes: readonly (readonly number[])[], spec: SpecIR): string | null {
  const total = shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
  if (total === spec.totals.total) return null;
  return `its weights hold ${total.toLocaleString("en-US")} parameters, the model of spec.ir.json has ${spec.totals.total.toLocaleString("en-US")}`;
}
