/**
 * `ferc run`, `ferc eval`, `ferc predict`: the commands that load tfjs and data. `ferc run` maps
 * its flags to a RunRequest, which src/run resolves (the spec with its overrides, or the record to
 * resume, read once) and launches; this module activates the backend and renders.
 */
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import { isFercError } from "../../errors.js";
import type { SpecIR } from "../../ir.js";
import type { RunRequest } from "../../run/index.js";
import { checkFile } from "../load.js";
import { onOutputClosed } from "../output.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { styleFor } from "../../render/style.js";
import { stopWithParent } from "../../sweep/parentWatch.js";
import { evalVerdicts, verdictLines, withVerdicts } from "../verdicts.js";
import { prepareTfjs } from "../tfjs.js";

type Flags = ParsedArgs["flags"];

/** Ctrl-C, SIGTERM or a closed stdout (`ferc run … | head -1`): stop after the batch, checkpoint, record. */
function stopControl(stopOnSignals: typeof import("../../run/index.js").stopOnSignals): { signal: AbortSignal; dispose(): void } {
  const stop = stopOnSignals();
  const off = onOutputClosed(() => stop.stop("stdout closed"));
  // A trial of `ferc sweep` also stops when the sweep is gone (see sweep/parentWatch.ts).
  const unwatch = stopWithParent((why) => stop.stop(why));
  return {
    signal: stop.signal,
    dispose() {
      off();
      unwatch();
      stop.dispose();
    },
  };
}

/** Flags worth recording in the manifest (and reusing on resume). */
function recordedFlags(flags: Flags): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(flags)) if (v !== undefined && k !== "help") out[k] = v;
  return out;
}

const str = (v: Flags[string]): string | undefined => (v === undefined ? undefined : String(v));
const num = (v: Flags[string]): number | undefined => (typeof v === "number" ? v : undefined);

