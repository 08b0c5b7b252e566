/** The `dataset NAME { source; input; classes; split { }; clean { } }` section. */
import { diagnostic, didYouMean, type Diagnostic, type Span } from "../diagnostics.js";
import type { DatasetIR, SourceIR, SplitRuleIR } from "../ir.js";
import type { Signature } from "../schema/signature.js";
import type { Statement } from "../syntax/ast.js";
import { bindArgs } from "../schema/bind.js";
import { dims, kw, name, num, stmt, str, word } from "../schema/build.js";
import { checkSection, fromIR, type CheckContext, type SectionSchema } from "../schema/section.js";

/**
 * The Usage values of the FER2013 CSV (and the synthetic source's pools). Another CSV may use
 * other values, so a rule naming none of these is a warning, not an error; but a near miss
 * (`Trainig`, `training`) would select no rows, and the loader only finds out minutes later.
 */
export const FER_USAGES = ["Training", "PublicTest", "PrivateTest"] as const;

export const FER_CLASSES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;
/** Same defaults as the data pipeline's synthetic source (src/data/load.ts). */
const SYNTHETIC_DEFAULTS = { count: 7000, seed: 1, noise: 0.05 };

const SYNTHETIC_SIG: Signature = {
  options: [
    { name: "count", type: { t: "int", min: 7 }, default: SYNTHETIC_DEFAULTS.count, doc: "images in all" },
    { name: "seed", type: { t: "int", min: 0 }, default: SYNTHETIC_DEFAULTS.seed, doc: "generator seed" },
    { name: "noise", type: { t: "number", min: 0, max: 1 }, default: SYNTHETIC_DEFAULTS.noise, doc: "pixel noise level" },
  ],
};
const PATH_SIG: Signature = { options: [{ name: "path", type: { t: "string" }, required: true, positional: true, doc: "file or directory" }] };

type Which = "train" | "val" | "test";
type SplitDraft = Partial<Record<Which, SplitRuleIR>>;

const rule = (which: Which) => ({
  head: which,
  usage: `${which} = usage "NAME" | folder "DIR" | fraction F of train`,
  doc: `the ${which} split: rows whose Usage is NAME, images under DIR, or a fraction of train (0.1, 10%)`,
  words: ["usage", "folder", "fraction", "of"],
  toIR: (out: { [K in Which]?: SplitRuleIR }, r: Statement, _b: unknown, cx: CheckContext) => {
    const rr = checkSplitRule(which, r, cx.ds);
    if (rr) out[which] = rr;
  },
  fromIR: (split: DatasetIR["split"]): Statement[] => {
    const r = split[which];
    const args =
      r.kind === "usage" ? [word("usage"), str(r.value)] : r.kind === "folder" ? [word("folder"), str(r.dir)] : [word("fraction"), num(r.fraction), word("of"), word(r.of)];
    return [stmt(which, args, undefined, true)];
  },
});

const SPLIT: SectionSchema<SplitDraft, DatasetIR["split"]> = {
  name: "split",
  summary: "which rows or images form train, val and test",
  sorted: true,
  statements: [rule("train"), rule("val"), rule("test")],
  defaults: () => ({}),
};

const CLEAN: SectionSchema<DatasetIR["clean"]> = {
  name: "clean",
  summary: "images dropped before training",
  sorted: false,
  statements: [
    {
      head: "drop",
      repeatable: true,
      signature: {
        options: [
          { name: "what", type: { t: "enum", values: ["blank", "duplicates"] }, required: true, positional: true, bare: true, doc: "what to drop" },
          { name: "threshold", type: { t: "number", min: 0, max: 255 }, default: 1, doc: "blank: max - min pixel range at or below which an image is blank" },
        ],
      },
      toIR: (c, _s, b) => {
        if (!b) return;
        if (b.options["what"] === "blank") {
          c.dropBlank = true;
          c.blankThreshold = b.options["threshold"] as number;
        } else c.dropDuplicates = true;
      },
      fromIR: (c) => [
        ...(c.dropBlank ? [stmt("drop", [word("blank"), kw("threshold", num(c.blankThreshold))])] : []),
        ...(c.dropDuplicates ? [stmt("drop", [word("duplicates")])] : []),
      ],
    },
    {
      // Whether cleaning also shrinks the test split (default keep: the full test set).
      head: "test",
      signature: {
        options: [
          { name: "mode", type: { t: "enum", values: ["keep", "clean"] }, required: true, positional: true, bare: true, doc: "keep: the test split stays whole (default); clean: the drops apply to it too" },
        ],
      },
      toIR: (c, _s, b) => b && (c.test = b.options["mode"] as "keep" | "clean"),
      fromIR: (c) => (c.dropBlank || c.dropDuplicates ? [stmt("test", [word(c.test)])] : []),
    },
  ],
  defaults: () => ({ dropBlank: false, blankThreshold: 1, dropDuplicates: false, test: "keep" }),
};

interface DatasetDraft {
  readonly source: SourceIR;
  readonly input: [number, number, number];
  readonly classes: string[];
  readonly split: SplitDraft;
  readonly clean: DatasetIR["clean"];
  /** A written input size or class list was refused: the stand-in default is not the author's. */
  readonly inputRejected: boolean;
  readonly classesRejected: boolean;
}

