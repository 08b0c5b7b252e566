/**
 * Setting one value of a spec by its path (`train.batch`, `train.optimizer.lr`, `augment.rotate`,
 * `model.block3.conv1.filters`, `model.block.filters` for a repeat variable) on the syntax tree.
 *
 * Why the tree and not the IR: a trial must be a spec that `ferc check` accepts on its own, with
 * every consequence of the edit (shapes downstream, parameter counts, range checks) recomputed by
 * the one checker, so a variation is an edit of the written spec followed by a full check.
 * Positional arguments are replaced in place (removing one would shift the others into the wrong
 * slots); options not written are appended as `key = value`.
 */
import { NO_SPAN, hintFor, type Span } from "../diagnostics.js";
import type { SpecIR } from "../ir.js";
import { AUGMENT } from "../sections/augment.js";
import { bindStatement, findOption } from "../schema/bind.js";
import { allLayers } from "../layers/nested.js";
import { TRAIN } from "../sections/train.js";
import { layerKind } from "../layers/registry.js";
import type { Signature } from "../schema/signature.js";
import type { Arg, Document, Statement, Value } from "../syntax/ast.js";

export type Applied = { readonly ok: true; readonly doc: Document } | { readonly ok: false; readonly message: string; readonly hint?: string };

/** IR field names as `ferc diff` prints them → the statement path they are written as. */
const IR_NAMES: Readonly<Record<string, string>> = {
  "train.earlyStop": "train.early-stop",
  "train.labelSmoothing": "train.label-smoothing",
  "train.weightDecay": "train.weight-decay",
  "train.optimizer.kind": "train.optimizer",
  "train.schedule.kind": "train.schedule",
  "train.schedule.minLr": "train.schedule.min-lr",
  "train.earlyStop.minDelta": "train.early-stop.min-delta",
  "train.earlyStop.restoreBest": "train.early-stop.restore-best",
  "augment.rotateDeg": "augment.rotate",
  "augment.shearRad": "augment.shear",
  "augment.shiftX": "augment.shift.x",
  "augment.shiftY": "augment.shift.y",
  "augment.cropPadding": "augment.crop",
};

/** `train.earlyStop.patience` → `train.early-stop.patience`. */
export function canonicalPath(path: string): string {
  for (const [from, to] of Object.entries(IR_NAMES).sort((a, b) => b[0].length - a[0].length)) {
    if (path === from || path.startsWith(`${from}.`)) return to + path.slice(from.length);
  }
  return path;
}

/** The statements a variation may name, by section: those that bind with a signature. */
const signatures = (statements: readonly { head: string; signature?: Signature }[]): Record<string, Signature> =>
  Object.fromEntries(statements.flatMap((s) => (s.signature ? [[s.head, s.signature]] : [])));
const SECTION_SIGS: Readonly<Record<string, Readonly<Record<string, Signature>>>> = { train: signatures(TRAIN.statements), augment: signatures(AUGMENT.statements) };

/** Every path a variation may name for this spec (for did-you-mean hints and the docs). */
export function knownPaths(spec: SpecIR | undefined): string[] {
  const out: string[] = [];
  for (const [section, sigs] of Object.entries(SECTION_SIGS)) {
    for (const [head, sig] of Object.entries(sigs)) {
      out.push(`${section}.${head}`);
      if (sig.options.length > 1) for (const o of sig.options) out.push(`${section}.${head}.${o.name}`);
    }
  }
  if (spec) {
    for (const l of allLayers(spec.model.layers)) {
      const kind = layerKind(l.kind);
      for (const o of kind?.signature.options ?? []) out.push(`model.${l.name}.${o.name}`);
    }
  }
  return out;
}

