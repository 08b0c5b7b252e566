/**
 * Every diagnostic code as data: its phase, a title, the form of its message, what it means and
 * an example. `ferc explain CODE` prints a row, `npm run codes:doc` writes docs/codes.md from the
 * table, and a test re-checks each example, so a row cannot drift from what the checker says.
 *
 * The ranges group the codes for reading:
 *   F00xx lexical and syntax errors          F01xx names and structure (sections, statements)
 *   F02xx values and ranges                   F03xx shapes and parameters
 *   F04xx training policy and compatibility   F05xx expect assertions
 *   F06xx resource limits                     F07xx sweeps
 *   F08xx ensembles (an ensemble file's members)
 *   F09xx internal / input (file unreadable, YAML)
 * but the phase is per code: F0403 (a kernel the backend lacks) is the backend preflight's.
 */
/**
 * Which stage of checking a diagnostic comes from. Callers branch on this ("only `expect`
 * assertions failed", "the file does not even parse") instead of on code ranges, so a code
 * that moves, or one whose range says little (F0403 is found by the backend preflight, not by
 * the checker), needs one change: its row in CODES.
 */
export type Phase = "syntax" | "names" | "values" | "shapes" | "policy" | "expect" | "backend" | "input";

export const PHASES: readonly Phase[] = ["syntax", "names", "values", "shapes", "policy", "expect", "backend", "input"];

/**
 * How to see the code for yourself. `edit`: replace `replace` with `with` in specs/demo.fer and
 * `ferc check` reports `message` (the examples test does exactly this). `situation`: the code
 * needs more than one spec text (a backend, an ensemble's members, an unreadable file); its
 * message is illustrative, its form the row's template.
 */
export type CodeExample =
  | { readonly edit: { readonly replace: string; readonly with: string }; readonly message: string }
  | { readonly situation: string; readonly message: string };

export interface CodeInfo {
  readonly phase: Phase;
  readonly title: string;
  /** The message's form, words in capitals standing for the parts that vary. */
  readonly template: string;
  /** What it means and what to do; several situations under one code are each named. */
  readonly explanation: string;
  readonly example: CodeExample;
}

/** The file every `edit` example starts from. */
export const EXAMPLE_BASE = "specs/demo.fer";

const code = (phase: Phase, title: string, template: string, explanation: string, example: CodeExample): CodeInfo => ({
  phase,
  title,
  template,
  explanation,
  example,
});
const edit = (replace: string, by: string, message: string): CodeExample => ({ edit: { replace, with: by }, message });
const situation = (what: string, message: string): CodeExample => ({ situation: what, message });

/** The sweep section the sweep examples add to specs/demo.fer, between train and expect. */
const sweep = (...vary: string[]): [string, string] => ["seed 7\n}\n\nexpect", `seed 7\n}\n\nsweep {\n${vary.map((v) => `  vary ${v}\n`).join("")}}\n\nexpect`];

