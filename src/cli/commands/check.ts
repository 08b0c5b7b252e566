/** `ferc check FILE...`: diagnostics, the layer table, expect results. Must not load tfjs. */
import { inFile, type Diagnostic } from "../../diagnostics.js";
import type { SpecIR } from "../../ir.js";
import type { ParsedArgs } from "../args.js";
import { checkText, FileError, readSpecFile } from "../load.js";
import { isEnsembleText } from "../../ensemble/detect.js";
import { diagnosticJson, renderDiagnostics, summaryLine, type DiagnosticFormat } from "../../render/diagnostics.js";
import { styleFor } from "../../render/style.js";
import { formatCount, formatMacs, renderTable, totalMacs } from "../table.js";
import { defaultCacheDir } from "../../data/cache.js";
import { calibrationPath, estimateEpoch, readCalibration } from "../../run/calibration.js";

export async function runCheck(args: ParsedArgs): Promise<number> {
  const format = (args.flags["format"] as DiagnosticFormat | undefined) ?? "text";
  const style = styleFor(process.stdout);
  let failed = false;
  // Before any file: an unknown or unloadable backend is a usage error, whatever the specs say.
  const backend = args.flags["backend"] !== undefined ? await prepareBackend(String(args.flags["backend"])) : undefined;
  for (const file of args.positionals) {
    const read = await readSpecFile(file);
    if ("error" in read) {
      // Machine formats carry the unreadable file as a diagnostic too, so a CI annotation or a
      // tool reading JSON sees it; the command still stops with a usage error (exit 2).
      if (format === "json") process.stdout.write(`${JSON.stringify({ file, ok: false, diagnostics: [diagnosticJson(read.error)], layers: [], totals: NO_TOTALS })}\n`);
      if (format === "github") process.stdout.write(renderDiagnostics([read.error], "github"));
      throw new FileError(read.error);
    }
    const { source } = read;
    if (isEnsembleText(source)) {
      failed = !(await checkEnsemble(source, file, format, args, backend)) || failed;
      if (args.positionals.length > 1 && format === "text") process.stdout.write("\n");
      continue;
    }
    const checked = await checkText(source, file);
    // Kernel findings are diagnostics like any other: every renderer and the exit code see them.
    const kernelFindings = backend !== undefined && checked.spec ? inFile(await kernelReport(backend, checked.spec), file) : [];
    const result = kernelFindings.length > 0
      ? { ...checked, ok: false, diagnostics: [...checked.diagnostics, ...kernelFindings] }
      : checked;
    failed ||= !result.ok;
    if (format === "json") {
      const out = {
        file,
        ok: result.ok,
        diagnostics: result.diagnostics.map((d) => diagnosticJson(d)),
        layers: result.layers.map((l) => ({
          name: l.name,
          kind: l.kind,
          outputShape: [...l.outputShape],
          params: l.params,
          trainableParams: l.trainableParams,
          ...(l.macs !== undefined ? { macs: l.macs } : {}),
          ...(l.depth ? { depth: l.depth } : {}),
        })),
        totals: result.totals,
        ...(totalMacs(result.layers) !== undefined ? { macs: totalMacs(result.layers) } : {}),
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      continue;
    }
    if (format === "github") {
      process.stdout.write(renderDiagnostics(result.diagnostics, "github", { file }));
      continue;
    }
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = result.diagnostics.length - errors;
    process.stdout.write(renderDiagnostics(result.diagnostics, "text", { file, source, style }));
    if (!args.flags["quiet"] && result.layers.length > 0) {
      process.stdout.write(`${style.bold(file)}${result.spec ? ` (spec ${result.spec.name})` : ""}\n`);
      process.stdout.write(`${renderTable(result.layers, result.totals, style)}\n`);
      const estimate = epochEstimateLine(totalMacs(result.layers), backend);
      if (estimate) process.stdout.write(`${estimate}\n`);
      // The teacher is another record: check stays static and says what the figure leaves out.
      if (estimate && result.spec?.train.distill?.targets === "per-view") process.stdout.write(`          plus the teacher's forward passes on every step (distill targets per-view), which this estimate leaves out\n`);
      const expects = result.spec?.expect.filter((e) => e.kind !== "accuracy").length ?? 0;
      if (expects > 0 && errors === 0) process.stdout.write(style.green(`expect: ${expects} assertion${expects === 1 ? " holds" : "s hold"}\n`));
      // Accuracy needs a trained model: say where it is judged rather than pass over it.
      const accuracy = result.spec?.expect.filter((e) => e.kind === "accuracy").length ?? 0;
      if (accuracy > 0 && errors === 0) process.stdout.write(style.dim(`expect: ${accuracy} accuracy assertion${accuracy === 1 ? "" : "s"} checked by ferc run and ferc eval\n`));
    }
    if (errors > 0 || warnings > 0 || args.flags["quiet"]) {
      process.stdout.write(`${file}: ${summaryLine(errors, warnings, style)}\n`);
    }
    if (args.positionals.length > 1) process.stdout.write("\n");
  }
  return failed ? 1 : 0;
}

const NO_TOTALS = { trainable: 0, nonTrainable: 0, total: 0 };

/** An ensemble file (`ensemble NAME`): its diagnostics and members table; true when it has no errors. */
async function checkEnsemble(source: string, file: string, format: DiagnosticFormat, args: ParsedArgs, backend: string | undefined): Promise<boolean> {
  const { checkEnsembleFile } = await import("../../ensemble/file.js");
  const { ensembleJson, ensembleTable, trainingEstimate } = await import("../ensembleCheck.js");
  const c = await checkEnsembleFile(source, file);
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(ensembleJson(c))}\n`);
    return c.ok;
  }
  if (format === "github") {
    process.stdout.write(renderDiagnostics(c.diagnostics, "github", { file }));
    return c.ok;
  }
  const style = styleFor(process.stdout);
  const errors = c.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = c.diagnostics.length - errors;
  process.stdout.write(renderDiagnostics(c.diagnostics, "text", { file, source, style }));
  if (!args.flags["quiet"] && c.members.length > 0) {
    process.stdout.write(`${style.bold(file)}${c.ir ? ` (ensemble ${c.ir.name})` : ""}: ${c.members.length} member${c.members.length === 1 ? "" : "s"}, probabilities averaged\n`);
    process.stdout.write(`${ensembleTable(c, style)}\n`);
    const estimate = trainingEstimate(c, backend);
    if (estimate) process.stdout.write(`${estimate}\n`);
  }
  if (errors > 0 || warnings > 0 || args.flags["quiet"]) process.stdout.write(`${file}: ${summaryLine(errors, warnings, style)}\n`);
  return c.ok;
}

/**
 * "estimate: ..." from the speed `ferc run` measured on this machine (src/run/calibration.ts):
 * for the named backend, or the latest measured one; null when there is nothing to say (no
 * calibration and no --backend, or the model's multiply-adds are unknown).
 */
function epochEstimateLine(macs: number | undefined, backend: string | undefined): string | null {
  const file = calibrationPath(defaultCacheDir());
  const cal = readCalibration(file);
  if (macs === undefined || (cal === null && backend === undefined)) return null;
  const est = cal ? estimateEpoch(cal, macs, backend) : undefined;
  if (!est) return `estimate: none for backend ${backend}: no calibration in ${file} (each ferc run on ${backend} records its speed there)`;
  const e = est.entry;
  return [
    `estimate: ~${formatSeconds(est.seconds)} per epoch of ${formatCount(est.trainImages)} train images on ${est.backend}`,
    `          (from ${formatMacs(e.macsPerSecond)} multiply-adds/s measured by ferc run ${e.runId}, median of ${e.epochs} epoch${e.epochs === 1 ? "" : "s"}, ${e.measuredAt.slice(0, 10)}; ${file})`,
  ].join("\n");
}

const formatSeconds = (s: number): string => (s < 100 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** Activates the named backend as `ferc run` would (loads tfjs; only with --backend). */
async function prepareBackend(name: string): Promise<string> {
  const { prepareCheckBackend } = await import("../kernels.js");
  return prepareCheckBackend(name);
}

/** F0403 diagnostics for kernels a training step of the spec needs that the backend lacks. */
async function kernelReport(backend: string, spec: SpecIR): Promise<Diagnostic[]> {
  const { kernelDiagnostics } = await import("../kernels.js");
  return kernelDiagnostics(backend, spec);
}
