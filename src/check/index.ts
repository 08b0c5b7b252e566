/**
 * `checkSource(text)`: parse, check every section, infer shapes and parameter counts, verify
 * expectations. All problems of a file come back in one pass; nothing here throws (an internal
 * failure becomes F0903). No tfjs here: `ferc check` must start fast.
 */
import { diagnostic, hasErrors, hintFor, NO_SPAN, sortDiagnostics, uniqueDiagnostics, type Diagnostic, type Span } from "../diagnostics.js";
import type { AugmentIR, ParamTotals, Shape, SpecIR } from "../ir.js";
import type { Document, Statement, Value } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";
import { isRefused } from "../syntax/limits.js";
import { AUGMENT, NO_AUGMENT } from "../sections/augment.js";
import { checkDataset, FER_CLASSES } from "../sections/dataset.js";
import { PREPROCESS } from "../sections/preprocess.js";
import { SECTION_NAMES, SECTIONS, topSection } from "../sections/registry.js";
import { checkSection } from "../schema/section.js";
import { TRAIN } from "../sections/train.js";
import { checkExpect, verifyExpect } from "./expect.js";
import { layerRows, type LayerRow } from "./flatten.js";
import { checkModel, UNKNOWN } from "./model.js";
import { checkLossActivation, checkMemory, checkOutput } from "./policy.js";
import { checkSweepSection, sweepIR, verifySweep } from "../variation/section.js";

export type { LayerRow } from "./flatten.js";

export interface CheckResult {
  readonly file: string;
  /** No errors (warnings allowed). */
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[];
  /** The resolved spec; present only when there are no errors. */
  readonly spec?: SpecIR;
  /** The layer table (containers followed by their parts, with depth), even when there are errors. */
  readonly layers: LayerRow[];
  readonly totals: ParamTotals;
}

const ZERO: ParamTotals = { trainable: 0, nonTrainable: 0, total: 0 };

export function checkSource(text: string, file = "<input>"): CheckResult {
  const parsed = parse(text);
  // Text over a size or token limit is refused whole: checking its empty document would only
  // add "missing section" noise to the one diagnostic that says why.
  if (isRefused(parsed.diagnostics)) return refusedResult(parsed.diagnostics, file);
  const r = checkDocument(parsed.document, file);
  const diagnostics = sortDiagnostics(uniqueDiagnostics([...parsed.diagnostics, ...r.diagnostics]));
  const ok = !hasErrors(diagnostics);
  const { spec, ...rest } = r;
  return ok && spec ? { ...rest, ok, diagnostics, spec } : { ...rest, ok, diagnostics };
}

/** The result for text refused by a limit (src/syntax/limits.ts): its diagnostics, nothing checked. */
export function refusedResult(diagnostics: readonly Diagnostic[], file: string): CheckResult {
  return { file, ok: false, diagnostics: sortDiagnostics(diagnostics), layers: [], totals: ZERO };
}

export function checkDocument(doc: Document, file = "<input>"): CheckResult {
  try {
    return checkUnsafe(doc, file);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { file, ok: false, diagnostics: [diagnostic("F0903", `internal checker error: ${message}`, doc.span ?? NO_SPAN)], layers: [], totals: ZERO };
  }
}

