/**
 * The `model { }` section: repeat expansion, layer binding, naming, shape inference and parameter
 * counts. A layer that cannot be checked yields an unknown shape (`[]`); the layers after it are
 * still bound and named but their shape checks are skipped, so one mistake reports once.
 */
import { diagnostic, didYouMean, hintFor, type Diagnostic, type Span } from "../diagnostics.js";
import type { LayerIR, OptionValue, Shape } from "../ir.js";
import { formatShape, type ContainerHooks, type LayerKind, type ParamCount } from "../layers/kind.js";
import { LAYER_ALIASES, layerKind, layerKindNames } from "../layers/registry.js";
import type { OptionSpec, Options } from "../schema/signature.js";
import type { Block, Statement, Value } from "../syntax/ast.js";
import { bindArgs, bindStatement, type Bound } from "../schema/bind.js";
import { allLayers } from "../layers/nested.js";
import { LAYER_NAME, NameTable, Scope } from "./names.js";
import { substitute, type Env } from "./substitute.js";

/** Expansion guard: nested repeats multiply; past this the model is surely a typo. */
export const MAX_LAYERS = 5000;

export const UNKNOWN: Shape = [];
export const known = (s: Shape): boolean => s.length > 0;

interface Ctx {
  readonly ds: Diagnostic[];
  readonly names: NameTable;
  count: number;
  tooBig: boolean;
  /** Some layer, its shape or its parameter count is not known (so totals are not to be trusted). */
  undetermined: boolean;
  /** Some statement is no layer at all. */
  unknownStatement: boolean;
  /** The last statement expanded was no layer (so the model's real end is unknown). */
  lastUnknown: boolean;
  /** Names an unknown statement would have had as the layer it most likely means (`conv2d` → conv1). */
  readonly phantoms: Set<string>;
  /** An unknown statement with no likely meaning: any name may be missing. */
  anyNameMissing: boolean;
  /** Options of a layer left unknown by a mistake, by layer name. */
  readonly unsure: Map<string, readonly string[]>;
}

export interface ModelResult {
  readonly layers: LayerIR[];
  readonly output: Shape;
  readonly names: NameTable;
  /** Every layer was bound, shaped and counted: parameter totals are exact. */
  readonly determined: boolean;
  /** The model's last statement is a layer (not an unknown statement). */
  readonly endKnown: boolean;
  /**
   * Whether a name absent from the model may still be the name of a layer an unknown statement
   * was meant to be (`conv2d 3x3 8` would be conv1): an expectation naming it is not reported.
   */
  readonly mayBeMissing: (name: string) => boolean;
  /** The options of a layer that a mistake left unknown, by layer name (none for a clean layer). */
  readonly unsure: ReadonlyMap<string, readonly string[]>;
}

export function checkModel(block: Block | undefined, input: Shape, ds: Diagnostic[]): ModelResult {
  const ctx: Ctx = { ds, names: new NameTable(), count: 0, tooBig: false, undetermined: false, unknownStatement: false, lastUnknown: false, phantoms: new Set(), anyNameMissing: false, unsure: new Map() };
  const { layers, output } = expandBlock(block?.statements ?? [], new Scope(""), input, new Map(), ctx);
  const shaped = allLayers(layers).every((l) => known(l.outputShape));
  return {
    layers,
    output,
    names: ctx.names,
    determined: shaped && !ctx.undetermined && !ctx.unknownStatement && !ctx.tooBig,
    endKnown: !ctx.lastUnknown && !ctx.tooBig,
    mayBeMissing: (n) => ctx.anyNameMissing || ctx.tooBig || [...ctx.phantoms].some((p) => n === p || n.startsWith(`${p}.`)),
    unsure: ctx.unsure,
  };
}

