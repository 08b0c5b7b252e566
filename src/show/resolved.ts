/**
 * `ferc show --resolved FILE`: the spec as the checker understood it, written back as valid
 * `.fer` text: every default filled in, repeats expanded, every layer named explicitly (`as
 * block1.conv1`), options in keyword form, then the shape/parameter table as comments. Meant as
 * a git textconv (`*.fer diff=fer`, `git config diff.fer.textconv "ferc show --resolved"`), so
 * `git diff` shows what an edit changes in the model, not only the edited line.
 */
import type { ExpectIR, LayerIR, OptionValue, SpecIR, SweepIR } from "../ir.js";
import { layerKind } from "../layers/registry.js";
import type { OptionSpec } from "../schema/signature.js";
import type { Statement, Value } from "../syntax/ast.js";
import { AUGMENT } from "../sections/augment.js";
import { datasetFromIR } from "../sections/dataset.js";
import { PREPROCESS } from "../sections/preprocess.js";
import { fromIR } from "../schema/section.js";
import { TRAIN } from "../sections/train.js";
import { dims, kw, list, name, num, stmt, str, word } from "../schema/build.js";
import { printDocument } from "../format/print.js";
import { readValue } from "../variation/values.js";

/** The resolved spec as `.fer` statements. */
export function resolvedStatements(spec: SpecIR): Statement[] {
  const out = [stmt("spec", [name(spec.name)]), datasetFromIR(spec.dataset)];
  if (spec.preprocess.steps.length > 0) out.push(stmt("preprocess", [], fromIR(PREPROCESS, spec.preprocess)));
  if (spec.augment.declared) out.push(stmt("augment", [], fromIR(AUGMENT, spec.augment)));
  out.push(stmt("model", [], spec.model.layers.map((l) => layer(l, ""))));
  out.push(stmt("train", [], fromIR(TRAIN, spec.train)));
  if (spec.expect.length > 0) out.push(stmt("expect", [], spec.expect.map(expectation)));
  if (spec.sweep) out.push(sweepStatement(spec.sweep));
  return out;
}

/** The resolved text with the layer table appended as comments. */
export function resolvedText(spec: SpecIR): string {
  return `${printDocument(resolvedStatements(spec))}\n${layerTable(spec)}`;
}

/** One layer with all options as `key = value` and its explicit name (relative to its parent). */
function layer(l: LayerIR, prefix: string): Statement {
  const kind = layerKind(l.kind);
  const specs: readonly OptionSpec[] = kind?.signature.options ?? [];
  const keys = [...specs.map((o) => o.name), ...Object.keys(l.options).filter((k) => !specs.some((o) => o.name === k)).sort()];
  const args = keys.flatMap((k) => {
    const v = l.options[k];
    return v === undefined ? [] : [kw(k, optionValue(v, specs.find((o) => o.name === k)))];
  });
  const own = l.name.startsWith(prefix) ? l.name.slice(prefix.length) : l.name;
  args.push(kw("as", word(own)));
  const block = l.children ? l.children.map((c) => layer(c, `${l.name}.`)) : undefined;
  // `as NAME` is written positionally (`as` is a word, not an option).
  const last = args.pop()!;
  return stmt(l.kind, [...args, word("as"), last.value], block);
}

function optionValue(v: OptionValue, spec: OptionSpec | undefined): Value {
  if (typeof v === "boolean") return word(v ? "on" : "off");
  if (typeof v === "number") return num(v);
  if (typeof v === "string") return spec?.type.t === "string" ? str(v) : name(v);
  if (spec?.type.t === "numbers") return list(v.map((x) => num(x)));
  return v.every((x) => Number.isInteger(x) && x > 0) ? dims(v) : list(v.map((x) => num(x)));
}

/** `sweep { vary PATH [..]; samples N; seed S }` with the seed spelled out (its default is 0). */
function sweepStatement(s: SweepIR): Statement {
  const vary = s.vary.map((v) => stmt("vary", [word(v.path), list(v.values.map((t) => readValue(t) ?? word(t)))]));
  return stmt("sweep", [], [...vary, ...(s.samples !== undefined ? [stmt("samples", [num(s.samples)])] : []), stmt("seed", [num(s.seed)])]);
}

function expectation(e: ExpectIR): Statement {
  if (e.kind === "params") return stmt("params", [word(e.which), num(e.value)]);
  if (e.kind === "shape") return stmt("shape", [kw(e.layer, dims(e.shape))]);
  return stmt("accuracy", [word(e.split), word(">="), num(e.min)]);
}

/** The Keras-style summary as `#` comments: name, kind, output shape, params. */
export function layerTable(spec: SpecIR): string {
  const rows: string[][] = [];
  const walk = (ls: readonly LayerIR[], depth: number): void => {
    for (const l of ls) {
      rows.push([`${"  ".repeat(depth)}${l.name}`, l.kind, l.outputShape.length ? l.outputShape.join("x") : "?", count(l.params)]);
      if (l.children) walk(l.children, depth + 1);
      if (l.shortcut) walk(l.shortcut, depth + 1);
    }
  };
  walk(spec.model.layers, 0);
  const head = ["layer", "kind", "output", "params"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `# ${cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd()}`;
  const t = spec.totals;
  return [
    line(head),
    ...rows.map(line),
    `# input ${spec.model.input.join("x")}, output ${spec.model.output.join("x")}`,
    `# params: trainable ${count(t.trainable)}, non-trainable ${count(t.nonTrainable)}, total ${count(t.total)}`,
    "",
  ].join("\n");
}

const count = (n: number): string => n.toLocaleString("en-US");

