/**
 * Every ferc command's flags and help, in one light module: `ferc --help` and argument parsing
 * read this without loading any command's implementation (and so without loading tfjs).
 */
import type { CommandSpec, FlagSpec } from "./args.js";

const FORMAT_DIAG: FlagSpec = {
  name: "format",
  type: "string",
  choices: ["text", "json", "github"],
  description: "diagnostics as a code frame (text), one JSON object per file, or GitHub annotations",
};
const BACKEND: FlagSpec = {
  name: "backend",
  type: "string",
  placeholder: "NAME",
  description: "tfjs backend: tfjs-node-gpu, tfjs-node, wasm, cpu (default: the fastest that loads)",
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "check",
    summary: "parse and check specs; print layer shapes, parameter counts and expect results",
    usage: "ferc check [options] FILE...",
    positionals: { name: "FILE", min: 1, max: Infinity },
    flags: [
      FORMAT_DIAG,
      { name: "quiet", short: "q", type: "boolean", description: "print diagnostics only, no layer table" },
      { ...BACKEND, description: "also report kernels a training step needs that this backend lacks (loads tfjs)" },
    ],
    examples: ["ferc check specs/vgg-small.fer", "ferc check --format github specs/*.fer"],
  },
  {
    name: "run",
    summary: "train and evaluate a spec, with a live dashboard, and write a run record under runs/",
    usage: "ferc run [options] FILE   |   ferc run --resume runs/<id>",
    positionals: { name: "FILE", min: 0, max: 1 },
    flags: [
      { name: "augment", type: "boolean", description: "turn on the spec's augment section (off by default)" },
      { name: "data", type: "string", placeholder: "PATH", description: "data source instead of the spec's: a .csv/.csv.gz, an image folder, or 'synthetic'" },
      { name: "epochs", type: "number", description: "override train.epochs" },
      { name: "batch", type: "number", description: "override train.batch" },
      { name: "seed", type: "number", description: "override train.seed" },
      { name: "limit", type: "number", placeholder: "N", description: "use at most N training images (quick experiments)" },
      { name: "time-limit", type: "string", placeholder: "DURATION", description: "end training at the first epoch end after this much training time (45m, 2h, 1h30m), then test as usual" },
      BACKEND,
      { name: "runs-dir", type: "string", placeholder: "DIR", description: "where run records go (default runs/)" },
      { name: "resume", type: "string", placeholder: "RUN_DIR", description: "continue a stopped run from its last checkpoint" },
      { name: "json", type: "boolean", description: "write JSON Lines events to stdout instead of the dashboard" },
      { name: "plain", type: "boolean", description: "plain lines, one per epoch, even on a terminal" },
    ],
    examples: [
      "ferc run specs/demo.fer",
      "ferc run specs/vgg-small.fer --data ../shared/fer2013/fer2013.csv.gz --augment",
      "ferc run specs/vgg-plus.fer --data ../shared/fer2013/fer2013.csv.gz --augment --time-limit 2h",
      "ferc run --resume runs/vgg-small-20261128-141500",
    ],
  },
  {
    name: "eval",
    summary: "re-evaluate a run's best checkpoint on a split",
    usage: "ferc eval [options] RUN_DIR",
    positionals: { name: "RUN_DIR", min: 1, max: 1 },
    flags: [
      { name: "split", type: "string", choices: ["train", "val", "test"], description: "which split (default test)" },
      { name: "data", type: "string", placeholder: "PATH", description: "data source instead of the recorded one" },
      { name: "tta", type: "string", choices: ["none", "flip", "ten-crop"], description: "test-time augmentation: flip averages each image with its mirror; ten-crop (specs with augment random-crop) the corner and centre windows, mirrored too (default: the spec's)" },
      { name: "full-test", type: "boolean", description: "evaluate on the whole test split, even when the run's cleaning shrank it (records before clean { test keep })" },
      BACKEND,
      { name: "json", type: "boolean", description: "print the report as JSON" },
    ],
    examples: ["ferc eval runs/vgg-small-20261128-141500 --split test", "ferc eval runs/vgg-small-20261128-141500 --split test --full-test"],
  },
  {
    name: "predict",
    summary: "print the emotion probabilities of face images (PNG/JPEG) with a run's best checkpoint",
    usage: "ferc predict [options] RUN_DIR IMAGE...",
    positionals: { name: "RUN_DIR and IMAGE", min: 2, max: Infinity },
    flags: [BACKEND, { name: "json", type: "boolean", description: "print JSON" }],
    examples: ["ferc predict runs/demo-20261128-141500 face.png"],
  },
  {
    name: "export",
    summary: "export a run's best checkpoint as ONNX (preprocessing in the graph) or a tfjs model directory",
    usage: "ferc export RUN_DIR --to onnx|tfjs [-o PATH]",
    positionals: { name: "RUN_DIR", min: 1, max: 1 },
    flags: [
      { name: "to", type: "string", choices: ["onnx", "tfjs"], description: "what to write (required)" },
      { name: "out", short: "o", type: "string", placeholder: "PATH", description: "output file (onnx) or directory (tfjs); default <run-id>.onnx or <run-id>-tfjs/" },
      { name: "force", type: "boolean", description: "replace an existing output file, or an earlier tfjs export (never a device, FIFO or link)" },
    ],
    examples: ["ferc export runs/demo-20261128-141500 --to onnx -o demo.onnx", "ferc export runs/demo-20261128-141500 --to tfjs -o web/model"],
  },
  {
    name: "report",
    summary: "a run's report (Markdown), or with --html one self-contained page; several runs side by side",
    usage: "ferc report RUN_DIR [RUN_DIR ...] [--html] [-o PATH]",
    positionals: { name: "RUN_DIR", min: 1, max: Infinity },
    flags: [
      { name: "html", type: "boolean", description: "write one self-contained HTML page (no network) instead of Markdown" },
      { name: "out", short: "o", type: "string", placeholder: "PATH", description: "write to a file instead of stdout" },
      { name: "force", type: "boolean", description: "replace an existing output file (never a device, FIFO or link)" },
    ],
    examples: ["ferc report runs/demo-20261128-141500 --html -o report.html", "ferc report runs/a runs/b --html -o compare.html"],
  },
  {
    name: "serve",
    summary: "a local page (127.0.0.1) running the model in the browser on an image or the webcam",
    usage: "ferc serve RUN_DIR [--port N]",
    positionals: { name: "RUN_DIR", min: 1, max: 1 },
    flags: [{ name: "port", type: "number", placeholder: "N", description: "port on 127.0.0.1 (default 8080; 0 picks a free one)" }],
    examples: ["ferc serve runs/demo-20261128-141500", "ferc serve runs/demo-20261128-141500 --port 0"],
  },
  {
    name: "compile",
    summary: "write the compiled graph (tfjs model topology), the checked IR, or its YAML form",
    usage: "ferc compile [options] FILE",
    positionals: { name: "FILE", min: 1, max: 1 },
    flags: [
      { name: "emit", type: "string", choices: ["tfjs", "ir", "yaml"], description: "what to write (default tfjs)" },
      { name: "out", short: "o", type: "string", placeholder: "PATH", description: "write to a file instead of stdout" },
      { name: "force", type: "boolean", description: "replace an existing output file (never a device, FIFO or link)" },
    ],
    examples: ["ferc compile specs/vgg-small.fer > vgg-small.model.json", "ferc compile --emit ir specs/demo.fer"],
  },
  {
    name: "fmt",
    summary: "format specs in the canonical layout (in place), or check that they are",
    usage: "ferc fmt [options] FILE...",
    positionals: { name: "FILE", min: 1, max: Infinity },
    flags: [
      { name: "check", type: "boolean", description: "change nothing; list files that would change and exit 1 if any" },
      { name: "stdout", type: "boolean", description: "print the result instead of writing files" },
      { name: "to", type: "string", choices: ["fer", "yaml"], description: "convert: write FILE as .fer or .fer.yaml beside it" },
    ],
    examples: ["ferc fmt specs/*.fer", "ferc fmt --check specs/*.fer", "ferc fmt --to fer specs/x.fer.yaml"],
  },
  {
    name: "diff",
    summary: "semantic diff of two specs (files or git revisions): settings, layers, shapes, params",
    usage: "ferc diff [options] OLD NEW",
    positionals: { name: "OLD and NEW", min: 1, max: 2 },
    flags: [{ name: "format", type: "string", choices: ["text", "markdown", "json"], description: "output format (default text)" }],
    examples: [
      "ferc diff specs/vgg-small.fer specs/vgg-deep.fer",
      "ferc diff HEAD~1 specs/vgg-small.fer",
      "ferc diff main:specs/x.fer specs/x.fer --format markdown",
    ],
  },
  {
    name: "show",
    summary: "print a spec fully resolved (defaults filled, repeats expanded, shape table) for git textconv",
    usage: "ferc show --resolved FILE",
    positionals: { name: "FILE", min: 1, max: 1 },
    flags: [{ name: "resolved", type: "boolean", description: "print the resolved spec (the only mode)" }],
    examples: ['git config diff.fer.textconv "ferc show --resolved"'],
  },
  {
    name: "sweep",
    summary: "run many trials of one spec (grid or seeded sample), locally in parallel or as a Slurm array job",
    usage: "ferc sweep [options] FILE   |   ferc sweep --resume sweeps/<id>",
    positionals: { name: "FILE", min: 0, max: 1 },
    flags: [
      { name: "vary", type: "string", multiple: true, placeholder: "PATH=V1,V2", description: "vary a setting as ferc diff names it (train.batch, train.optimizer.lr, augment.rotate, model.<layer>.<option>, model.<repeat>.<variable>); repeatable" },
      { name: "samples", type: "number", placeholder: "N", description: "a seeded random sample of N grid points instead of the whole grid" },
      { name: "seed", type: "number", placeholder: "S", description: "seed of the sampling (default: the sweep section's, else 0)" },
      { name: "executor", type: "string", choices: ["local", "slurm"], description: "where trials run: child processes here (default) or one Slurm array job" },
      { name: "jobs", type: "number", placeholder: "N", description: "local: trials at once (default 1); the threads (FERC_THREADS, else the cores) are divided among them" },
      { name: "epochs", type: "number", description: "override train.epochs in every trial" },
      { name: "limit", type: "number", placeholder: "N", description: "every trial uses at most N training images" },
      { name: "data", type: "string", placeholder: "PATH", description: "data source for every trial instead of the spec's" },
      { name: "augment", type: "boolean", description: "turn on the spec's augment section in every trial" },
      BACKEND,
      { name: "sweeps-dir", type: "string", placeholder: "DIR", description: "where sweep directories go (default sweeps/)" },
      { name: "resume", type: "string", placeholder: "SWEEP_DIR", description: "continue a sweep: skip completed trials, resume interrupted ones from their checkpoints" },
      { name: "partition", type: "string", placeholder: "NAME", description: "slurm: partition (sbatch --partition)" },
      { name: "time", type: "string", placeholder: "LIMIT", description: "slurm: time limit per trial (sbatch --time, e.g. 2:00:00)" },
      { name: "cpus", type: "number", placeholder: "N", description: "slurm: CPUs per trial (sbatch --cpus-per-task, default 1; also its FERC_THREADS)" },
      { name: "mem", type: "string", placeholder: "SIZE", description: "slurm: memory per trial (sbatch --mem, e.g. 4G)" },
      { name: "sbatch", type: "string", multiple: true, placeholder: "ARG", description: "slurm: an extra sbatch argument, e.g. --sbatch=--qos=short; repeatable" },
      { name: "json", type: "boolean", description: "print the ranked result as one JSON object, the last line of stdout" },
    ],
    examples: [
      "ferc sweep specs/demo.fer --vary train.batch=32,64 --epochs 1 --limit 800 --jobs 2",
      "ferc sweep specs/vgg-small.fer --vary train.optimizer.lr=1e-3,5e-4,2e-4 --vary augment.rotate=10deg,20deg --augment --executor slurm --cpus 4 --time 4:00:00",
      "ferc sweep --resume sweeps/demo-20261201-101500",
    ],
  },
];

export const VERSION = "0.1.0";

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `ferc ${VERSION}: compiler, checker and trainer for .fer facial-expression experiment specs`,
    "",
    "usage: ferc <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "options:",
    "  -h, --help     help (also: ferc <command> --help)",
    "  -V, --version  print the version",
    "",
    "exit codes: 0 ok, 1 errors in a spec or a failed run, 2 usage errors, 130 interrupted",
  ].join("\n");
}