function checkUnsafe(doc: Document, file: string): CheckResult {
  const ds: Diagnostic[] = [];
  const sections = collectSections(doc, ds);

  let name = "";
  const specStmt = sections.get("spec");
  if (specStmt) {
    const v = specStmt.args[0]?.value;
    if (v?.kind === "word" || v?.kind === "string") name = v.kind === "word" ? v.name : v.value;
    else ds.push(diagnostic("F0105", "spec needs a name: spec vgg-small", specStmt.span));
    if (specStmt.args.length > 1) ds.push(diagnostic("F0112", "spec takes one name", specStmt.args[1]!.span));
    if (specStmt.block) ds.push(diagnostic("F0110", "spec does not take a block", specStmt.block.open));
  }

  const dsStmt = sections.get("dataset");
  const checkedDataset = dsStmt ? checkDataset(dsStmt, ds) : undefined;
  const dataset = checkedDataset?.dataset;
  const classes = dataset?.classes.length ?? FER_CLASSES.length;
  // A rejected class list stands as FER2013's seven: nothing is counted against that stand-in.
  const classesOk = checkedDataset?.classesOk ?? true;
  const preprocess = checkSection(PREPROCESS, sections.get("preprocess")?.block, { ds }).ir;
  const augmentStmt = sections.get("augment");
  const augment = augmentStmt ? checkSection(AUGMENT, augmentStmt.block, { ds }).ir : NO_AUGMENT;
  for (const { info, form } of SECTIONS) {
    if (form === "name" || info.name === "dataset") continue;
    const s = info.name;
    const st = sections.get(s);
    if (st && st.args.length > 0) ds.push(diagnostic("F0112", `${s} takes no arguments`, st.args[0]!.span));
    if (st && !st.block) ds.push(diagnostic("F0111", `${s} needs a block: ${s} { ... }`, st.span));
  }

  const modelStmt = sections.get("model");
  // A rejected input size leaves the input unknown: shapes inferred from a stand-in 48x48x1
  // would be guesses, and errors found with them would not be the author's.
  const inputOk = checkedDataset?.inputOk ?? true;
  const imageInput = inputOk ? (dataset?.input ?? [48, 48, 1]) : UNKNOWN;
  const input = croppedInput(imageInput, augment, sections.get("augment"), ds);
  const model = checkModel(modelStmt?.block, input, ds);
  if (modelStmt && model.layers.length === 0 && modelStmt.block?.statements.length === 0) ds.push(diagnostic("F0306", "model has no layers", modelStmt.span));

  const trainChecked = checkSection(TRAIN, sections.get("train")?.block, { ds, ...(classesOk ? { numClasses: classes } : {}) });
  const train = trainChecked.ir;
  const lossSpan = trainChecked.spans.get("loss");
  const ttaSpan = trainChecked.spans.get("tta");
  if (train.tta === "ten-crop" && !augment.randomCrop) {
    ds.push(diagnostic("F0404", "tta ten-crop needs windows smaller than the image to average", ttaSpan ?? sections.get("train")!.span, "add augment { random-crop 40x40 } (the model's input), or use tta flip"));
  }
  const totals = sumTotals(model.layers);
  // Everything that can still be known is checked in this pass, whatever else is wrong: a
  // mistake elsewhere must not hide these until it is fixed. Each check needs only its inputs:
  // the output check a known output shape and a valid class list, the loss check a known final
  // activation, the parameter expectations an exactly counted model on a valid input.
  if (modelStmt && model.layers.length > 0) {
    if (classesOk) checkOutput(model.layers, model.output, classes, modelStmt.span, ds);
    if (model.endKnown) checkLossActivation(model.layers, lossSpan, ds, model.unsure);
  }
  checkMemory(model.layers, train.batch, ds);

  const expect = checkExpect(sections.get("expect"), ds);
  const counted = model.determined && inputOk;
  verifyExpect(counted ? expect : expect.filter((e) => e.kind === "shape"), model.layers, totals, model.names.names(), ds, model.mayBeMissing);

  const sweepStmt = sections.get("sweep");
  const sweep = sweepStmt ? checkSweepSection(sweepStmt, ds) : undefined;

  const layers = layerRows(model.layers);
  const ok = !hasErrors(ds);
  if (!ok || !dataset) return { file, ok: false, diagnostics: sortDiagnostics(uniqueDiagnostics(withoutRejected(doc, ds))), layers, totals };
  const spec: SpecIR = {
    name,
    dataset,
    preprocess,
    augment,
    model: { input, layers: model.layers, output: model.output },
    train,
    expect,
    totals,
  };
  if (sweep && sweepStmt) {
    // Each trial is the spec without its sweep section, edited and checked in full.
    const base = { ...doc, statements: doc.statements.filter((s) => s !== sweepStmt) };
    verifySweep(sweep, base, spec, (d) => checkDocument(d, file), ds);
    if (hasErrors(ds)) return { file, ok: false, diagnostics: sortDiagnostics(ds), layers, totals };
    return { file, ok, diagnostics: sortDiagnostics(ds), spec: { ...spec, sweep: sweepIR(sweep) }, layers, totals };
  }
  return { file, ok, diagnostics: sortDiagnostics(uniqueDiagnostics(ds)), spec, layers, totals };
}