function expandBlock(stmts: readonly Statement[], scope: Scope, input: Shape, env: Env, ctx: Ctx): { layers: LayerIR[]; output: Shape } {
  const layers: LayerIR[] = [];
  let shape = input;
  for (const raw of stmts) {
    if (ctx.tooBig) break;
    const stmt = substitute(raw, env, layerKind(raw.head.name)?.signature);
    if (stmt.head.name === "repeat") {
      const r = expandRepeat(stmt, scope, shape, env, ctx);
      layers.push(...r.layers);
      shape = r.output;
      continue;
    }
    const kind = layerKind(stmt.head.name);
    if (!kind) {
      const alias = LAYER_ALIASES[stmt.head.name.toLowerCase()];
      const hint = alias ? `did you mean "${alias}"?` : hintFor(stmt.head.name, [...layerKindNames(), "repeat"]);
      ctx.ds.push(diagnostic("F0102", `unknown layer "${stmt.head.name}"`, stmt.head.span, hint ?? `layers: ${layerKindNames().join(", ")}`));
      ctx.unknownStatement = true;
      ctx.lastUnknown = true;
      // Numbered as the layer it most likely is, so the layers after it keep the names they get
      // once it is fixed, and an expectation naming it is not reported as a second mistake.
      const meant = layerKind(alias ?? didYouMean(stmt.head.name, layerKindNames()) ?? "");
      if (meant) ctx.phantoms.add(`${scope.prefix}${meant.abbrev}${scope.next(meant.abbrev)}`);
      else ctx.anyNameMissing = true;
      shape = UNKNOWN;
      continue;
    }
    const layer = expandLayer(kind, stmt, scope, shape, env, ctx);
    ctx.lastUnknown = false;
    layers.push(layer);
    shape = layer.outputShape;
  }
  return { layers, output: shape };
}

const REPEAT_SIG = {
  options: [{ name: "count", type: { t: "int", min: 1, max: MAX_LAYERS }, required: true, positional: true, doc: "iterations" }],
} as const;

function expandRepeat(stmt: Statement, scope: Scope, input: Shape, env: Env, ctx: Ctx): { layers: LayerIR[]; output: Shape } {
  const { ds } = ctx;
  // Split the arguments: `N`, `as NAME`, `with`, then `VAR = [..]` pairs.
  const vars = new Map<string, { items: readonly Value[]; span: Span }>();
  const rest = [];
  let stem = "block";
  for (let i = 0; i < stmt.args.length; i++) {
    const a = stmt.args[i]!;
    if (a.key) {
      if (a.value.kind !== "list") ds.push(diagnostic("F0201", `repeat: ${a.key.name} must be a list like [16, 32, 64]`, a.value.span));
      else if (vars.has(a.key.name)) ds.push(diagnostic("F0107", `repeat: variable ${a.key.name} is given twice`, a.key.span));
      else vars.set(a.key.name, { items: a.value.items, span: a.value.span });
      continue;
    }
    if (a.value.kind === "word" && a.value.name === "with") continue;
    if (a.value.kind === "word" && a.value.name === "as") {
      const next = stmt.args[i + 1];
      if (next && !next.key && next.value.kind === "word" && LAYER_NAME.test(next.value.name)) {
        stem = next.value.name;
        i++;
      } else ds.push(diagnostic("F0108", 'repeat: "as" needs a name like `stage`', a.value.span));
      continue;
    }
    rest.push(a);
  }
  const bound = bindArgs("repeat", REPEAT_SIG, rest, stmt.head.span, ds);
  if (!stmt.block) {
    ds.push(diagnostic("F0111", "repeat needs a block: repeat 3 { ... }", stmt.span));
    return { layers: [], output: input };
  }
  if (stmt.block.statements.length === 0 && !stmt.block.elided) ds.push(diagnostic("F0114", "repeat has an empty body: it adds no layers", stmt.block.span, "put layers inside, or remove the repeat", "warning"));
  const n = bound.complete ? (bound.options["count"] as number) : 1;
  let lengthsOk = true;
  for (const [name, v] of vars) {
    if (v.items.length !== n) {
      ds.push(diagnostic("F0205", `repeat ${n}: list ${name} has ${v.items.length} value${v.items.length === 1 ? "" : "s"}, needs ${n}`, v.span));
      lengthsOk = false;
    }
  }
  const layers: LayerIR[] = [];
  let shape = input;
  const reported = new Set<string>();
  for (let i = 0; i < n && !ctx.tooBig; i++) {
    // Iterations count toward the expansion limit too: nested repeats whose bodies hold no layer
    // (only unknown statements) would otherwise expand 2^depth times unchecked.
    if (++ctx.count > MAX_LAYERS) {
      ctx.tooBig = true;
      ds.push(diagnostic("F0601", `model expands to more than ${MAX_LAYERS} layers`, stmt.span, "check repeat counts"));
      break;
    }
    const inner = new Map(env);
    for (const [name, v] of vars) {
      const item = v.items[lengthsOk ? i : Math.min(i, v.items.length - 1)];
      if (item) inner.set(name, item);
    }
    const iterScope = scope.child(`${stem}${scope.next(stem)}`);
    // With bad list lengths the body is checked once only, so its errors are not repeated n times.
    const before = ds.length;
    const r = expandBlock(stmt.block.statements, iterScope, shape, inner, ctx);
    // A later iteration's error at a place an earlier one already reported with the same code is
    // the same mistake again (only the layer names differ): the first report stands for it.
    const fresh = ds.splice(before);
    ds.push(...fresh.filter((d) => !reported.has(spanKey(d))));
    for (const d of fresh) reported.add(spanKey(d));
    layers.push(...r.layers);
    shape = r.output;
    if (!lengthsOk || !bound.complete) break;
  }
  if (!lengthsOk || !bound.complete) ctx.undetermined = true;
  return { layers, output: lengthsOk && bound.complete ? shape : UNKNOWN };
}

