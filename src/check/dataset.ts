/** The `dataset NAME { source; input; classes; split { }; clean { } }` section. */
import { diagnostic, didYouMean, type Diagnostic, type Span } from "../diagnostics.js";
import type { DatasetIR, SourceIR, SplitRuleIR } from "../ir.js";
import type { Signature } from "../layers/signature.js";
import type { Statement } from "../syntax/ast.js";
import { bindArgs, bindStatement } from "./bind.js";
import { walkSection } from "./section.js";

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
const DROP_SIG: Signature = {
  options: [
    { name: "what", type: { t: "enum", values: ["blank", "duplicates"] }, required: true, positional: true, bare: true, doc: "what to drop" },
    { name: "threshold", type: { t: "number", min: 0, max: 255 }, default: 1, doc: "blank: max - min pixel range at or below which an image is blank" },
  ],
};

/** `test keep|clean`: whether cleaning also shrinks the test split (default keep: the full test set). */
const CLEAN_TEST_SIG: Signature = {
  options: [
    { name: "mode", type: { t: "enum", values: ["keep", "clean"] }, required: true, positional: true, bare: true, doc: "keep: the test split stays whole (default); clean: the drops apply to it too" },
  ],
};

export function checkDataset(stmt: Statement, ds: Diagnostic[]): DatasetIR {
  const nameArg = stmt.args[0]?.value;
  const name = nameArg?.kind === "word" ? nameArg.name : nameArg?.kind === "string" ? nameArg.value : "fer2013";
  if (stmt.args.length > 1) ds.push(diagnostic("F0112", "dataset takes one name", stmt.args[1]!.span));
  let source: SourceIR = { kind: "csv", path: "data/fer2013.csv" };
  let input: [number, number, number] = [48, 48, 1];
  let classes: string[] = [...FER_CLASSES];
  let split: Partial<Record<"train" | "val" | "test", SplitRuleIR>> = {};
  let clean: DatasetIR["clean"] = { dropBlank: false, blankThreshold: 1, dropDuplicates: false, test: "keep" };
  if (!stmt.block) ds.push(diagnostic("F0111", "dataset needs a block: dataset fer2013 { source \"data/fer2013.csv\" }", stmt.span));

  walkSection("dataset", stmt.block, {
    source: { run: (s) => (source = checkSource(s, ds) ?? source) },
    input: {
      run: (s) => {
        const v = s.args[0]?.value;
        if (s.args.length !== 1 || v?.kind !== "dims" || (v.dims.length !== 3 && v.dims.length !== 2)) {
          ds.push(diagnostic("F0305", "input must be HxWxC, like 48x48x1", s.args[0]?.span ?? s.head.span));
          return;
        }
        const d = v.dims.length === 2 ? [...v.dims, 1] : [...v.dims];
        if (d.some((x) => x < 1) || d[2]! > 4) ds.push(diagnostic("F0305", `input ${v.raw} must have positive sizes and 1-4 channels`, v.span));
        else input = [d[0]!, d[1]!, d[2]!];
      },
    },
    classes: { run: (s) => (classes = checkClasses(s, ds) ?? classes) },
    split: { block: true, run: (s) => (split = checkSplit(s, ds)) },
    clean: {
      block: true,
      run: (s) =>
        walkSection("clean", s.block, {
          drop: {
            repeatable: true,
            run: (d) => {
              const b = bindStatement("drop", DROP_SIG, d, ds);
              if (!b.complete) return;
              if (b.options["what"] === "blank") clean = { ...clean, dropBlank: true, blankThreshold: b.options["threshold"] as number };
              else clean = { ...clean, dropDuplicates: true };
            },
          },
          test: {
            run: (t) => {
              const b = bindStatement("test", CLEAN_TEST_SIG, t, ds);
              if (b.complete) clean = { ...clean, test: b.options["mode"] as "keep" | "clean" };
            },
          },
        }, ds),
    },
  }, ds);

  const defaults = defaultSplit(source);
  return {
    name,
    source,
    input,
    classes,
    split: { train: split.train ?? defaults.train, val: split.val ?? defaults.val, test: split.test ?? defaults.test },
    clean,
  };
}

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
  const dup = out.find((c, i) => out.indexOf(c) !== i);
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

function checkSplit(s: Statement, ds: Diagnostic[]): Partial<Record<"train" | "val" | "test", SplitRuleIR>> {
  const out: Partial<Record<"train" | "val" | "test", SplitRuleIR>> = {};
  const rule = (which: "train" | "val" | "test") => ({
    run: (r: Statement) => {
      const rr = checkSplitRule(which, r, ds);
      if (rr) out[which] = rr;
    },
  });
  walkSection("split", s.block, { train: rule("train"), val: rule("val"), test: rule("test") }, ds);
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
  const num = isFrac ? b : a;
  const tail = isFrac ? [c, d] : [b, c];
  if (num?.kind !== "number") return bad();
  if (tail[0] !== undefined && !(tail[0].kind === "word" && tail[0].name === "of" && tail[1]?.kind === "word" && tail[1].name === "train")) return bad();
  if (num.unit !== undefined && num.unit !== "%") {
    ds.push(diagnostic("F0204", `split ${which}: a fraction takes % or no unit`, num.span));
    return undefined;
  }
  const f = num.unit === "%" ? num.value / 100 : num.value;
  if (which === "train") {
    ds.push(diagnostic("F0404", "split train cannot be a fraction of itself", num.span));
    return undefined;
  }
  if (!(f > 0 && f < 1)) {
    ds.push(diagnostic("F0202", `split ${which}: fraction must be in (0, 1), got ${num.raw}${num.unit ?? ""}`, num.span));
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