export const DATASET: SectionSchema<DatasetDraft, DatasetIR> = {
  name: "dataset",
  summary: "the data: where it is, its images, classes and split, and cleaning",
  sorted: true,
  statements: [
    {
      head: "source",
      usage: 'source "PATH" | csv "PATH" | folder "DIR" | synthetic [count N] [seed N] [noise X]',
      doc: "a FER2013-layout CSV (.csv or .csv.gz), a folder of class directories, or generated images (synthetic: count >= 7, default 7000; seed >= 0, default 1; noise in [0, 1], default 0.05)",
      words: ["csv", "folder", "synthetic", "count", "seed", "noise"],
      toIR: (d, s, _b, cx) => (d.source = checkSource(s, cx.ds) ?? d.source),
      fromIR: ({ source: src }) => [
        src.kind === "synthetic"
          ? stmt("source", [word("synthetic"), kw("count", num(src.count)), kw("seed", num(src.seed)), kw("noise", num(src.noise))])
          : stmt("source", [word(src.kind), str(src.path)]),
      ],
    },
    {
      head: "input",
      usage: "input HxWxC",
      doc: "image size and channels (1-4; HxW means one channel)",
      toIR: (d, s, _b, cx) => {
        const v = s.args[0]?.value;
        if (s.args.length !== 1 || v?.kind !== "dims" || (v.dims.length !== 3 && v.dims.length !== 2)) {
          cx.ds.push(diagnostic("F0305", "input must be HxWxC, like 48x48x1", s.args[0]?.span ?? s.head.span));
          d.inputRejected = true;
          return;
        }
        const x = v.dims.length === 2 ? [...v.dims, 1] : [...v.dims];
        if (x.some((n) => n < 1) || x[2]! > 4) {
          cx.ds.push(diagnostic("F0305", `input ${v.raw} must have positive sizes and 1-4 channels`, v.span));
          d.inputRejected = true;
        } else d.input = [x[0]!, x[1]!, x[2]!];
      },
      fromIR: (d) => [stmt("input", [dims(d.input)])],
    },
    {
      head: "classes",
      usage: "classes NAME NAME ... | [NAME, ...]",
      doc: "class names, in label order (at least 2, no repeats)",
      toIR: (d, s, _b, cx) => {
        const classes = checkClasses(s, cx.ds);
        if (classes) d.classes = classes;
        else d.classesRejected = true;
      },
      fromIR: (d) => [stmt("classes", d.classes.map(name))],
    },
    {
      head: "split",
      section: SPLIT,
      toIR: (d, s, _b, cx) => (d.split = checkSection(SPLIT, s.block, cx).ir),
      fromIR: (d) => [stmt("split", [], fromIR(SPLIT, d.split))],
    },
    {
      head: "clean",
      section: CLEAN,
      toIR: (d, s, _b, cx) => (d.clean = checkSection(CLEAN, s.block, cx).ir),
      fromIR: (d) => {
        const inner = fromIR(CLEAN, d.clean);
        return inner.length ? [stmt("clean", [], inner)] : [];
      },
    },
  ],
  defaults: () => ({ source: { kind: "csv", path: "data/fer2013.csv" }, input: [48, 48, 1], classes: [...FER_CLASSES], split: {}, clean: CLEAN.defaults(), inputRejected: false, classesRejected: false }),
};

export interface DatasetChecked {
  readonly dataset: DatasetIR;
  /** The input size as written was valid (else `dataset.input` is the 48x48x1 stand-in). */
  readonly inputOk: boolean;
  /** The class list as written was valid (else `dataset.classes` is FER2013's seven, standing in). */
  readonly classesOk: boolean;
}

/** The dataset statement: its name, then its block against the schema; split rules not written default by source. */
export function checkDataset(s: Statement, ds: Diagnostic[]): DatasetChecked {
  const nameArg = s.args[0]?.value;
  const name = nameArg?.kind === "word" ? nameArg.name : nameArg?.kind === "string" ? nameArg.value : "fer2013";
  if (s.args.length > 1) ds.push(diagnostic("F0112", "dataset takes one name", s.args[1]!.span));
  if (!s.block) ds.push(diagnostic("F0111", "dataset needs a block: dataset fer2013 { source \"data/fer2013.csv\" }", s.span));
  const d = checkSection(DATASET, s.block, { ds }).ir;
  const defaults = defaultSplit(d.source);
  const dataset: DatasetIR = {
    name,
    source: d.source,
    input: d.input,
    classes: d.classes,
    split: { train: d.split.train ?? defaults.train, val: d.split.val ?? defaults.val, test: d.split.test ?? defaults.test },
    clean: d.clean,
  };
  return { dataset, inputOk: !d.inputRejected, classesOk: !d.classesRejected };
}

/** The resolved `dataset NAME { ... }` statement. */
export const datasetFromIR = (d: DatasetIR): Statement => stmt("dataset", [name(d.name)], fromIR(DATASET, d));

