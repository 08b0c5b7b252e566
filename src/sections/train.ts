/** The `train { }` section: optimizer, schedule, loss, batch, epochs, early stop, class weights, tta, ema, distill. */
import { diagnostic, hintFor, type Diagnostic, type Span } from "../diagnostics.js";
import type { EarlyStopIR, OptimizerIR, ScheduleIR, TrainIR } from "../ir.js";
import type { OptionSpec, Signature } from "../schema/signature.js";
import type { Statement } from "../syntax/ast.js";
import type { Bound } from "../schema/bind.js";
import { kw, list, num, stmt, str, word } from "../schema/build.js";
import { only, type SectionSchema, type StatementSchema } from "../schema/section.js";

const unit01 = { t: "number", min: 0, max: 1, exclusiveMax: true } as const;
const positive = { t: "number", min: 0, exclusiveMin: true } as const;

/** Which options each optimizer takes, with Keras' defaults (the docs below quote them). */
const OPTIMIZER_DEFAULTS: Readonly<Record<OptimizerIR["kind"], Readonly<Record<string, number | boolean>>>> = {
  adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  sgd: { lr: 0.01, momentum: 0, nesterov: false },
  rmsprop: { lr: 1e-3, rho: 0.9, momentum: 0, epsilon: 1e-7 },
};

const OPTIMIZER_SIG: Signature = {
  options: [
    { name: "kind", type: { t: "enum", values: Object.keys(OPTIMIZER_DEFAULTS) }, required: true, positional: true, bare: true, doc: "the optimizer" },
    { name: "lr", type: positive, aliases: ["learning-rate"], doc: "learning rate (adam 1e-3, sgd 0.01, rmsprop 1e-3)" },
    { name: "beta1", type: unit01, doc: "adam: first-moment decay (0.9)" },
    { name: "beta2", type: unit01, doc: "adam: second-moment decay (0.999)" },
    { name: "epsilon", type: positive, doc: "adam/rmsprop: numerical fuzz (1e-7)" },
    { name: "momentum", type: unit01, doc: "sgd/rmsprop: momentum (0)" },
    { name: "nesterov", type: { t: "bool" }, doc: "sgd: Nesterov momentum" },
    { name: "rho", type: unit01, doc: "rmsprop: decay (0.9)" },
  ],
};

const SCHEDULE_DEFAULTS: Readonly<Record<ScheduleIR["kind"], Readonly<Record<string, number | string>>>> = {
  constant: {},
  plateau: { factor: 0.1, patience: 10, "min-lr": 0, monitor: "val.loss" },
  step: { every: 10, factor: 0.1 },
  cosine: { warmup: 0, "min-lr": 0 },
  "cosine-restarts": { period: 10, mult: 2, "min-lr": 0 },
  "one-cycle": { peak: 0.3, div: 25, "final-div": 1e4 },
};