const spanKey = (d: Diagnostic): string => `${d.code}@${d.span.offset}:${d.span.length}`;

function expandLayer(kind: LayerKind, stmt: Statement, scope: Scope, input: Shape, env: Env, ctx: Ctx): LayerIR {
  const { ds } = ctx;
  if (++ctx.count > MAX_LAYERS) {
    ctx.tooBig = true;
    ds.push(diagnostic("F0601", `model expands to more than ${MAX_LAYERS} layers`, stmt.span, "check repeat counts"));
  }
  const bound = bindStatement(kind.kind, kind.signature, stmt, ds, { allowName: true });
  const name = layerName(kind, bound.name, scope, stmt, ctx);
  if (kind.container && !stmt.block) ds.push(diagnostic("F0111", `${kind.kind} needs a block of layers: ${kind.example}`, stmt.span));
  if (!kind.container && stmt.block) ds.push(diagnostic("F0110", `${kind.kind} does not take a block`, stmt.block.open));
  const container = kind.container;
  if (container && stmt.block?.statements.length === 0 && !stmt.block.elided) ds.push(diagnostic("F0114", container.emptyBody.message, stmt.block.span, container.emptyBody.hint));
  if (!bound.complete) ctx.unsure.set(name, bound.unsure);
  if (container) return expandContainer(kind, container, stmt, name, bound, input, env, ctx);

  let output = UNKNOWN;
  let params = 0;
  let trainable = 0;
  if (bound.complete && known(input)) {
    const s = kind.shape(input, bound.options);
    if (s.ok) {
      output = s.shape;
      const p = kind.params(input, bound.options);
      params = p.trainable + p.nonTrainable;
      trainable = p.trainable;
    } else ds.push(diagnostic(s.code, `${name}: ${s.message}`, stmt.span));
  } else if (known(input)) {
    const p = probe(kind, input, bound);
    if (p) {
      output = p.shape;
      if (p.params) {
        params = p.params.trainable + p.params.nonTrainable;
        trainable = p.params.trainable;
      } else ctx.undetermined = true;
    }
  }
  return leaf(name, kind.kind, bound.options, input, output, params, trainable, stmt.span);
}

/** Most combinations of unknown option values tried before giving up on a layer's shape. */
const MAX_PROBES = 256;

/**
 * The shape of a layer some of whose options a mistake left unknown, when it is the same
 * whatever values they take (all values of an enum or flag, a spread of a real's range):
 * `conv 3x3 8 rleu` is 46x46x8 for any activation. Undefined when it depends on them (`same`
 * or `valid`, a size, a count) or the mistake cannot be pinned on an option. The parameter
 * count comes along when it agrees too (`bias` changes it, the activation does not).
 */