/** The flags every request shares: data options, backend, time limit, the command line to record. */
function requestOf(target: RunRequest["target"], flags: Flags): RunRequest {
  const epochs = num(flags["epochs"]), batch = num(flags["batch"]), seed = num(flags["seed"]);
  const data = str(flags["data"]), limit = num(flags["limit"]);
  const backend = str(flags["backend"]), timeLimit = str(flags["time-limit"]);
  return {
    target,
    overrides: {
      ...(epochs !== undefined ? { epochs } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(seed !== undefined ? { seed } : {}),
      augment: flags["augment"] === true,
    },
    data: { ...(data !== undefined ? { path: data } : {}), ...(limit !== undefined ? { limit } : {}) },
    ...(backend !== undefined ? { backend } : {}),
    ...(timeLimit !== undefined ? { timeLimit } : {}),
    flags: recordedFlags(flags),
  };
}

export async function runRun(args: ParsedArgs): Promise<number> {
  const resumeDir = str(args.flags["resume"]);
  const file = args.positionals[0];
  if (resumeDir === undefined && file === undefined) throw new UsageError("missing FILE (or --resume RUN_DIR)");
  if (resumeDir !== undefined && file !== undefined) throw new UsageError("give either FILE or --resume RUN_DIR, not both");

  const { resolveRun, launchRun, stopOnSignals } = await import("../../run/index.js");
  const { createEventOutput } = await import("../../ui/index.js");

  let target: RunRequest["target"];
  if (resumeDir !== undefined) target = { kind: "resume", dir: resumeDir };
  else {
    const { source, result } = await checkFile(file!);
    const { isEnsembleText } = await import("../../ensemble/detect.js");
    if (isEnsembleText(source)) throw new UsageError(`${file} is an ensemble file: ferc ensemble ${file} trains its spec members and builds its record`);
    if (!result.ok || !result.spec) {
      const style = styleFor(process.stderr);
      process.stderr.write(renderDiagnostics(result.diagnostics, "text", { file: file!, source, style }));
      process.stderr.write(`ferc run: ${file} has errors; nothing was trained\n`);
      return 1;
    }
    // --epochs/--batch/--seed are checked as if written in the spec (ranges, memory at that batch).
    if (!(await overridesCheck(file!, source, result.spec, args.flags))) return 2;
    const runsDir = args.flags["runs-dir"] ? String(args.flags["runs-dir"]) : undefined;
    target = { kind: "spec", file: file!, source, spec: result.spec, ...(runsDir !== undefined ? { runsDir } : {}) };
  }
  // A missing or damaged record is a RecordError naming the file (main prints it, exit 2).
  const resolved = await resolveRun(requestOf(target, args.flags));
  // Never ignore a sweep section silently: say what this command does with it.
  if (resolved.kind === "start" && resolved.ignoresSweep) process.stderr.write(`ferc run: ${file} declares a sweep; this trains the base spec once (ferc sweep ${file} runs its trials)\n`);
  // Nor a declared augmentation left off: say how to turn it on.
  if (target.kind === "spec" && target.spec.augment.declared && args.flags["augment"] !== true) {
    process.stderr.write(`ferc run: augment off: ${file} declares an augment section, which trains only with --augment (ferc run ${file} --augment)\n`);
  }
  const { backend, buildModel } = await prepareTfjs(resolved.backend);
  const json = args.flags["json"] === true;
  const out = withVerdicts(createEventOutput({ json, ...(args.flags["plain"] ? { mode: "plain" as const } : {}) }), json);
  const stop = stopControl(stopOnSignals);
  try {
    const r = await launchRun(resolved, { buildModel, backend, onEvent: out.onEvent, signal: stop.signal, onWarning: (m) => process.stderr.write(`ferc run: ${m}\n`) });
    return r.exitCode;
  } finally {
    await out.close();
    stop.dispose();
  }
}

/**
 * The policy flags applied to the spec and checked; false (after printing the checker's errors,
 * the flags' own first) when they do not check.
 */
async function overridesCheck(file: string, source: string, spec: SpecIR, flags: Flags): Promise<boolean> {
  const { POLICY_FLAGS, checkOverrides } = await import("../../check/overrides.js");
  const given = Object.entries(POLICY_FLAGS).flatMap(([flag, path]) => {
    const v = num(flags[flag]);
    return v === undefined ? [] : [{ flag, path, value: v }];
  });
  if (given.length === 0) return true;
  const { parseAny } = await import("../../check/any.js");
  const problems = checkOverrides(parseAny(source, file).document, spec, file, given);
  if (problems.atFlags.length === 0 && problems.inSpec.length === 0) return true;
  const style = styleFor(process.stderr);
  process.stderr.write(renderDiagnostics(problems.atFlags, "text", { style }));
  process.stderr.write(renderDiagnostics(problems.inSpec, "text", { file, source, style }));
  process.stderr.write(`ferc run: ${given.map((o) => `--${o.flag} ${o.value}`).join(" ")} does not check with ${file}; nothing was trained\n`);
  return false;
}

export async function runEval(args: ParsedArgs): Promise<number> {
  const dir = args.positionals[0]!;
  const split = ((args.flags["split"] as string | undefined) ?? "test") as "train" | "val" | "test";
  const fullTest = args.flags["full-test"] === true;
  if (fullTest && split !== "test") throw new UsageError(`--full-test applies to --split test, not --split ${split}`);
  const { isEnsembleRecord } = await import("../../ensemble/record.js");
  if (await isEnsembleRecord(dir)) return runEvalEnsemble(dir, split, args);
  const { openRun, evaluateRun, recordedSourcePath, datasetLoader } = await import("../../run/index.js");
  let opened;
  try {
    opened = await openRun(dir);
  } catch (err) {
    // A RecordError names the missing or damaged file itself (main prints it, exit 2).
    if (isFercError(err) && err.kind === "input") throw err;
    throw new UsageError(`cannot open run ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const expects: SpecIR["expect"] = opened.spec.expect;
  const cropped = opened.spec.augment.randomCrop !== undefined;
  // A request the record cannot serve is refused before looking for its data (which may be absent).
  const tta = args.flags["tta"] as "none" | "flip" | "ten-crop" | undefined;
  if (tta === "ten-crop" && !cropped) throw new UsageError(`--tta ten-crop: ${dir} was trained on whole images (its spec has no augment random-crop)`);
  // Where the run's data is now, whatever the working directory (the record has it absolute and
  // record-relative); the whole train split, whatever --limit the run had.
  const given = str(args.flags["data"]);
  const recorded = opened.manifest.flags["data"];
  const path = given || recordedSourcePath(dir, opened.manifest) || str(recorded);
  const { backend, buildModel } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const loadDataset = datasetLoader(path !== undefined ? { path } : {});
  const r = await evaluateRun(dir, split, { deps: { buildModel, loadDataset }, buildModel, ...(tta ? { tta } : {}), ...(fullTest ? { fullTest } : {}) });
  // The spec's accuracy expectations on this split; exit 1 when one fails, as `ferc run` does.
  const { verdicts, failed } = evalVerdicts(expects, split, r.acc);
  if (args.flags["json"]) {
    process.stdout.write(`${JSON.stringify({ ...r, backend: backend.name, ...(verdicts.length ? { expectations: verdicts } : {}) })}\n`);
    return failed ? 1 : 0;
  }
  const { renderEval } = await import("../eval-report.js");
  process.stdout.write(`${renderEval(r, backend.name)}\n`);
  if (verdicts.length > 0) process.stdout.write(`\n${verdictLines(verdicts).join("\n")}\n`);
  return failed ? 1 : 0;
}

export async function runPredict(args: ParsedArgs): Promise<number> {
  const [dir, ...images] = args.positionals as [string, ...string[]];
  const { openRecord, recordPredictor } = await import("../../ensemble/open.js");
  const { readImage, predictImage, ImageError } = await import("../../predict/index.js");
  // A run record, or an ensemble's (each member checked against its hash) before any model loads.
  const record = await openRecord(dir);
  const input = record.input;
  const noDetect = args.flags["no-detect"] === true;
  const saveInputDir = args.flags["save-input"] as string | undefined;
  const { readRegularFile } = await import("../../data/regularFile.js");
  const { MAX_IMAGE_FILE_BYTES } = await import("../../data/limits.js");
  const { buildModel } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const tf = await import("@tensorflow/tfjs-core");
  const { openDetector } = await import("../../predict/detector.js");
  const { SCORE_THRESHOLD } = await import("../../face/detector.js");
  const predictor = await recordPredictor(dir, record, { buildModel });
  // Loaded when a photo needs it: an image at the input size is a face crop already.
  let detector: Awaited<ReturnType<typeof openDetector>> | null = null;
  const results: Awaited<ReturnType<typeof predictImage>>[] = [];
  const saved = new Set<string>();
  try {
    for (const image of images) {
      let bytes: Buffer;
      try {
        // A regular file of bounded size: a FIFO would block, /dev/zero never end.
        bytes = await readRegularFile(image, MAX_IMAGE_FILE_BYTES);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(`cannot read ${image}: ${code === "ENOENT" ? "no such file" : code ?? (err instanceof Error ? err.message : String(err))}`);
      }
      try {
        const rgba = readImage(image, bytes);
        if (!noDetect && (rgba.width !== input[1] || rgba.height !== input[0])) detector ??= await openDetector(tf);
        const use = noDetect ? null : detector;
        results.push(await predictImage(image, rgba, { tf, detector: use, input, predict: (px) => predictor.predict(px), ...(saveInputDir !== undefined ? { saveInputDir } : {}) }, saved));
      } catch (err) {
        if (err instanceof ImageError) throw new UsageError(err.message);
        throw err;
      }
    }
  } finally {
    predictor.dispose();
    detector?.dispose();
  }
  // A photo without a face is an answer, not a guess: said on stderr, exit 1.
  const faceless = results.filter((r) => r.faces.length === 0);
  for (const r of faceless) {
    process.stderr.write(`ferc predict: ${r.image}: no face found (${r.width}x${r.height}; tiny face detector, score > ${SCORE_THRESHOLD}); --no-detect takes the whole image as a face crop\n`);
  }
  if (args.flags["json"]) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return faceless.length > 0 ? 1 : 0;
  }
  const { renderPrediction } = await import("../predict-report.js");
  for (const r of results) if (r.faces.length > 0) process.stdout.write(renderPrediction(r, input));
  return faceless.length > 0 ? 1 : 0;
}

/** `ferc eval` of an ensemble record: its members checked, each run over the split, averaged. */
async function runEvalEnsemble(dir: string, split: "train" | "val" | "test", args: ParsedArgs): Promise<number> {
  if (args.flags["tta"] !== undefined) throw new UsageError(`--tta: ${dir} is an ensemble; each member averages its own test-time views (its spec's tta)`);
  const { openEnsemble } = await import("../../ensemble/members.js");
  const { ensembleSourcePath } = await import("../../ensemble/open.js");
  const { ensembleDataset } = await import("../../ensemble/build.js");
  const { evaluateEnsemble, openEnsemblePredictor } = await import("../../ensemble/predict.js");
  const { datasetLoader } = await import("../../run/index.js");
  // The members first: a changed or missing one is reported before minutes of data loading.
  const ensemble = await openEnsemble(dir);
  const m = ensemble.manifest;
  const path = str(args.flags["data"]) ?? ensembleSourcePath(dir, m);
  const { backend, buildModel } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const data = await datasetLoader(path !== undefined ? { path } : {})(ensembleDataset(ensemble.members[0]!));
  if (data.hash !== m.dataHash) process.stderr.write(`ferc eval: note: this data (hash ${data.hash.slice(0, 12)}) is not what the ensemble was evaluated on (${m.dataHash.slice(0, 12)})\n`);
  const predictor = await openEnsemblePredictor(ensemble.members, m.classes, { buildModel });
  let r;
  try {
    r = await evaluateEnsemble(predictor, data[split], m.classes, split);
  } finally {
    predictor.dispose();
  }
  const members = m.members.map((x, i) => ({ runId: x.runId, acc: r.members[i]!.acc, loss: r.members[i]!.loss, n: r.members[i]!.n }));
  if (args.flags["json"]) {
    process.stdout.write(`${JSON.stringify({ ...r.ensemble, backend: backend.name, ensemble: m.name, members })}\n`);
    return 0;
  }
  const { renderEval } = await import("../eval-report.js");
  const width = Math.max(...members.map((x) => x.runId.length));
  process.stdout.write(`${m.name}: mean of ${members.length} members' probabilities, each on its own test-time views\n${renderEval(r.ensemble, backend.name)}\n\nmembers alone (same images):\n${members.map((x, i) => `  ${i + 1}  ${x.runId.padEnd(width)}  accuracy ${(x.acc * 100).toFixed(2)}%  loss ${x.loss.toFixed(4)}`).join("\n")}\n`);
  return 0;
}