export const CODES = {
  // syntax
  F0001: code("syntax", "unexpected character", 'unexpected character "C"',
    "The lexer met a character that starts no token of the language (names, numbers with units, strings, `{ } [ ] = , ; #`). Usually a stray key or a character pasted from elsewhere.",
    edit("batch 64", "batch 64 @", 'unexpected character "@"')),
  F0002: code("syntax", "unterminated string", "string is not closed on this line",
    "A string opened with `\"` has no closing quote on the same line; strings do not span lines.",
    edit("spec demo", 'spec "demo', "string is not closed on this line")),
  F0003: code("syntax", "syntax error", "WHAT opened on line N is not closed | only a name can stand before '=' | the parser's own message",
    "The tokens do not form statements: a block not closed, `=` after something other than a name, nesting deeper than ferc reads. Only the first errors are listed (the rest are counted); fix the first and check again.",
    edit("dropout 0.3", "dropout 0.3 = 2", "only a name can stand before '='")),
  F0004: code("syntax", "malformed number or unit", 'unknown unit "U" in TEXT',
    "A number carries a unit ferc does not know, or is cut short (`2e-`). The units are deg, rad and %.",
    edit("lr 2e-3", "lr 2e-", 'unknown unit "e" in 2e')),
  // names and structure
  F0101: code("names", "unknown section", 'unknown section "NAME"',
    "A top-level statement names no section. A spec has: spec, dataset, preprocess, augment, model, train, expect, sweep; an ensemble file has: ensemble, members. The hint suggests the closest name.",
    edit("preprocess {", "preprocesss {", 'unknown section "preprocesss"')),
  F0102: code("names", "unknown statement or layer", 'unknown layer "NAME" | SECTION: unknown statement "NAME"',
    "A statement inside a section is not one that section takes: in model { } a layer kind that does not exist, elsewhere a setting the section does not have.",
    edit("  flatten\n", "  flaten\n", 'unknown layer "flaten"')),
  F0103: code("names", "duplicate section", "section NAME appears twice (first on line N)",
    "A section is written twice; merge the two into one.",
    edit("preprocess {\n  standardize per-image\n}", "preprocess {\n  standardize per-image\n}\npreprocess {\n  standardize per-image\n}", "section preprocess appears twice (first on line 11)")),
  F0104: code("names", "missing required section", "missing required section NAME",
    "A section every spec needs is absent: dataset, model and train.",
    edit("train {\n  optimizer adam lr 2e-3\n  loss categorical-crossentropy\n  batch 64\n  epochs 8\n  early-stop val.acc patience 2 restore-best\n  seed 7\n}\n", "", "missing required section train")),
  F0105: code("names", "missing spec name", "spec needs a name: spec vgg-small",
    "`spec` (or `ensemble`) is written without the name that run records, sweeps and reports are called by.",
    edit("spec demo", "spec", "spec needs a name: spec vgg-small")),
  F0106: code("names", "unknown option", 'STATEMENT: unknown option "NAME"',
    "A layer or setting is given an option it does not have. `ferc check` names the closest one; the layer table in docs/language.md lists each kind's options.",
    edit("dropout 0.3", "dropout 0.3 seed 2", 'dropout: unknown option "seed"')),
  F0107: code("names", "duplicate setting", "SECTION: SETTING is already set (line N)",
    "A setting is written twice in one section or statement; the second would silently win, so ferc refuses both.",
    edit("batch 64", "batch 64\n  batch 32", "train: batch is already set (line 31)")),
  F0108: code("names", "missing required setting", "STATEMENT needs WHAT",
    "A statement lacks a value it cannot do without. The situations: a layer or setting without its required argument (`dense` without UNITS, `batch` without SIZE); an option written without its value; `as` without a layer name (in a layer or a `repeat`); `expect params` without trainable/non-trainable/total; a sweep section without `vary`, a `vary` without a setting and a list, or with an empty list. The hint shows the statement's usage.",
    edit("dense 64 relu", "dense relu", "dense needs UNITS")),
  F0109: code("names", "unknown name", "(not reported by this version)",
    "Reserved: names that resolve nowhere are reported as F0102 (statements), F0106 (options) or F0503 (expect). Kept so the code keeps its meaning in older records.",
    situation("no spec reports it today", "")),
  F0110: code("names", "statement does not take a block", "SECTION: STATEMENT does not take a block",
    "A `{ ... }` follows a statement that takes none (a setting, most layers). Only sections, `repeat`, `residual`, `split`, `clean` and the like take blocks.",
    edit("batch 64", "batch 64 { }", "train: batch does not take a block")),
  F0111: code("names", "statement requires a block", "STATEMENT needs a block: STATEMENT { ... }",
    "A section or a container (`repeat`, `residual`, `members`) is written without its `{ ... }`.",
    edit("preprocess {\n  standardize per-image\n}", "preprocess", "preprocess needs a block: preprocess { ... }")),
  F0112: code("names", "too many arguments", "STATEMENT: unexpected WHAT",
    "A statement has more plain arguments than it takes (a value where none belongs, or one too many).",
    edit("  flatten\n", "  flatten 2\n", "flatten: unexpected number 2")),
  F0113: code("names", "layer name reused", 'layer name "NAME" is already used (line N)',
    "Two layers share a name (`as NAME`, or a name equal to one ferc gives automatically, like conv1). Layer names address layers in expect, sweeps and diffs, so they must be unique.",
    edit("dense 64 relu", "dense 64 relu as conv1", 'layer name "conv1" is already used (line 16)')),
  F0114: code("names", "empty block", "CONTAINER has an empty body: it adds no layers",
    "A `repeat` or a container layer (residual, …) has nothing inside, so it would add no layers; put layers inside or remove it.",
    edit("  flatten\n", "  repeat 2 {\n  }\n  flatten\n", "repeat has an empty body: it adds no layers")),
  // values and ranges
  F0201: code("values", "wrong value type", "SETTING must be FORM",
    "A value has the wrong type for its place: a word where a number belongs, a number where a list or a path belongs. The message shows the accepted forms.",
    edit("source synthetic count 6000 seed 7", "source 7", 'source must be "path/to/fer2013.csv", csv "path", folder "path" or synthetic [count N] [seed N] [noise F]')),
  F0202: code("values", "value out of range", "STATEMENT: OPTION must be in RANGE, got VALUE",
    "A number is outside the range the setting allows (a dropout rate of 1 or more, a batch of 0, a kernel larger than reasonable).",
    edit("dropout 0.3", "dropout 1.5", "dropout: rate must be in [0, 1), got 1.5")),
  F0203: code("values", "unknown enum value", 'STATEMENT: OPTION "VALUE" is not one of CHOICES',
    "A setting that takes one of a fixed set of words (an activation, a loss, an optimizer) got another word; the hint names the closest choice.",
    edit("loss categorical-crossentropy", "loss categorical-entropy", 'loss: loss "categorical-entropy" is not one of categorical-crossentropy')),
  F0204: code("values", "wrong unit", "SETTING takes UNITS, got VALUE",
    "A number has a unit its setting does not take (`epochs 8deg`) or lacks one it needs; angles take deg, fractions % or none.",
    edit("epochs 8", "epochs 8deg", "epochs: count takes no unit, got 8deg")),
  F0205: code("values", "repeat list length mismatch", "repeat N: list NAME has K values, needs N",
    "Each list in `repeat N with NAME = [...]` gives one value per repetition, so it must have exactly N values.",
    edit("  conv 3x3 32 relu same\n  maxpool 2x2                    # 6x6\n", "  repeat 2 with filters = [32, 32, 32] {\n    conv 3x3 filters relu same\n  }\n  maxpool 2x2\n", "repeat 2: list filters has 3 values, needs 2")),
  F0206: code("values", "class list invalid", 'class "NAME" is listed twice',
    "The dataset's classes are not a list of distinct names (a name repeated, or too few classes to learn from).",
    edit("classes angry disgust", "classes angry angry", 'class "angry" is listed twice')),
  // shapes and parameters
  F0301: code("shapes", "dimension collapses below 1", "LAYER: KIND needs at least HxW input, got SHAPE",
    "Strides and pooling shrink the feature map until a layer has less input than its window. Use fewer downsampling layers, `same` padding, or a larger input.",
    edit("input 48x48x1", "input 8x8x1", "pool3: maxpool 2x2 needs at least 2x2 input, got 1x1x32")),
  F0302: code("shapes", "layer needs a different input rank", "LAYER: KIND needs a HxWxC feature map, got SHAPE (after flatten or dense)",
    "A layer gets input of the wrong rank: a convolution or pooling after `flatten` or `dense` (which give a vector).",
    edit("dense 64 relu", "conv 3x3 8", "conv4: conv needs a HxWxC feature map, got 288 (after flatten or dense)")),
  F0303: code("shapes", "output units do not match classes", "the model outputs N, the dataset has K classes",
    "The last layer's units are not the number of classes in the dataset section.",
    edit("dense 7 softmax", "dense 6 softmax", "the model outputs 6, the dataset has 7 classes")),
  F0304: code("shapes", "residual branch shape mismatch", "LAYER: residual branch output SHAPE does not match the shortcut SHAPE",
    "A residual block's branch changes the shape (filters or stride) and its shortcut does not follow; add `project` to give the shortcut a 1x1 convolution.",
    edit("  conv 3x3 32 relu same\n  maxpool 2x2                    # 3x3\n", "  residual { conv 3x3 16 same }\n  maxpool 2x2\n", "res1: residual branch output 6x6x16 does not match the shortcut 6x6x32")),
  F0305: code("shapes", "input shape invalid", "input SHAPE must have positive sizes and 1-4 channels",
    "The dataset's `input HxWxC` has a zero size or a channel count ferc cannot feed (1 grey, 3 colour).",
    edit("input 48x48x1", "input 48x48x0", "input 48x48x0 must have positive sizes and 1-4 channels")),
  F0306: code("shapes", "model is empty", "model has no layers",
    "The model section is empty; a model needs at least its output layer.",
    edit("model {\n  conv 5x5 16 relu stride 2 same # 24x24: a cheap first layer\n  maxpool 2x2                    # 12x12\n  conv 3x3 32 relu same\n  maxpool 2x2                    # 6x6\n  conv 3x3 32 relu same\n  maxpool 2x2                    # 3x3\n  flatten\n  dense 64 relu\n  dropout 0.3\n  dense 7 softmax\n}", "model {\n}", "model has no layers")),
  // policy and compatibility
  F0401: code("policy", "loss and output activation disagree", "LOSS needs a OUTPUT output, the last layer LAYER ends in ACTIVATION",
    "The loss expects probabilities (categorical-crossentropy: a softmax) and the model ends in something else.",
    edit("dense 7 softmax", "dense 7 relu", "categorical-crossentropy needs a softmax output, the last layer dense2 ends in relu")),
  F0402: code("policy", "monitor metric unknown", 'unknown metric "NAME"',
    "early-stop, a plateau schedule or checkpointing monitors a metric ferc does not record; the hint lists those it does (val.acc, val.loss, …).",
    edit("early-stop val.acc", "early-stop val.f2", 'unknown metric "val.f2"')),
  F0403: code("backend", "backend lacks a kernel", "backend NAME lacks kernel KERNEL, which a training step of this spec needs",
    "Found by `ferc check --backend NAME` (the backend preflight), not by the checker: the named tfjs backend has no kernel a training step of this spec calls, so training there would fail. Use another backend or another layer.",
    situation("ferc check --backend NAME on a spec whose training step needs a kernel that backend lacks", "backend webgpu lacks kernel KERNEL, which a training step of this spec needs")),
  F0404: code("policy", "setting incompatible with another", "WHAT does not take OPTION | WHAT needs OTHER",
    "Two settings that are each valid do not go together. The situations: an optimizer given an option of another optimizer (`optimizer adam … momentum`); a schedule given an option of another schedule; `nesterov` without momentum; a split that is a fraction of itself (`train = fraction 0.1 of train`); `tta ten-crop` on a spec that trains on whole images (it needs `augment { random-crop … }`). The hint names what the first setting does take.",
    edit("optimizer adam lr 2e-3", "optimizer adam lr 2e-3 momentum 0.9", "optimizer adam does not take momentum")),
  F0405: code("policy", "a choice uses the test split", "SETTING monitors test.METRIC: choices may not use the test split",
    "early-stop, a schedule or checkpointing would choose by the test split, which then no longer measures the model honestly. Monitor val.* instead.",
    edit("early-stop val.acc", "early-stop test.acc", "early-stop monitors test.acc: choices may not use the test split")),
  // expect
  F0501: code("expect", "expected parameter count differs", "expected N KIND parameters, the model has M",
    "An `expect { params … }` assertion does not hold for the model as written.",
    edit("shape conv1 = 24x24x16", "params total 10", "expected 10 total parameters, the model has 33,255")),
  F0502: code("expect", "expected shape differs", "expected LAYER to output SHAPE, it outputs SHAPE",
    "An `expect { shape LAYER = … }` assertion does not hold.",
    edit("shape conv1 = 24x24x16", "shape conv1 = 12x12x16", "expected conv1 to output 12x12x16, it outputs 24x24x16")),
  F0503: code("expect", "expect names unknown layer", 'expect names unknown layer "NAME"',
    "An expect assertion names a layer the model does not have; the hint suggests the closest name.",
    edit("shape conv1 = 24x24x16", "shape conv9 = 24x24x16", 'expect names unknown layer "conv9"')),
  // limits: the batch's tensors against memory, a training-policy question
  F0601: code("policy", "tensor too large", "LAYER: activations SHAPE at batch N need SIZE (limit SIZE) | LAYER: N parameters need SIZE | model expands to more than N layers",
    "One layer's activations at the training batch, or its weights, would need more memory than ferc allows one tensor, or repeats expand to too many layers. Reduce the batch or the layer.",
    edit("batch 64", "batch 65536", "conv1: activations 24x24x16 at batch 65536 need 2.3 GiB (limit 2.0 GiB)")),
  // sweeps: a sweep section or --vary names a setting, or a value, that does not check
  F0701: code("names", "unknown sweep setting", "sweep: PATH: WHY",
    "A `vary` (or `--vary`) path names no setting: paths are written as ferc diff names them (train.batch, model.conv1.filters, model.<repeat>.<variable>).",
    edit(...sweep("train.batchh [32, 64]"), 'sweep: train.batchh: train has no setting "batchh"')),
  F0702: code("values", "sweep value does not check", "sweep: PATH = VALUE does not check: MESSAGE",
    "One value of a vary list makes the spec invalid on its own (the inner message says why).",
    edit(...sweep("train.batch [32, 0]"), "sweep: train.batch = 0 does not check: batch: size must be in [1, 65536], got 0")),
  F0703: code("values", "sweep trial does not check", "sweep: the trial ASSIGNMENT does not check: MESSAGE",
    "Each value checks alone, but one combination of the grid does not (the inner message says why); narrow the lists so every trial is a valid spec.",
    edit(...sweep("model.conv1.filters [16, 4096]", "train.batch [64, 8192]"), "sweep: the trial model.conv1.filters = 4096, train.batch = 8192 does not check: conv1: activations 24x24x4096 at batch 8192 need 72 GiB (limit 2.0 GiB)")),
  F0704: code("policy", "sweep too large", "sweep: the grid has N trials (more than 10,000)",
    "The vary lists multiply to more trials than ferc plans; add `samples N` for a seeded random sample of the grid.",
    edit(...sweep("train.batch [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "train.seed [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "train.epochs [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "model.dense1.units [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"), "sweep: the grid has 11,000 trials (more than 10,000)")),
  // ensembles: an ensemble file's members (src/ensemble/file.ts)
  F0801: code("input", "ensemble member cannot be read", 'run "PATH": WHY | spec "PATH": cannot read FILE: no such file',
    "An ensemble file's member (a run record or a spec) cannot be read from disk.",
    situation('members { spec "specs/missing.fer" seeds [1, 2] } in an ensemble file', 'spec "specs/missing.fer": cannot read specs/missing.fer: no such file')),
  F0802: code("input", "ensemble member spec has errors", 'spec "PATH" has N errors, first CODE at LINE:COL: MESSAGE',
    "A spec member does not check; `ferc check` on that spec shows every error.",
    situation('members { spec "specs/broken.fer" seeds [1] } where specs/broken.fer has an error', 'spec "specs/broken.fer" has 1 error, first F0102 at 20:3: unknown layer "flaten"')),
  F0803: code("policy", "ensemble members do not fit together", "MEMBER does not fit the ensemble: WHY | MEMBER is already a member (line N): a member counts once",
    "The members cannot be averaged: other classes, another input size, other splits or data; or one member is listed twice.",
    situation("a member whose spec takes 44x44 images beside one that takes 48x48", 'spec "specs/b.fer" (seed 1) does not fit the ensemble: it takes 44x44x1 images, spec "specs/a.fer" (seed 1) 48x48x1')),
  F0804: code("names", "ensemble has no members", "the ensemble has no members block | the ensemble has no members",
    "An ensemble file without `members { ... }`, or with an empty one.",
    situation("ensemble trio  (and nothing else in the file)", "the ensemble has no members block")),
  F0805: code("policy", "ensemble member cannot be used", 'run "PATH" has no checkpoint to predict with | run "PATH" failed | run "PATH" is STATUS (epoch N of M): …',
    "A run member has no weights, failed, or is still running (a warning: its best checkpoint so far would be used).",
    situation('a member run "runs/x" whose run failed', 'run "runs/x" failed')),
  // input: the text could not be had, or ferc itself failed on it
  F0901: code("input", "cannot read file", "cannot read FILE: WHY",
    "The file does not exist, is not a regular file, or cannot be read.",
    situation("ferc check specs/missing.fer", "cannot read specs/missing.fer: no such file")),
  F0902: code("input", "YAML error", "the YAML parser's message",
    "A .fer.yaml file is not valid YAML, or its structure is not a spec's.",
    situation("a .fer.yaml file with a tab in its indentation", "the YAML parser's message, at its line and column")),
  F0903: code("input", "internal error", "internal YAML reader error: MESSAGE",
    "ferc failed on this input; please report it with the file.",
    situation("a bug in the YAML reader", "internal YAML reader error: MESSAGE")),
  F0904: code("input", "input over a limit", "the spec is N characters, more than the N ferc reads | the spec has N tokens, more than the N ferc reads",
    "The file is larger than any spec (1 MiB or 100,000 tokens); it is refused whole.",
    situation("ferc check on a 2 MB file", "the spec is 2,000,000 characters, more than the 1,048,576 ferc reads")),
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export const isDiagnosticCode = (s: string): s is DiagnosticCode => Object.hasOwn(CODES, s);
