/** `ferc run`, `ferc eval`, `ferc predict`: the commands that load tfjs and data. */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import type { SpecIR } from "../../ir.js";
import type { Tfl } from "../../layers/kind.js";
import type { RunDeps } from "../../run/index.js";
import { parseDuration } from "../duration.js";
import { checkFile } from "../load.js";
import { onOutputClosed } from "../output.js";
import { renderDiagnostic, styleFor } from "../render.js";
import { stopWithParent } from "../../sweep/parentWatch.js";
import { evalVerdicts, verdictLines, withVerdicts } from "../verdicts.js";
import { kernelSummary } from "../kernelInfo.js";
import { effectiveSourcePath, recordedDataPath } from "../dataPath.js";

type Flags = ParsedArgs["flags"];

/** Command-line overrides of the spec's policy, applied to the checked IR. */
export function applyOverrides(spec: SpecIR, flags: Flags): SpecIR {
  const epochs = flags["epochs"] as number | undefined;
  const batch = flags["batch"] as number | undefined;
  const seed = flags["seed"] as number | undefined;
  for (const [name, v] of [["epochs", epochs], ["batch", batch]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new UsageError(`--${name} must be a positive integer, got ${v}`);
  }
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
  const limit = flags["limit"] as number | undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit must be a positive integer, got ${limit}`);
  return {
    ...spec,
    train: {
      ...spec.train,
      ...(epochs !== undefined ? { epochs } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}

/** `--time-limit` in ms, or undefined when not given. */
function timeLimitOf(flags: Flags): number | undefined {
  const v = flags["time-limit"];
  if (v === undefined) return undefined;
  const ms = parseDuration(String(v));
  if (ms === null) throw new UsageError(`--time-limit must be a duration such as 45m, 2h or 1h30m, got ${JSON.stringify(v)}`);
  return ms;
}

/** Activates the backend (the fastest that loads unless one is named) and loads tfjs-layers. */
async function prepareTfjs(requested: string | undefined): Promise<{ tfl: Tfl; backend: { name: string; reason: string; kernels: string } }> {
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
  // Which kernels it computes with (native AVX2/AVX-512 or portable, and why): shown and recorded.
  return { tfl, backend: { name: choice.name, reason: choice.reason, kernels: kernelSummary(choice.name) } };
}

async function makeDeps(tfl: Tfl, flags: Flags, specFile: string | undefined): Promise<RunDeps> {
  const { compileModel } = await import("../../compile/index.js");
  const { loadDataset, defaultCacheDir } = await import("../../data/index.js");
  const { calibrationPath, writeCalibration } = await import("../../run/calibration.js");
  const dataPath = flags["data"] as string | undefined;
  const limit = flags["limit"] as number | undefined;
  return {
    buildModel: (s) => compileModel(s, tfl),
    // The measured speed, for `ferc check`'s seconds-per-epoch estimate (next to the data cache).
    calibrate: (backend, entry) => writeCalibration(calibrationPath(defaultCacheDir()), backend, entry),
    loadDataset: async (ds) => {
      const data = await loadDataset(ds, {
        ...(dataPath !== undefined ? { dataPath } : {}),
        ...(specFile ? { baseDir: dirname(resolve(specFile)) } : {}),
      });
      if (limit === undefined || data.train.n <= limit) return data;
      const t = data.train;
      const per = t.height * t.width * t.channels;
      return { ...data, train: { ...t, n: limit, pixels: t.pixels.subarray(0, limit * per), labels: t.labels.subarray(0, limit) } };
    },
  };
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

/** startRun's dataSource: the absolute path the run reads, when it reads a file or folder. */
function dataSourceOf(spec: SpecIR, file: string, data: Flags[string]): { dataSource?: string } {
  const p = effectiveSourcePath(spec, file, typeof data === "string" ? data : undefined);
  return p === undefined ? {} : { dataSource: p };
}

/** Flags worth recording in the manifest (and reusing on resume). */
function recordedFlags(flags: Flags): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(flags)) if (v !== undefined && k !== "help") out[k] = v;
  return out;
}

export async function runRun(args: ParsedArgs): Promise<number> {
  const resumeDir = args.flags["resume"] as string | undefined;
  const file = args.positionals[0];
  if (resumeDir === undefined && file === undefined) throw new UsageError("missing FILE (or --resume RUN_DIR)");
  if (resumeDir !== undefined && file !== undefined) throw new UsageError("give either FILE or --resume RUN_DIR, not both");

  const { startRun, resumeRun, openRun, stopOnSignals } = await import("../../run/index.js");
  const { createEventOutput } = await import("../../ui/index.js");

  if (resumeDir !== undefined) {
    // A missing or damaged record is a RecordError naming the file (main prints it, exit 2).
    const recorded: Flags = (await openRun(resumeDir)).manifest.flags;
    // The data source and limits of the original run, unless overridden now.
    const flags: Flags = { ...recorded, ...Object.fromEntries(Object.entries(args.flags).filter(([, v]) => v !== undefined)) };
    if (args.flags["data"] === undefined) flags["data"] = (await recordedDataPath(resumeDir)) ?? flags["data"];
    // A recorded --time-limit budgets each process afresh: the resumed one gets the whole limit again.
    const timeLimitMs = timeLimitOf(flags);
    const { tfl, backend } = await prepareTfjs(flags["backend"] as string | undefined);
    const deps = await makeDeps(tfl, flags, undefined);
    const out = withVerdicts(createEventOutput({ json: args.flags["json"] === true, ...(args.flags["plain"] ? { mode: "plain" as const } : {}) }), args.flags["json"] === true);
    const stop = stopControl(stopOnSignals);
    try {
      const r = await resumeRun(resumeDir, { deps, backend, onEvent: out.onEvent, signal: stop.signal, ...(timeLimitMs !== undefined ? { timeLimitMs } : {}) });
      return r.exitCode;
    } finally {
      await out.close();
      stop.dispose();
    }
  }

  const loaded = await checkFile(file!);
  if (!loaded) throw new UsageError(`cannot read ${file}: no such file`);
  const { source, result } = loaded;
  if (!result.ok || !result.spec) {
    const style = styleFor(process.stderr);
    for (const d of result.diagnostics) process.stderr.write(`${renderDiagnostic(d, file!, source, style)}\n\n`);
    process.stderr.write(`ferc run: ${file} has errors; nothing was trained\n`);
    return 1;
  }
  const spec = applyOverrides(result.spec, args.flags);
  // Never ignore a sweep section silently: say what this command does with it.
  if (result.spec.sweep) process.stderr.write(`ferc run: ${file} declares a sweep; this trains the base spec once (ferc sweep ${file} runs its trials)\n`);
  const timeLimitMs = timeLimitOf(args.flags);
  if (args.flags["augment"] && !spec.augment.declared) {
    throw new UsageError(`--augment: ${file} has no augment section`);
  }
  const { tfl, backend } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const deps = await makeDeps(tfl, args.flags, file);
  const out = withVerdicts(createEventOutput({ json: args.flags["json"] === true, ...(args.flags["plain"] ? { mode: "plain" as const } : {}) }), args.flags["json"] === true);
  const stop = stopControl(stopOnSignals);
  try {
    const r = await startRun({
      spec,
      source,
      deps,
      backend,
      augment: args.flags["augment"] === true,
      flags: recordedFlags(args.flags),
      ...dataSourceOf(spec, file!, args.flags["data"]),
      onEvent: out.onEvent,
      signal: stop.signal,
      ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
      ...(args.flags["runs-dir"] ? { runsDir: String(args.flags["runs-dir"]) } : {}),
    });
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
  const { openRun, evaluateRun } = await import("../../run/index.js");
  let recorded: Flags;
  let expects: SpecIR["expect"];
  let cropped: boolean;
  try {
    const opened = await openRun(dir);
    recorded = opened.manifest.flags;
    expects = opened.spec.expect;
    cropped = opened.spec.augment.randomCrop !== undefined;
  } catch (err) {
    // A RecordError names the missing or damaged file itself (main prints it, exit 2).
    if (err instanceof Error && err.name === "RecordError") throw err;
    throw new UsageError(`cannot open run ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const flags: Flags = { ...recorded, ...(args.flags["data"] ? { data: args.flags["data"] } : {}) };
  delete flags["limit"];
  // Where the run's data is now, whatever the working directory (the record has it absolute and record-relative).
  if (!args.flags["data"]) flags["data"] = (await recordedDataPath(dir)) ?? flags["data"];
  const { tfl, backend } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const deps = await makeDeps(tfl, flags, undefined);
  const tta = args.flags["tta"] as "none" | "flip" | "ten-crop" | undefined;
  if (tta === "ten-crop" && !cropped) throw new UsageError(`--tta ten-crop: ${dir} was trained on whole images (its spec has no augment random-crop)`);
  const r = await evaluateRun(dir, split, { deps, buildModel: deps.buildModel, ...(tta ? { tta } : {}), ...(fullTest ? { fullTest } : {}) });
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
  const run = await openRun(dir);
  const [h, w, c] = run.spec.dataset.input;
  const { tfl } = await prepareTfjs(args.flags["backend"] as string | undefined);
  const { compileModel } = await import("../../compile/index.js");
  const predictor = await openPredictor(dir, { buildModel: (s) => compileModel(s, tfl) });
  const results: { image: string; probabilities: Record<string, number>; top: string }[] = [];
  try {
    for (const image of images) {
      let bytes: Buffer;
      try {
        bytes = await readFile(image);
      } catch {
        throw new UsageError(`cannot read ${image}: no such file`);
      }
      let rgba;
      try {
        rgba = decodeImage(bytes);
      } catch (err) {
        throw new UsageError(`${image}: not a PNG or JPEG image (${err instanceof Error ? err.message : String(err)})`);
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