function probe(kind: LayerKind, input: Shape, bound: Bound): { shape: Shape; params?: ParamCount } | undefined {
  if (bound.opaque) return undefined;
  let combos: Record<string, OptionValue>[] = [{}];
  for (const name of bound.unsure) {
    const spec = kind.signature.options.find((o) => o.name === name);
    const values = spec && candidateValues(spec);
    if (!values || combos.length * values.length > MAX_PROBES) return undefined;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  let shape: Shape | undefined;
  let params: ParamCount | undefined;
  let paramsAgree = true;
  for (const c of combos) {
    const options = { ...bound.options, ...c };
    const s = kind.shape(input, options);
    if (!s.ok || (shape && formatShape(shape) !== formatShape(s.shape))) return undefined;
    shape = s.shape;
    const p = kind.params(input, options);
    if (params && (params.trainable !== p.trainable || params.nonTrainable !== p.nonTrainable)) paramsAgree = false;
    params = p;
  }
  if (!shape) return undefined;
  return paramsAgree && params ? { shape, params } : { shape };
}

/** Values standing for "any value" of an option; undefined for the kinds that shape a layer. */
function candidateValues(o: OptionSpec): readonly OptionValue[] | undefined {
  const t = o.type;
  if (t.t === "enum") return t.values;
  if (t.t === "bool") return [true, false];
  if (t.t !== "number") return undefined;
  const lo = t.min ?? -1;
  const hi = t.max ?? lo + 2;
  const inside = (x: number) => (t.exclusiveMin ? x > lo : x >= lo) && (t.exclusiveMax ? x < hi : x <= hi);
  const picks = [lo, lo + (hi - lo) / 4, (lo + hi) / 2, hi, ...(typeof o.default === "number" ? [o.default] : [])];
  return picks.filter(inside);
}

function layerName(kind: LayerKind, explicit: { value: string; span: Span } | undefined, scope: Scope, stmt: Statement, ctx: Ctx): string {
  const n = scope.next(kind.abbrev);
  let name = `${scope.prefix}${kind.abbrev}${n}`;
  let span = stmt.head.span;
  if (explicit) {
    if (LAYER_NAME.test(explicit.value)) {
      name = `${scope.prefix}${explicit.value}`;
      span = explicit.span;
    } else {
      ctx.ds.push(diagnostic("F0202", `layer name "${explicit.value}" must start with a letter and use letters, digits, _ . -`, explicit.span));
    }
  }
  ctx.names.claim(name, span, ctx.ds);
  return name;
}

/**
 * A container's body is expanded like any block, under the container's name (`res1.conv1`); the
 * kind's hooks then say what the container makes of it: its output, layers beside the body (a
 * residual's projection shortcut) and their names.
 */
function expandContainer(kind: LayerKind, container: ContainerHooks, stmt: Statement, name: string, bound: Bound, input: Shape, env: Env, ctx: Ctx): LayerIR {
  const { ds } = ctx;
  const body = expandBlock(stmt.block?.statements ?? [], new Scope(`${name}.`), input, env, ctx);
  const span = stmt.head.span;
  const { output, shortcut } = container.check({
    name,
    options: bound.options,
    complete: bound.complete,
    unsure: bound.unsure,
    opaque: bound.opaque,
    input,
    body: body.output,
    span,
    claim: (n) => ctx.names.claim(n, span, ds),
    report: (message, hint) => ds.push(diagnostic("F0304", message, span, hint)),
  });
  const children = body.layers;
  const all = [...children, ...shortcut];
  return {
    name,
    kind: kind.kind,
    options: { ...bound.options },
    inputShape: input,
    outputShape: output,
    params: all.reduce((a, l) => a + l.params, 0),
    trainableParams: all.reduce((a, l) => a + l.trainableParams, 0),
    children,
    shortcut: [...shortcut],
    span: stmt.span,
  };
}

function leaf(name: string, kind: string, options: Options, input: Shape, output: Shape, params: number, trainable: number, span: Span): LayerIR {
  return { name, kind, options: { ...options }, inputShape: input, outputShape: output, params, trainableParams: trainable, span };
}
