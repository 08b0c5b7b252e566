/**
 * The floors of src/, ground floor first: the one place the layering is written down. A module may
 * import from its own floor or any floor below, never from a floor above (imports.test.ts). Every
 * top-level folder and file of src/ must be on exactly one floor, so a new folder has to be placed.
 *
 * Folders on one floor may import each other (the records floor: a run, an ensemble, a distilled
 * run and a sweep read each other's records), but no two modules may import each other, directly
 * or round a loop, type imports included.
 */
export const FLOORS: readonly (readonly string[])[] = [
  // Plain data and helpers every floor uses: diagnostics and their codes, the error base, the IR's types, small utilities.
  ["diagnostics.ts", "errors.ts", "codes.ts", "ir.ts", "util"],
  // Leaves: the .fer syntax, text rendering, images, git, faces, TensorBoard files, tfjs backends,
  // the ONNX graph builder.
  ["syntax", "render", "image", "git", "face", "tensorboard", "backend", "onnx"],
  // The declaration language: signatures, binding and coercion, section schemas and their walk.
  ["schema"],
  // What is declared with it: the layer kinds and the spec's sections.
  ["layers", "sections"],
  // Canonical .fer text (fmt), ordered by the section schemas.
  ["format"],
  // The YAML spelling of a spec: read into the same syntax tree, written from it.
  ["yaml"],
  // What a sweep varies and how its grid is planned (paths, values, trials), which the checker checks.
  ["variation"],
  // The checker.
  ["check"],
  // What the checked IR feeds: spec diffs, datasets, the tfjs graph, the resolved spec.
  ["diff", "data", "compile", "show"],
  // Training.
  ["train"],
  // Records: runs, their reports, ensembles, distillation, sweeps, export and prediction.
  ["run", "report", "ensemble", "distill", "sweep", "export", "predict"],
  // Tools built on everything below: the server, the fuzzer, benchmarks, generators, the terminal UI.
  ["serve", "fuzz", "bench", "tools", "ui"],
  // The entry points: the command line and the library's public API.
  ["cli", "index.ts"],
];
