/**
 * `ferc run`, `ferc eval`, `ferc predict`: the commands that load tfjs and data. `ferc run` maps
 * its flags to a RunRequest, which src/run resolves (the spec with its overrides, or the record to
 * resume, read once) and launches; this module activates the backend and renders.
 */
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import type { SpecIR } from "../../ir.js";
import type { Tfl } from "../../layers/kind.js";
import type { ModelBuilder } from "../../compile/index.js";
import type { RunRequest } from "../../run/index.js";
import { checkFile } from "../load.js";
import { onOutputClosed } from "../output.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { styleFor } from "../../render/style.js";
import { stopWithParent } from "../../sweep/parentWatch.js";
import { evalVerdicts, verdictLines, withVerdicts } from "../verdicts.js";
import { kernelSummary } from "../kernelInfo.js";

type Flags = ParsedArgs["flags"];

interface PreparedTfjs {
  readonly tfl: Tfl;
  readonly backend: { readonly name: string; readonly reason: string; readonly kernels: string };
  /** Builds models on this backend: the layers prepared for it, then compiled (src/compile). */
  readonly buildModel: ModelBuilder;
}

/** Activates the backend (the fastest that loads unless one is named), loads tfjs-layers and prepares the model builder. */
async function prepareTfjs(requested: string | undefined): Promise<PreparedTfjs> {
  const tf = await import("@tensorflow/tfjs-core");
  // PROD silences tfjs's "install tfjs-node" banner; ferc reports its own backend choice below.
  tf.env().set("PROD", true);
  const { selectBackend } = await import("../../backend/select.js");
  let choice;
  try {
    choice = await selectBackend(requested);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const tfl = await import("@tensorflow/tfjs-layers");
  const { modelBuilder } = await import("../../compile/index.js");
  const buildModel = await modelBuilder(tfl, choice.name);
  // Which kernels it computes with (native AVX2/AVX-512 or portable, and why): shown and recorded.
  return { tfl, backend: { name: choice.name, reason: choice.reason, kernels: kernelSummary(choice.name) }, buildModel };
}

/** A request src/run cannot serve (an override out of range, data not where recorded) is a usage error. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Error && err.name === "RunRequestError") throw new UsageError(err.message);
    throw err;
  }
}

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
    if (!result.ok || !result.spec) {
      const style = styleFor(process.stderr);
      process.stderr.write(renderDiagnostics(result.diagnostics, "text", { file: file!, source, style }));
      process.stderr.write(`ferc run: ${file} has errors; nothing was trained\n`);
      return 1;
    }
    const runsDir = args.flags["runs-dir"] ? String(args.flags["runs-dir"]) : undefined;
    target = { kind: "spec", file: file!, source, spec: result.spec, ...(runsDir !== undefined ? { runsDir } : {}) };
  }
  // A missing or damaged record is a RecordError naming the file (main prints it, exit 2).
  const resolved = await asUsage(() => resolveRun(requestOf(target, args.flags)));
  // Never ignore a sweep section silently: say what this command does with it.
  if (resolved.kind === "start" && resolved.ignoresSweep) process.stderr.write(`ferc run: ${file} declares a sweep; this trains the base spec once (ferc sweep ${file} runs its trials)\n`);
  const { backend, buildModel } = await prepareTfjs(resolved.backend);
  const json = args.flags["json"] === true;
  const out = withVerdicts(createEventOutput({ json, ...(args.flags["plain"] ? { mode: "plain" as const } : {}) }), json);
  const stop = stopControl(stopOnSignals);
  try {
    const r = await launchRun(resolved, { buildModel, backend, onEvent: out.onEvent, signal: stop.signal });
    return r.exitCode;
  } finally {
    await out.close();
    stop.dispose();
  }
}

export async function runEval(args: ParsedArgs): Promise<number> {
  const dir = args.positionals[0]!;
  const split = ((args.flags["split"] as string | undefined) ?? "test") as "train" | "val" | "test";
  const fullTest = args.flags["full-test"] === true;
  if (fullTest && split !== "test") throw new UsageError(`--full-test applies to --split test, not --split ${split}`);
  const { openRun, evaluateRun, recordedSourcePath, datasetLoader } = await import("../../run/index.js");
  let opened;
  try {
    opened = await openRun(dir);
  } catch (err) {
    // A RecordError names the missing or damaged file itself (main prints it, exit 2).
    if (err instanceof Error && err.name === "RecordError") throw err;
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
  const path = given || (await asUsage(async () => recordedSourcePath(dir, opened.manifest))) || str(recorded);
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
  const { openRun, openPredictor } = await import("../../run/index.js");
  const { decodeImage, rgbaToChannels, resizeBilinear } = await import("../../data/image.js");
  const { readRegularFile } = await import("../../data/regularFile.js");
  const { MAX_IMAGE_FILE_BYTES } = await import("../../data/limits.js");
  const run = await openRun(dir);
  const [h, w, c] = run.spec.dataset.input;
  const { buildModel } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const predictor = await openPredictor(dir, { buildModel });
  const results: { image: string; probabilities: Record<string, number>; top: string }[] = [];
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
      let rgba;
      try {
        rgba = decodeImage(bytes);
      } catch (err) {
        throw new UsageError(`${image}: cannot decode the image (${err instanceof Error ? err.message : String(err)})`);
      }
      let px = rgbaToChannels(rgba, c);
      if (rgba.width !== w || rgba.height !== h) px = resizeBilinear(px, rgba.width, rgba.height, c, w, h);
      const p = predictor.predict(px)[0]!;
      results.push({
        image,
        probabilities: Object.fromEntries(p.classes.map((k, i) => [k, p.probabilities[i]!])),
        top: p.top.name,
      });
    }
  } finally {
    predictor.dispose();
  }
  if (args.flags["json"]) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return 0;
  }
  for (const r of results) {
    process.stdout.write(`${r.image}: ${r.top}\n`);
    const sorted = Object.entries(r.probabilities).sort((a, b) => b[1] - a[1]);
    for (const [k, p] of sorted) process.stdout.write(`  ${k.padEnd(10)} ${(p * 100).toFixed(1).padStart(5)}%  ${"█".repeat(Math.round(p * 30))}\n`);
  }
  return 0;
}