/** Apply `path = value` to `doc` (a spec without its sweep section); `base` is doc's checked IR. */
export function applyVariation(doc: Document, base: SpecIR, rawPath: string, value: Value): Applied {
  const path = canonicalPath(rawPath);
  const parts = path.split(".");
  const section = parts[0]!;
  const unknown = (why: string): Applied => {
    const hint = hintFor(path, knownPaths(base));
    return { ok: false, message: `${rawPath}: ${why}`, hint: hint ?? "paths look like train.batch, train.optimizer.lr, augment.rotate, model.<layer>.<option> or model.<repeat>.<variable>" };
  };
  const sigs = SECTION_SIGS[section];
  if (sigs) {
    const head = parts[1];
    const sig = head === undefined ? undefined : Object.prototype.hasOwnProperty.call(sigs, head) ? sigs[head] : undefined;
    if (!sig || head === undefined) return unknown(`${section} has no setting "${head ?? ""}"`);
    if (parts.length > 3) return unknown("too many parts");
    const option = parts[2] === undefined ? mainOption(sig) : findOption(sig, parts[2])?.name;
    if (option === undefined) return unknown(`${section} ${head} has no option "${parts[2]}"`);
    return { ok: true, doc: editSection(doc, section, head, (s) => setOption(s, head, sig, option, value, false), () => statement(head, [arg(option, sig, value)], value.span)) };
  }
  if (section === "model") return applyModel(doc, base, rawPath, parts.slice(1), value, unknown);
  return unknown(`sweeps vary train, augment and model settings, not "${section}"`);
}

/** The option a path without one means: `train.batch` → size, `train.optimizer` → kind. */
function mainOption(sig: Signature): string | undefined {
  return (sig.options.find((o) => o.positional && o.required) ?? sig.options.find((o) => o.positional) ?? sig.options[0])?.name;
}

function applyModel(doc: Document, base: SpecIR, rawPath: string, rest: readonly string[], value: Value, unknown: (why: string) => Applied): Applied {
  const model = doc.statements.find((s) => s.head.name === "model");
  if (!model?.block || rest.length === 0) return unknown("name a layer and an option: model.<layer>.<option>");
  const layers = allLayers(base.model.layers);
  const byName = new Map(layers.map((l) => [l.name, l]));
  // `model.dense1` (its main option) or `model.block1.conv1.filters` (layer names contain dots).
  const whole = byName.get(rest.join("."));
  const layer = whole ?? byName.get(rest.slice(0, -1).join("."));
  if (layer) {
    const kind = layerKind(layer.kind)!;
    const optName = whole ? mainOption(kind.signature) : rest[rest.length - 1]!;
    const option = optName === undefined ? undefined : findOption(kind.signature, optName)?.name;
    if (option === undefined) return unknown(`layer ${layer.name} (${layer.kind}) has no option "${optName ?? ""}"`);
    const twins = layers.filter((l) => sameSpan(l.span, layer.span));
    const found = findStatement(model.block.statements, layer.span, []);
    if (!found) return unknown(`cannot find where layer ${layer.name} is written`);
    const inRepeat = found.ancestors.find((a) => a.head.name === "repeat");
    if (inRepeat || twins.length > 1) {
      return {
        ok: false,
        message: `${rawPath}: ${layer.name} is written once for every iteration of a repeat (${twins.map((t) => t.name).join(", ")}), so it cannot change alone`,
        hint: `vary the repeat's variable instead: model.${repeatStem(inRepeat)}.<variable>`,
      };
    }
    const edited = setOption(found.statement, layer.kind, kind.signature, option, value, true);
    return { ok: true, doc: replaceStatement(doc, found.statement, edited) };
  }
  // A repeat variable: `model.block.filters` for `repeat 3 with filters = [..]` (stem `block`, or `as NAME`).
  if (rest.length === 2) {
    const [stem, variable] = rest as [string, string];
    const repeats = collectRepeats(model.block.statements).filter((r) => repeatStem(r) === stem);
    if (repeats.length > 1) return { ok: false, message: `${rawPath}: ${repeats.length} repeats are named ${stem}`, hint: "name them apart with `as NAME`" };
    const rep = repeats[0];
    if (rep) {
      const i = rep.args.findIndex((a) => a.key?.name === variable);
      if (i < 0) return unknown(`repeat ${stem} has no variable "${variable}"`);
      const args = rep.args.map((a, k) => (k === i ? { ...a, value } : a));
      return { ok: true, doc: replaceStatement(doc, rep, { ...rep, args }) };
    }
  }
  return unknown(`no layer or repeat named "${rest.slice(0, -1).join(".") || rest[0]}"`);
}

function repeatStem(rep: Statement | undefined): string {
  if (!rep) return "block";
  const i = rep.args.findIndex((a) => !a.key && a.value.kind === "word" && a.value.name === "as");
  const next = i >= 0 ? rep.args[i + 1]?.value : undefined;
  return next?.kind === "word" ? next.name : "block";
}

