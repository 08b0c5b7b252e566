/**
 * `expect { params trainable N non-trainable N total N; shape LAYER = DIMS; accuracy test >= 0.9 }`.
 * Parsing produces ExpectIR; `verifyExpect` compares the static ones (params, shape) with the
 * checked model. Accuracy is kept for the trainer to check after a run.
 */
import { diagnostic, hintFor, type Diagnostic } from "../diagnostics.js";
import type { ExpectIR, LayerIR, ParamTotals } from "../ir.js";
import { formatShape } from "../layers/kind.js";
import type { Statement, Value } from "../syntax/ast.js";
import { bindStatement } from "../schema/bind.js";
import { allLayers } from "../layers/nested.js";
import { concreteLayers } from "./flatten.js";
import { known } from "./model.js";
import { walkSection } from "../schema/walk.js";
import { EXPECT, PARAMS_SIG } from "../sections/expect.js";

const WHICH = { trainable: "trainable", "non-trainable": "non-trainable", total: "total" } as const;

export function checkExpect(stmt: Statement | undefined, ds: Diagnostic[]): ExpectIR[] {
  const out: ExpectIR[] = [];
  walkSection(EXPECT, stmt?.block, {
    params: (s) => {
      const b = bindStatement("params", PARAMS_SIG, s, ds);
      if (Object.keys(b.spans).length === 0 && b.complete) {
        ds.push(diagnostic("F0108", "params needs trainable N, non-trainable N and/or total N", s.span));
      }
      // `total 1e999` binds as its stand-in 0 (the parser reported it); comparing that 0 would report it again.
      if (s.args.some((a) => rejected(a.value))) return;
      for (const [k, which] of Object.entries(WHICH)) {
        const v = b.options[k];
        if (typeof v === "number") out.push({ kind: "params", which, value: v, span: b.spans[k]! });
      }
    },
    shape: (s) => pushDefined(out, shapeExpect(s, ds)),
    accuracy: (s) => pushDefined(out, accuracyExpect(s, ds)),
  }, ds);
  return out;
}

/** Out of range, so already reported by the parser (F0004). */
const rejected = (v: Value): boolean => (v.kind === "number" || v.kind === "dims") && v.malformed === true;

const pushDefined = <T>(xs: T[], x: T | undefined): void => {
  if (x !== undefined) xs.push(x);
};

/** `shape block1.conv1 = 46x46x16` (parsed as key = value) or `shape block1.conv1 46x46x16`. */
function shapeExpect(s: Statement, ds: Diagnostic[]): ExpectIR | undefined {
  const a = s.args[0];
  const layer = a?.key ?? (a?.value.kind === "word" ? a.value : undefined);
  const dims = a?.key ? a.value : s.args[1]?.value;
  const extra = a?.key ? s.args[1] : s.args[2];
  if (!layer || (dims?.kind !== "dims" && dims?.kind !== "number") || extra) {
    ds.push(diagnostic("F0201", "expect shape must look like: shape block1.conv1 = 46x46x16", s.span));
    return undefined;
  }
  if (rejected(dims)) return undefined;
  const shape = dims.kind === "dims" ? [...dims.dims] : [dims.value];
  return { kind: "shape", layer: layer.name, shape, span: s.span };
}

/** `accuracy test >= 0.9` (or `accuracy val >= 65%`). */
function accuracyExpect(s: Statement, ds: Diagnostic[]): ExpectIR | undefined {
  const [split, op, value] = s.args.map((a) => a.value);
  const shapeOk = s.args.length === 3 && split?.kind === "word" && op?.kind === "word" && op.name === ">=" && value?.kind === "number";
  if (!shapeOk) {
    ds.push(diagnostic("F0201", "expect accuracy must look like: accuracy test >= 0.9", s.span));
    return undefined;
  }
  if (split.name !== "test" && split.name !== "val") {
    ds.push(diagnostic("F0203", `accuracy split "${split.name}" is not val or test`, split.span, hintFor(split.name, ["val", "test"])));
    return undefined;
  }
  if (value.unit !== undefined && value.unit !== "%") {
    ds.push(diagnostic("F0204", `accuracy takes a fraction or %, got ${value.raw}${value.unit}`, value.span));
    return undefined;
  }
  const min = value.unit === "%" ? value.value / 100 : value.value;
  if (!(min >= 0 && min <= 1)) {
    ds.push(diagnostic("F0202", `accuracy must be in [0, 1] (or 0-100%), got ${value.raw}${value.unit ?? ""}`, value.span));
    return undefined;
  }
  return { kind: "accuracy", split: split.name, min, span: s.span };
}

