/** `ferc check FILE...`: diagnostics, the layer table, expect results. Must not load tfjs. */
import { readFile } from "node:fs/promises";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import { checkFile } from "../load.js";
import { diagnosticJson, renderDiagnostic, renderGithub, styleFor, summaryLine } from "../render.js";
import { renderTable } from "../table.js";

export async function runCheck(args: ParsedArgs): Promise<number> {
  const format = (args.flags["format"] as string | undefined) ?? "text";
  const style = styleFor(process.stdout);
  let failed = false;
  for (const file of args.positionals) {
    const loaded = await checkFile(file);
    if (!loaded) throw new UsageError(`cannot read ${file}: no such file`);
    const { source, result } = loaded;
    const backendProblems = args.flags["backend"] && result.spec ? await kernelReport(String(args.flags["backend"]), file) : [];
    failed ||= !result.ok || backendProblems.length > 0;
    if (format === "json") {
      const out = {
        file,
        ok: result.ok && backendProblems.length === 0,
        diagnostics: result.diagnostics.map(diagnosticJson),
        layers: result.layers.map((l) => ({
          name: l.name,
          kind: l.kind,
          outputShape: [...l.outputShape],
          params: l.params,
          trainableParams: l.trainableParams,
          ...(l.depth ? { depth: l.depth } : {}),
        })),
        totals: result.totals,
        ...(backendProblems.length ? { missingKernels: backendProblems } : {}),
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      continue;
    }
    if (format === "github") {
      for (const d of result.diagnostics) process.stdout.write(`${renderGithub(d, file)}\n`);
      for (const k of backendProblems) process.stdout.write(`::error file=${file},title=ferc F0403::${k}\n`);
      continue;
    }
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = result.diagnostics.length - errors;
    for (const d of result.diagnostics) process.stdout.write(`${renderDiagnostic(d, file, source, style)}\n\n`);
    if (!args.flags["quiet"] && result.layers.length > 0) {
      process.stdout.write(`${style.bold(file)}${result.spec ? ` (spec ${result.spec.name})` : ""}\n`);
      process.stdout.write(`${renderTable(result.layers, result.totals, style)}\n`);
      const expects = result.spec?.expect.filter((e) => e.kind !== "accuracy").length ?? 0;
      if (expects > 0 && errors === 0) process.stdout.write(style.green(`expect: ${expects} assertion${expects === 1 ? " holds" : "s hold"}\n`));
    }
    for (const k of backendProblems) process.stdout.write(`${style.red("error[F0403]")}: ${k}\n`);
    if (errors > 0 || warnings > 0 || args.flags["quiet"]) {
      process.stdout.write(`${file}: ${summaryLine(errors, warnings, style)}\n`);
    }
    if (args.positionals.length > 1) process.stdout.write("\n");
  }
  return failed ? 1 : 0;
}

/** Kernels the compiled model's training step needs that the backend lacks (loads tfjs). */
async function kernelReport(backend: string, file: string): Promise<string[]> {
  const { missingKernelsForSpec } = await import("../kernels.js");
  return missingKernelsForSpec(backend, await readFile(file, "utf8"), file);
}