function collectSections(doc: Document, ds: Diagnostic[]): Map<string, Statement> {
  const out = new Map<string, Statement>();
  for (const s of doc.statements) {
    const head = s.head.name;
    if (!topSection(head)) {
      ds.push(diagnostic("F0101", `unknown section "${head}"`, s.head.span, hintFor(head, SECTION_NAMES) ?? `sections: ${SECTION_NAMES.join(", ")}`));
      continue;
    }
    const sec = head;
    const first = out.get(sec);
    if (first) {
      ds.push(diagnostic("F0103", `section ${sec} appears twice (first on line ${first.head.span.line})`, s.head.span, "merge them into one"));
      continue;
    }
    out.set(sec, s);
  }
  for (const r of SECTIONS.filter((t) => t.required).map((t) => t.info.name)) {
    if (!out.has(r)) ds.push(diagnostic("F0104", `missing required section ${r}`, startSpan(doc), r === "spec" ? "start the file with: spec NAME" : `add: ${r} { ... }`));
  }
  return out;
}

/**
 * A literal the parser rejected as out of range (`1e999`, F0004) stands in the tree as 0, and
 * the checks above rightly refuse that 0 ("must be at least 1"), which keeps the spec from
 * resolving and parameter totals from being trusted. The user, though, needs one report per
 * literal, and the parser's says what is actually wrong: diagnostics on exactly such a literal
 * are dropped here, after `ok` and the other decisions were taken with them.
 */
function withoutRejected(doc: Document, ds: readonly Diagnostic[]): readonly Diagnostic[] {
  const rejected = new Set<string>();
  const key = (s: Span) => `${s.offset}:${s.length}`;
  const visit = (v: Value): void => {
    if (v.kind === "list") v.items.forEach(visit);
    else if ((v.kind === "number" || v.kind === "dims") && v.malformed) rejected.add(key(v.span));
  };
  // Recursion is bounded: the parser refuses nesting deeper than MAX_NESTING.
  const walk = (ss: readonly Statement[]): void => {
    for (const st of ss) {
      for (const a of st.args) visit(a.value);
      if (st.block) walk(st.block.statements);
    }
  };
  walk(doc.statements);
  return rejected.size === 0 ? ds : ds.filter((d) => !rejected.has(key(d.span)));
}

const startSpan = (doc: Document) => ({ ...doc.span, length: 0, endLine: doc.span.line, endColumn: doc.span.column });

function sumTotals(layers: SpecIR["model"]["layers"]): ParamTotals {
  const total = layers.reduce((a, l) => a + l.params, 0);
  const trainable = layers.reduce((a, l) => a + l.trainableParams, 0);
  return { trainable, nonTrainable: total - trainable, total };
}

/**
 * The model's input: the image, or with `augment { random-crop HxW }` an HxW window of it. A
 * window larger than the image is an error at the statement (and leaves the input unknown).
 */
function croppedInput(image: Shape, augment: AugmentIR, augmentStmt: Statement | undefined, ds: Diagnostic[]): Shape {
  const crop = augment.randomCrop;
  if (!crop || image.length !== 3) return image;
  if (crop[0] > image[0]! || crop[1] > image[1]!) {
    const at = augmentStmt?.block?.statements.find((s) => s.head.name === "random-crop");
    ds.push(diagnostic("F0305", `random-crop ${crop[0]}x${crop[1]} is larger than the input ${image[0]}x${image[1]}`, at?.span ?? augmentStmt?.span ?? NO_SPAN, `crop to at most ${image[0]}x${image[1]}, e.g. ${Math.round(image[0]! * 5 / 6)}x${Math.round(image[1]! * 5 / 6)}`));
    return UNKNOWN;
  }
  return [crop[0], crop[1], image[2]!];
}