/**
 * Compare the static expectations with the model; `names` include non-IR layers (`res1.act`).
 * `mayBeMissing` says which absent names a model statement that is no layer would have had
 * (`conv2d` meant as conv1): those are that statement's mistake, not an unknown layer (F0503).
 */
export function verifyExpect(
  expects: readonly ExpectIR[],
  layers: readonly LayerIR[],
  totals: ParamTotals,
  names: readonly string[],
  ds: Diagnostic[],
  mayBeMissing: (name: string) => boolean = () => false,
): void {
  const byName = new Map(allLayers(layers).map((l) => [l.name, l]));
  // Layers a container adds besides its parts (`res1.act`) output what the container outputs.
  const concrete = new Map(concreteLayers(layers).map((r) => [r.name, r.outputShape]));
  for (const e of expects) {
    if (e.kind === "params") {
      const actual = e.which === "trainable" ? totals.trainable : e.which === "non-trainable" ? totals.nonTrainable : totals.total;
      if (actual !== e.value) {
        ds.push(diagnostic("F0501", `expected ${e.value.toLocaleString("en-US")} ${e.which} parameters, the model has ${actual.toLocaleString("en-US")}`, e.span, `write ${e.which} ${actual}`));
      }
    } else if (e.kind === "shape") {
      const l = byName.get(e.layer);
      const shape = l?.outputShape ?? (names.includes(e.layer) ? concrete.get(e.layer) : undefined);
      if (!l && shape === undefined) {
        if (mayBeMissing(e.layer)) continue;
        ds.push(diagnostic("F0503", `expect names unknown layer "${e.layer}"`, e.span, hintFor(e.layer, names) ?? "run ferc check to see the layer names"));
        continue;
      }
      if (shape && known(shape) && formatShape(shape) !== formatShape(e.shape)) {
        ds.push(diagnostic("F0502", `expected ${e.layer} to output ${formatShape(e.shape)}, it outputs ${formatShape(shape)}`, e.span, `write ${formatShape(shape)}`));
      }
    }
  }
}

// ---------------------------------------------------------------- accuracy, after a run or an eval

/** One `accuracy SPLIT >= MIN` judged against a measured accuracy. */
export interface AccuracyVerdict {
  readonly split: "val" | "test";
  /** The bound as a fraction. */
  readonly min: number;
  /** The measured accuracy (fraction); null when the split was not measured. */
  readonly actual: number | null;
  readonly verdict: "pass" | "fail" | "unchecked";
  /** Spec line of the assertion. */
  readonly line: number;
  /** Why it was not checked (only for `unchecked`). */
  readonly note?: string;
}

/**
 * Judge every accuracy expectation. `measured[split]` is the accuracy, or a string saying why the
 * split was not measured (the run stopped before testing, eval looked at another split, ...).
 */
export function checkAccuracy(
  expects: readonly ExpectIR[],
  measured: Readonly<Partial<Record<"val" | "test", number | string>>>,
): AccuracyVerdict[] {
  const out: AccuracyVerdict[] = [];
  for (const e of expects) {
    if (e.kind !== "accuracy") continue;
    const m = measured[e.split];
    const line = e.span.line;
    if (typeof m === "number") out.push({ split: e.split, min: e.min, actual: m, verdict: m >= e.min ? "pass" : "fail", line });
    else out.push({ split: e.split, min: e.min, actual: null, verdict: "unchecked", line, note: m ?? `the ${e.split} split was not evaluated` });
  }
  return out;
}

export const accuracyFailed = (vs: readonly AccuracyVerdict[]): boolean => vs.some((v) => v.verdict === "fail");

/** A percentage without trailing zeros: 0.9 → "90%", 0.625 → "62.5%". */
const boundPct = (f: number): string => `${Number((f * 100).toFixed(2))}%`;

/** `expect accuracy test >= 90% (line 29): 16.43%, FAILED`; one line per verdict. */
export function formatVerdict(v: AccuracyVerdict): string {
  const head = `expect accuracy ${v.split} >= ${boundPct(v.min)} (line ${v.line})`;
  if (v.verdict === "unchecked" || v.actual === null) return `${head}: not checked (${v.note ?? "not measured"})`;
  return `${head}: ${(v.actual * 100).toFixed(2)}%, ${v.verdict === "pass" ? "holds" : "FAILED"}`;
}