function checkSource(s: Statement, ds: Diagnostic[]): SourceIR | undefined {
  const first = s.args[0]?.value;
  if (first?.kind === "string") {
    bindArgs("source", PATH_SIG, s.args, s.head.span, ds);
    return { kind: "csv", path: first.value };
  }
  const kind = first?.kind === "word" ? first.name : undefined;
  const rest = s.args.slice(1);
  if (kind === "synthetic") {
    const b = bindArgs("source synthetic", SYNTHETIC_SIG, rest, s.head.span, ds);
    return b.complete ? { kind: "synthetic", count: b.options["count"] as number, seed: b.options["seed"] as number, noise: b.options["noise"] as number } : undefined;
  }
  if (kind === "csv" || kind === "folder") {
    const b = bindArgs(`source ${kind}`, PATH_SIG, rest, s.head.span, ds);
    return b.complete ? { kind, path: b.options["path"] as string } : undefined;
  }
  ds.push(diagnostic("F0201", 'source must be "path/to/fer2013.csv", csv "path", folder "path" or synthetic [count N] [seed N] [noise F]', first?.span ?? s.head.span));
  return undefined;
}

function checkClasses(s: Statement, ds: Diagnostic[]): string[] | undefined {
  const values = s.args.length === 1 && s.args[0]!.value.kind === "list" ? s.args[0]!.value.items : s.args.map((a) => a.value);
  const out: string[] = [];
  for (const v of values) {
    if (v.kind === "word") out.push(v.name);
    else if (v.kind === "string") out.push(v.value);
    else {
      ds.push(diagnostic("F0206", "classes are names: classes angry disgust fear ...", v.span));
      return undefined;
    }
  }
  // One pass with a set: indexOf per class was quadratic (200,000 classes took minutes).
  const seen = new Set<string>();
  const dup = out.find((c) => seen.size === seen.add(c).size);
  if (dup) {
    ds.push(diagnostic("F0206", `class "${dup}" is listed twice`, s.span));
    return undefined;
  }
  if (out.length < 2) {
    ds.push(diagnostic("F0206", `a classifier needs at least 2 classes, got ${out.length}`, s.span));
    return undefined;
  }
  return out;
}

/** `usage "Training"`, `folder "train"`, `fraction 0.1 [of train]` / `10% of train`. */
function checkSplitRule(which: string, r: Statement, ds: Diagnostic[]): SplitRuleIR | undefined {
  const [a, b, c, d] = r.args.map((x) => x.value);
  const bad = (): undefined => {
    ds.push(diagnostic("F0201", `split ${which} must be usage "Training", folder "train" or fraction 0.1 of train`, r.args[0]?.span ?? r.head.span));
    return undefined;
  };
  if (a?.kind === "word" && (a.name === "usage" || a.name === "folder")) {
    if (b?.kind !== "string" || r.args.length !== 2) return bad();
    if (a.name === "usage") warnUnknownUsage(b.value, b.span, ds);
    return a.name === "usage" ? { kind: "usage", value: b.value } : { kind: "folder", dir: b.value };
  }
  const isFrac = a?.kind === "word" && a.name === "fraction";
  const n = isFrac ? b : a;
  const tail = isFrac ? [c, d] : [b, c];
  if (n?.kind !== "number") return bad();
  if (tail[0] !== undefined && !(tail[0].kind === "word" && tail[0].name === "of" && tail[1]?.kind === "word" && tail[1].name === "train")) return bad();
  if (n.unit !== undefined && n.unit !== "%") {
    ds.push(diagnostic("F0204", `split ${which}: a fraction takes % or no unit`, n.span));
    return undefined;
  }
  const f = n.unit === "%" ? n.value / 100 : n.value;
  if (which === "train") {
    ds.push(diagnostic("F0404", "split train cannot be a fraction of itself", n.span));
    return undefined;
  }
  if (!(f > 0 && f < 1)) {
    ds.push(diagnostic("F0202", `split ${which}: fraction must be in (0, 1), got ${n.raw}${n.unit ?? ""}`, n.span));
    return undefined;
  }
  return { kind: "fraction", of: "train", fraction: f };
}

function warnUnknownUsage(value: string, span: Span, ds: Diagnostic[]): void {
  if ((FER_USAGES as readonly string[]).includes(value)) return;
  const near = FER_USAGES.find((u) => u.toLowerCase() === value.toLowerCase()) ?? didYouMean(value, FER_USAGES);
  const hint = near ? `did you mean "${near}"?` : `FER2013's Usage values are ${FER_USAGES.join(", ")}`;
  ds.push(diagnostic("F0203", `usage "${value}" is not a FER2013 Usage value`, span, hint, "warning"));
}

function defaultSplit(source: SourceIR): DatasetIR["split"] {
  if (source.kind === "folder") return { train: { kind: "folder", dir: "train" }, val: { kind: "fraction", of: "train", fraction: 0.1 }, test: { kind: "folder", dir: "test" } };
  return { train: { kind: "usage", value: "Training" }, val: { kind: "usage", value: "PublicTest" }, test: { kind: "usage", value: "PrivateTest" } };
}