const SCHEDULE_SIG: Signature = {
  options: [
    { name: "kind", type: { t: "enum", values: Object.keys(SCHEDULE_DEFAULTS) }, required: true, positional: true, bare: true, doc: "the learning-rate schedule" },
    { name: "factor", type: { t: "number", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, doc: "plateau/step: multiply lr by this (0.1)" },
    { name: "patience", type: { t: "int", min: 0 }, doc: "plateau: epochs without improvement (10)" },
    { name: "min-lr", type: { t: "number", min: 0 }, doc: "plateau/cosine/cosine-restarts: floor (0)" },
    { name: "monitor", type: { t: "word" }, doc: "plateau: metric watched (val.loss)" },
    { name: "every", type: { t: "int", min: 1 }, doc: "step: epochs between drops (10)" },
    { name: "warmup", type: { t: "int", min: 0 }, doc: "cosine: linear warm-up epochs (0)" },
    { name: "period", type: { t: "int", min: 1 }, doc: "cosine-restarts: epochs of the first cycle (10)" },
    { name: "mult", type: { t: "int", min: 1 }, doc: "cosine-restarts: each cycle this many times longer than the one before (2)" },
    { name: "peak", type: { t: "number", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, doc: "one-cycle: fraction of the epochs spent rising to lr (0.3)" },
    { name: "div", type: { t: "number", min: 1 }, doc: "one-cycle: starts at lr / div (25)" },
    { name: "final-div", type: { t: "number", min: 1 }, doc: "one-cycle: ends at lr / (div * final-div) (1e4)" },
  ],
};

const EARLY_STOP_SIG: Signature = {
  options: [
    { name: "monitor", type: { t: "word" }, default: "val.loss", positional: true, doc: "metric watched: val.loss, val.acc, loss, acc" },
    { name: "patience", type: { t: "int", min: 0 }, default: 0, doc: "epochs without improvement before stopping (Keras 0)" },
    { name: "min-delta", type: { t: "number", min: 0 }, default: 0, doc: "smallest change that counts as improvement" },
    { name: "restore-best", type: { t: "bool" }, default: false, doc: "restore the best epoch's weights" },
    { name: "mode", type: { t: "enum", values: ["auto", "min", "max"] }, default: "auto", doc: "auto: max for accuracy, min for loss" },
  ],
};

/** Knowledge distillation from an ensemble (or run) record: src/distill, the loss in src/train/loss.ts. */
const DISTILL_SIG: Signature = {
  options: [
    { name: "teacher", type: { t: "string" }, required: true, positional: true, doc: "the teacher: an ensemble record (or a run record), relative to the spec file's directory; its probabilities on the train split are computed once and cached" },
    { name: "temperature", type: positive, default: 4, doc: "T: both distributions softened to softmax(log p / T); the KL term is scaled by T²" },
    { name: "weight", type: { t: "number", min: 0, max: 1, exclusiveMin: true }, default: 0.9, doc: "A: loss = A·T²·KL(teacher_T ‖ student_T) + (1 − A)·CE(labels); 1 trains on the teacher alone" },
    { name: "targets", type: { t: "enum", values: ["cached", "per-view"] }, default: "cached", doc: "cached: the teacher's view of each unaugmented train image, computed once; per-view: its view of the exact (augmented, cropped, mixed) batch the student sees, computed every step (the teacher's forward pass per step; its members must share the student's preprocessing and window)" },
  ],
};

const INIT_FROM_SIG: Signature = {
  options: [
    { name: "record", type: { t: "string" }, required: true, positional: true, doc: "a run record whose model is this spec's (same weights, same shapes), relative to the spec file's directory: training starts from its best checkpoint (else its last) instead of the seeded initialisation" },
  ],
};

/** Metric names the trainer logs; the aliases are normalised to them. */
export const MONITORS = ["val.loss", "val.acc", "loss", "acc"] as const;
const MONITOR_ALIASES: Readonly<Record<string, string>> = {
  val_loss: "val.loss",
  "val.accuracy": "val.acc",
  val_acc: "val.acc",
  val_accuracy: "val.acc",
  accuracy: "acc",
};

export const TRAIN_DEFAULTS: TrainIR = {
  optimizer: { kind: "adam", ...(OPTIMIZER_DEFAULTS.adam as { lr: number; beta1: number; beta2: number; epsilon: number }) },
  weightDecay: 0,
  schedule: { kind: "constant" },
  loss: "categorical-crossentropy",
  labelSmoothing: 0,
  batch: 32,
  epochs: 10,
  classWeights: "none",
  seed: 42,
};

type Train = StatementSchema<TrainIR>;

const single = (name: string, type: OptionSpec["type"], doc: string): Signature => ({ options: [{ name, type, required: true, positional: true, doc }] });

/** A one-value statement: `batch 128` sets `ir[field]`; the resolved form always writes it. */
function value<K extends keyof TrainIR>(head: string, field: K, option: string, type: OptionSpec["type"], doc: string): Train {
  return {
    head,
    signature: single(option, type, doc),
    toIR: (t, _s, b) => {
      if (b) t[field] = only(b) as TrainIR[K];
    },
    fromIR: (t) => [stmt(head, [typeof t[field] === "string" ? word(t[field] as string) : num(t[field] as number)])],
  };
}

/** A one-value statement that is in the IR only when written, so records and snapshots of specs without it are unchanged. */
function optional<K extends "tta" | "ema">(head: K, type: OptionSpec["type"], option: string, doc: string): Train {
  return {
    head,
    signature: single(option, type, doc),
    toIR: (t, _s, b) => {
      if (b) t[head] = only(b) as TrainIR[K];
    },
    fromIR: (t) => {
      const v = t[head];
      return v === undefined ? [] : [stmt(head, [typeof v === "string" ? word(v) : num(v)])];
    },
  };
}

const STATEMENTS: readonly Train[] = [
  {
    head: "optimizer",
    signature: OPTIMIZER_SIG,
    toIR: (t, s, b, cx) => (t.optimizer = optimizer(b, s, cx.ds) ?? t.optimizer),
    fromIR: ({ optimizer: o }) => {
      const opt =
        o.kind === "adam"
          ? [kw("lr", num(o.lr)), kw("beta1", num(o.beta1)), kw("beta2", num(o.beta2)), kw("epsilon", num(o.epsilon))]
          : o.kind === "sgd"
            ? [kw("lr", num(o.lr)), kw("momentum", num(o.momentum)), kw("nesterov", word(o.nesterov ? "on" : "off"))]
            : [kw("lr", num(o.lr)), kw("rho", num(o.rho)), kw("momentum", num(o.momentum)), kw("epsilon", num(o.epsilon))];
      return [stmt("optimizer", [word(o.kind), ...opt])];
    },
  },
  value("weight-decay", "weightDecay", "value", { t: "number", min: 0 }, "decoupled L2 decay on kernels"),
  {
    head: "schedule",
    signature: SCHEDULE_SIG,
    toIR: (t, s, b, cx) => (t.schedule = schedule(b, s, cx.ds) ?? t.schedule),
    fromIR: ({ schedule: s }) => {
      const args =
        s.kind === "plateau"
          ? [kw("monitor", word(s.monitor)), kw("factor", num(s.factor)), kw("patience", num(s.patience)), kw("min-lr", num(s.minLr))]
          : s.kind === "step"
            ? [kw("every", num(s.every)), kw("factor", num(s.factor))]
            : s.kind === "cosine"
              ? [kw("warmup", num(s.warmup)), kw("min-lr", num(s.minLr))]
              : s.kind === "cosine-restarts"
                ? [kw("period", num(s.period)), kw("mult", num(s.mult)), kw("min-lr", num(s.minLr))]
                : s.kind === "one-cycle"
                  ? [kw("peak", num(s.peak)), kw("div", num(s.div)), kw("final-div", num(s.finalDiv))]
                  : [];
      return [stmt("schedule", [word(s.kind), ...args])];
    },
  },
  value("loss", "loss", "loss", { t: "enum", values: ["categorical-crossentropy"] }, "the loss"),
  value("label-smoothing", "labelSmoothing", "value", unit01, "label smoothing in [0, 1)"),
  value("batch", "batch", "size", { t: "int", min: 1, max: 65536 }, "batch size"),
  value("epochs", "epochs", "count", { t: "int", min: 1, max: 100000 }, "maximum epochs"),
  {
    head: "early-stop",
    signature: EARLY_STOP_SIG,
    toIR: (t, s, b, cx) => {
      const e = earlyStop(b, s, cx.ds);
      if (e) t.earlyStop = e;
    },
    fromIR: ({ earlyStop: e }) =>
      e
        ? [
            stmt("early-stop", [
              kw("monitor", word(e.monitor)),
              kw("patience", num(e.patience)),
              kw("min-delta", num(e.minDelta)),
              kw("restore-best", word(e.restoreBest ? "on" : "off")),
              kw("mode", word(e.mode)),
            ]),
          ]
        : [],
  },
  {
    head: "class-weights",
    usage: "class-weights balanced|none|[W1, W2, ...]",
    doc: "per-class loss weights: balanced (n / (k * count), from the train split), none, or one non-negative weight per class",
    words: ["balanced", "none"],
    toIR: (t, s, _b, cx) => (t.classWeights = classWeights(s, cx.numClasses, cx.ds) ?? t.classWeights),
    fromIR: ({ classWeights: w }) => [stmt("class-weights", [typeof w === "string" ? word(w) : list(w.map((x) => num(x)))])],
  },
  optional("tta", { t: "enum", values: ["none", "flip", "ten-crop"] }, "mode", "test-time augmentation of val/test: flip averages each image's softmax with its mirror's; ten-crop (with augment random-crop) the four corner and centre windows, each mirrored"),
  optional("ema", { t: "number", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, "decay", "validate, keep as best and finish with an exponential moving average of the weights (0.999 is usual)"),
  {
    head: "distill",
    signature: DISTILL_SIG,
    toIR: (t, _s, b) => {
      if (!b) return;
      const targets = b.options["targets"] as "cached" | "per-view";
      // `cached` is the default and older records lack the field: the IR says only `per-view`.
      t.distill = { teacher: b.options["teacher"] as string, temperature: b.options["temperature"] as number, weight: b.options["weight"] as number, ...(targets === "per-view" ? { targets } : {}) };
    },
    fromIR: ({ distill: d }) =>
      d ? [stmt("distill", [str(d.teacher), kw("temperature", num(d.temperature)), kw("weight", num(d.weight)), ...(d.targets === "per-view" ? [kw("targets", word("per-view"))] : [])])] : [],
  },
  {
    head: "init-from",
    signature: INIT_FROM_SIG,
    doc: "fine-tune: start from a run record's weights instead of the seeded initialisation",
    toIR: (t, _s, b) => {
      if (b) t.initFrom = b.options["record"] as string;
    },
    fromIR: ({ initFrom }) => (initFrom !== undefined ? [stmt("init-from", [str(initFrom)])] : []),
  },
  value("seed", "seed", "value", { t: "int", min: 0, max: 2 ** 31 - 1 }, "seed for initialisers, shuffling and augmentation"),
];

export const TRAIN: SectionSchema<TrainIR> = {
  name: "train",
  summary: "the training policy",
  sorted: true,
  statements: STATEMENTS,
  defaults: () => ({ ...TRAIN_DEFAULTS }),
};

function optimizer(b: Bound | undefined, s: Statement, ds: Diagnostic[]): OptimizerIR | undefined {
  if (!b) return undefined;
  const kind = b.options["kind"] as OptimizerIR["kind"];
  const defaults = OPTIMIZER_DEFAULTS[kind];
  let okAll = true;
  for (const key of Object.keys(b.spans)) {
    if (key === "kind" || key in defaults) continue;
    ds.push(diagnostic("F0404", `optimizer ${kind} does not take ${key}`, b.spans[key]!, `${kind} takes: ${Object.keys(defaults).join(", ")}`));
    okAll = false;
  }
  if (!okAll) return undefined;
  const o = { ...defaults, ...b.options } as Record<string, number | boolean>;
  if (kind === "adam") return { kind, lr: o["lr"] as number, beta1: o["beta1"] as number, beta2: o["beta2"] as number, epsilon: o["epsilon"] as number };
  if (kind === "sgd") {
    if (o["nesterov"] === true && o["momentum"] === 0) ds.push(diagnostic("F0404", "nesterov needs momentum > 0", s.span, "add e.g. momentum 0.9"));
    return { kind, lr: o["lr"] as number, momentum: o["momentum"] as number, nesterov: o["nesterov"] as boolean };
  }
  return { kind, lr: o["lr"] as number, rho: o["rho"] as number, momentum: o["momentum"] as number, epsilon: o["epsilon"] as number };
}

function schedule(b: Bound | undefined, s: Statement, ds: Diagnostic[]): ScheduleIR | undefined {
  if (!b) return undefined;
  const kind = b.options["kind"] as ScheduleIR["kind"];
  const defaults = SCHEDULE_DEFAULTS[kind];
  for (const key of Object.keys(b.spans)) {
    if (key === "kind" || key in defaults) continue;
    ds.push(diagnostic("F0404", `schedule ${kind} does not take ${key}`, b.spans[key]!, Object.keys(defaults).length ? `${kind} takes: ${Object.keys(defaults).join(", ")}` : undefined));
    return undefined;
  }
  const o = { ...defaults, ...b.options } as Record<string, number | string>;
  switch (kind) {
    case "constant":
      return { kind };
    case "plateau": {
      const monitor = checkMonitor(o["monitor"] as string, b.spans["monitor"] ?? s.span, ds, "schedule plateau");
      return monitor ? { kind, monitor, factor: o["factor"] as number, patience: o["patience"] as number, minLr: o["min-lr"] as number } : undefined;
    }
    case "step":
      return { kind, every: o["every"] as number, factor: o["factor"] as number };
    case "cosine":
      return { kind, warmup: o["warmup"] as number, minLr: o["min-lr"] as number };
    case "cosine-restarts":
      return { kind, period: o["period"] as number, mult: o["mult"] as number, minLr: o["min-lr"] as number };
    case "one-cycle":
      return { kind, peak: o["peak"] as number, div: o["div"] as number, finalDiv: o["final-div"] as number };
  }
}

function earlyStop(b: Bound | undefined, s: Statement, ds: Diagnostic[]): EarlyStopIR | undefined {
  if (!b) return undefined;
  const monitor = checkMonitor(b.options["monitor"] as string, b.spans["monitor"] ?? s.span, ds, "early-stop");
  if (!monitor) return undefined;
  const mode = b.options["mode"] as string;
  return {
    monitor,
    mode: mode === "auto" ? (monitor.endsWith("acc") ? "max" : "min") : (mode as "min" | "max"),
    patience: b.options["patience"] as number,
    minDelta: b.options["min-delta"] as number,
    restoreBest: b.options["restore-best"] as boolean,
  };
}

export function checkMonitor(name: string, span: Span, ds: Diagnostic[], what = "monitor"): string | undefined {
  if ((MONITORS as readonly string[]).includes(name)) return name;
  if (refuseTestMonitor(name, what, span, ds)) return undefined;
  const alias = MONITOR_ALIASES[name];
  if (alias) return alias;
  ds.push(diagnostic("F0402", `unknown metric "${name}"`, span, hintFor(name, MONITORS) ?? `metrics: ${MONITORS.join(", ")}`));
  return undefined;
}

function classWeights(s: Statement, numClasses: number | undefined, ds: Diagnostic[]): TrainIR["classWeights"] | undefined {
  const v = s.args[0]?.value;
  if (s.args.length === 1 && v?.kind === "word" && (v.name === "balanced" || v.name === "none")) return v.name;
  if (s.args.length === 1 && v?.kind === "list") {
    const nums = v.items.map((i) => (i.kind === "number" && i.unit === undefined && i.value >= 0 ? i.value : Number.NaN));
    if (nums.some(Number.isNaN)) {
      ds.push(diagnostic("F0202", "class-weights must be non-negative numbers", v.span));
      return undefined;
    }
    if (numClasses !== undefined && nums.length !== numClasses) {
      ds.push(diagnostic("F0202", `class-weights has ${nums.length} values, the dataset has ${numClasses} classes`, v.span));
      return undefined;
    }
    return nums;
  }
  const w = v?.kind === "word" ? v.name : "";
  ds.push(diagnostic("F0201", "class-weights must be balanced, none or a list like [1, 2, ...]", v?.span ?? s.head.span, hintFor(w, ["balanced", "none"])));
  return undefined;
}

/** A metric of the test split (`test.loss`, `test_acc`, `test.accuracy`, ...). */
export function isTestMetric(name: string): boolean {
  return /^test[._-]/.test(name);
}

/**
 * The protocol: the test split is evaluated once, after training, and drives no choice. A monitor
 * (early stopping, which epoch is best and restored, the plateau schedule) that reads it would
 * select on the test set and inflate the reported accuracy. True when `name` was refused.
 */
export function refuseTestMonitor(name: string, what: string, span: Span, ds: Diagnostic[]): boolean {
  if (!isTestMetric(name)) return false;
  const metric = name.replace(/^test[._-]/, "").replace(/^accuracy$/, "acc");
  const val = metric === "acc" || metric === "loss" ? `val.${metric}` : "val.loss or val.acc";
  ds.push(diagnostic("F0405", `${what} monitors ${name}: choices may not use the test split`, span, `monitor ${val}: the test split is evaluated once, after training`));
  return true;
}