function collectRepeats(ss: readonly Statement[]): Statement[] {
  return ss.flatMap((s) => [...(s.head.name === "repeat" ? [s] : []), ...(s.block ? collectRepeats(s.block.statements) : [])]);
}

const sameSpan = (a: Span, b: Span): boolean => a.offset === b.offset && a.length === b.length && a.line === b.line;

function findStatement(ss: readonly Statement[], span: Span, ancestors: readonly Statement[]): { statement: Statement; ancestors: readonly Statement[] } | undefined {
  for (const s of ss) {
    if (sameSpan(s.span, span)) return { statement: s, ancestors };
    if (s.block) {
      const r = findStatement(s.block.statements, span, [...ancestors, s]);
      if (r) return r;
    }
  }
  return undefined;
}

/** `doc` with `target` (found by identity) replaced, anywhere in the tree. */
function replaceStatement(doc: Document, target: Statement, replacement: Statement): Document {
  const visit = (ss: readonly Statement[]): Statement[] =>
    ss.map((s) => (s === target ? replacement : s.block ? { ...s, block: { ...s.block, statements: visit(s.block.statements) } } : s));
  return { ...doc, statements: visit(doc.statements) };
}

/** Edit statement `head` of `section` (creating the statement, or the section, when missing). */
function editSection(doc: Document, section: string, head: string, edit: (s: Statement) => Statement, create: () => Statement): Document {
  const sec = doc.statements.find((s) => s.head.name === section);
  if (!sec) return { ...doc, statements: [...doc.statements, statement(section, [], NO_SPAN, [create()])] };
  const stmts = sec.block?.statements ?? [];
  const target = stmts.find((s) => s.head.name === head);
  const statements = target ? stmts.map((s) => (s === target ? edit(s) : s)) : [...stmts, create()];
  const block = { statements, span: sec.block?.span ?? NO_SPAN, open: sec.block?.open ?? NO_SPAN };
  return replaceStatement(doc, sec, { ...sec, block });
}

function statement(head: string, args: readonly Arg[], span: Span, block?: readonly Statement[]): Statement {
  return {
    kind: "statement",
    head: { kind: "word", name: head, span },
    assign: false,
    args,
    span,
    ...(block ? { block: { statements: block, span, open: span } } : {}),
  };
}

/** `key = value` (or the value alone for a positional option, which then needs no key). */
function arg(option: string, sig: Signature, value: Value): Arg {
  const spec = sig.options.find((o) => o.name === option);
  if (spec?.positional && sig.options.filter((o) => o.positional)[0]?.name === option) return { value, span: value.span };
  return { key: { kind: "word", name: option, span: value.span }, value, span: value.span };
}

/**
 * Set `option` on statement `s`: find which written argument(s) bind to it by binding a copy
 * whose arguments carry their index as a span, then replace that value in place.
 */
function setOption(s: Statement, label: string, sig: Signature, option: string, value: Value, isLayer: boolean): Statement {
  const tagged: Statement = {
    ...s,
    args: s.args.map((a, i) => {
      const at = indexSpan(i);
      return { ...(a.key ? { key: { ...a.key, span: at } } : {}), value: { ...a.value, span: at } as Value, span: at };
    }),
  };
  const bound = bindStatement(label, sig, tagged, [], { allowName: isLayer });
  const at = bound.spans[option];
  if (!at) return { ...s, args: [...s.args, { key: { kind: "word", name: option, span: value.span }, value, span: value.span }] };
  const first = at.offset / 2;
  const last = (at.offset + at.length - 1) >> 1;
  const args = s.args.map((a, i): Arg => {
    if (i < first || i > last) return a;
    if (last > first) return i === last ? { ...a, value } : a; // `key value`: the value is the second
    if (a.key) return { ...a, value };
    // A boolean written bare (`restore-best`): its value now needs the keyword form.
    if (a.value.kind === "word" && findOption(sig, a.value.name)?.name === option) return { key: { kind: "word", name: option, span: value.span }, value, span: value.span };
    return { ...a, value };
  });
  return { ...s, args };
}

const indexSpan = (i: number): Span => ({ offset: 2 * i, length: 1, line: 1, column: 1, endLine: 1, endColumn: 1 });

