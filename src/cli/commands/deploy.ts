/** `ferc export`, `ferc report`, `ferc serve`: making a run record usable outside ferc. */
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { writeFileAtomic } from "../../run/atomicFs.js";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import { loadTfjsForGraphs } from "../tfjs.js";
import { checkOutputDir, checkOutputFile } from "../outputTarget.js";

/** A bad run directory or output path is an input error: exit 2 with the message, no stack. */
async function asUsage<T>(p: Promise<T>, kind: abstract new (...a: never[]) => Error): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof kind) throw new UsageError(err.message);
    throw err;
  }
}

export async function runExport(args: ParsedArgs): Promise<number> {
  const dir = args.positionals[0]!;
  const to = args.flags["to"] as "onnx" | "tfjs" | undefined;
  if (to === undefined) throw new UsageError("--to onnx|tfjs is required");
  const { defaultExportPath, exportRun, ExportError, isTfjsExport, loadRunModel, viewsOfSpec } = await import("../../export/index.js");
  const force = args.flags["force"] === true;
  const given = args.flags["out"] as string | undefined;
  // A named target is judged before minutes of loading (the default one needs the run id).
  const checkTarget = (out: string) => (to === "onnx" ? checkOutputFile(out, force) : checkOutputDir(out, force, isTfjsExport));
  if (given !== undefined) await checkTarget(given);
  const { isEnsembleRecord } = await import("../../ensemble/record.js");
  if (await isEnsembleRecord(dir)) return exportEnsembleRecord(dir, to, given, checkTarget);
  const tfl = await loadTfjsForGraphs();
  const m = await asUsage(loadRunModel(dir, tfl), ExportError);
  try {
    const out = given ?? defaultExportPath(m.runId, to);
    if (given === undefined) await checkTarget(out);
    const files = await asUsage(exportRun(m, to, out), ExportError);
    const { height, width, channels } = m.stats;
    const { crop, tta } = viewsOfSpec(m.spec);
    const views = [crop ? `the model's ${crop[0]}x${crop[1]} ${tta === "ten-crop" ? "corner and centre windows" : "centre window"}` : "", tta !== "none" ? `averaged with mirrors, tta ${tta}` : ""].filter(Boolean).join(", ");
    const what = to === "onnx" ? `, input pixels [N,${height},${width},${channels}] raw 0..255 face crops, output probabilities${views ? `; in the graph: ${views}` : ""}` : `, tf.loadLayersModel + preprocess.json${views ? `; views: ${views}` : ""}`;
    process.stdout.write(`${m.runId} → ${out} (${to}${what})\n`);
    for (const f of files) process.stdout.write(`  ${f}\n`);
  } finally {
    m.model.dispose();
  }
  return 0;
}

/** `ferc export` of an ensemble record: one ONNX graph averaging the members, or a tfjs folder per member. */
async function exportEnsembleRecord(dir: string, to: "onnx" | "tfjs", given: string | undefined, checkTarget: (out: string) => Promise<void>): Promise<number> {
  const { ExportError } = await import("../../export/index.js");
  const { defaultEnsembleExportPath, exportEnsemble, loadEnsembleModels } = await import("../../export/ensemble.js");
  const tfl = await loadTfjsForGraphs();
  // A changed or missing member is a RecordError naming it (exit 2).
  const e = await loadEnsembleModels(dir, tfl);
  try {
    const out = given ?? defaultEnsembleExportPath(e, to);
    if (given === undefined) await checkTarget(out);
    const files = await asUsage(exportEnsemble(e, to, out), ExportError);
    const [h, w, c] = e.manifest.input;
    const what =
      to === "onnx"
        ? `onnx, input pixels [N,${h},${w},${c}] raw 0..255 face crops, output probabilities: the mean of ${e.members.length} members, each with its preprocessing and views in the graph`
        : `tfjs, preprocess.json (the ensemble) + one folder per member (${e.members.map((_, i) => `m${i + 1}`).join(", ")}): average their probabilities`;
    process.stdout.write(`${e.manifest.runId} → ${out} (${what})\n`);
    for (const f of files) process.stdout.write(`  ${f}\n`);
  } finally {
    e.dispose();
  }
  return 0;
}

export async function runReport(args: ParsedArgs): Promise<number> {
  // A named target is judged before the runs are loaded.
  const target = args.flags["out"] as string | undefined;
  if (target !== undefined) await checkOutputFile(target, args.flags["force"] === true);
  const { isEnsembleRecord } = await import("../../ensemble/record.js");
  const ensembles = [];
  for (const p of args.positionals) if (await isEnsembleRecord(p)) ensembles.push(p);
  if (ensembles.length > 0) {
    if (args.positionals.length > 1) throw new UsageError(`${ensembles[0]} is an ensemble record: report it on its own (its report compares its members)`);
    return reportEnsemble(ensembles[0]!, args);
  }
  const { ReportError } = await import("../../report/htmlData.js");
  const { loadReportSources } = await import("../../report/sources.js");
  let sources;
  try {
    sources = await loadReportSources(args.positionals);
  } catch (err) {
    if (err instanceof ReportError) throw new UsageError(err.message);
    throw err;
  }
  const { runs } = sources;
  const out = args.flags["out"] as string | undefined;
  const mistakes = args.flags["mistakes"] === true;
  if (mistakes && !args.flags["html"]) throw new UsageError("--mistakes adds a gallery to the HTML report: give --html too");
  if (args.flags["data"] !== undefined && !mistakes) throw new UsageError("--data is for --mistakes (the images of the gallery)");
  // Links in the report are relative to where it is written (stdout: the working directory).
  const from = out === undefined ? process.cwd() : dirname(resolve(out));
  const link = (dir: string): string => relative(from, resolve(dir)).split(sep).join("/") || ".";
  const files: { path: string; text: string }[] = [];
  let text: string;
  if (args.flags["html"]) {
    const { htmlReport } = await import("../../report/html.js");
    const extra = mistakes ? await mistakeGalleries(runs.map((r) => r.dir), args.flags["data"] as string | undefined) : undefined;
    text = await htmlReport(runs, { ...(sources.title ? { title: sources.title } : {}), notes: sources.notes, ...(extra ? { extra } : {}) });
  } else if (!sources.compare) {
    const { reportMarkdown } = await import("../../report/markdown.js");
    text = reportMarkdown(runs[0]!.report, { assets: link(runs[0]!.dir) });
  } else {
    const { compareRuns, comparisonCurves, comparisonMarkdown } = await import("../../report/compare.js");
    // The overlaid curves go beside the report, named after it; to stdout there is nowhere to put them.
    const curves = out === undefined ? [] : comparisonCurves(runs, basename(out).replace(/\.(md|markdown)$/i, ""));
    for (const c of curves) files.push({ path: join(dirname(out!), c.name), text: c.svg });
    text = comparisonMarkdown(compareRuns(runs), { ...(sources.title ? { title: sources.title } : {}), linkTo: (r) => link(r.dir), curves, notes: sources.notes });
  }
  if (out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  await checkOutputFile(out, args.flags["force"] === true);
  for (const f of files) await checkOutputFile(f.path, args.flags["force"] === true);
  try {
    await writeFileAtomic(out, text);
    for (const f of files) await writeFileAtomic(f.path, f.text);
  } catch (err) {
    throw new UsageError(`cannot write -o ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const what = `${runs.length} run${runs.length > 1 ? "s" : ""}${args.flags["html"] ? ", self-contained HTML" : ""}`;
  process.stdout.write(`${out} (${what})\n${files.map((f) => `  ${f.path}\n`).join("")}`);
  return 0;
}

/** `ferc report` of an ensemble record: Markdown (its members, figures, protocol), or --html. */
async function reportEnsemble(dir: string, args: ParsedArgs): Promise<number> {
  if (args.flags["mistakes"]) throw new UsageError("--mistakes is for run records; an ensemble's report lists its members' figures (report a member for its mistakes)");
  if (args.flags["data"] !== undefined) throw new UsageError("--data is for --mistakes (the images of the gallery)");
  const { readEnsembleReport } = await import("../../ensemble/reportSource.js");
  const { manifest, report } = await readEnsembleReport(dir);
  const out = args.flags["out"] as string | undefined;
  const from = out === undefined ? process.cwd() : dirname(resolve(out));
  const link = (p: string): string => relative(from, resolve(p)).split(sep).join("/") || ".";
  let text: string;
  if (args.flags["html"]) {
    const { ensembleHtml } = await import("../../ensemble/html.js");
    text = ensembleHtml(manifest, report);
  } else {
    const { ensembleMarkdown } = await import("../../ensemble/report.js");
    text = ensembleMarkdown(manifest, report, { assets: link(dir), link: (m) => `${link(resolve(dir, m.dir.relative))}/report.md` });
  }
  if (out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  await checkOutputFile(out, args.flags["force"] === true);
  try {
    await writeFileAtomic(out, text);
  } catch (err) {
    throw new UsageError(`cannot write -o ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  process.stdout.write(`${out} (ensemble ${manifest.runId}${args.flags["html"] ? ", self-contained HTML" : ""})\n`);
  return 0;
}

/** Each run's gallery of its most confident test mistakes (loads tfjs and the runs' data). */
async function mistakeGalleries(dirs: readonly string[], dataPath: string | undefined): Promise<string[]> {
  const { prepareTfjs } = await import("../tfjs.js");
  const { findMistakes } = await import("../../run/mistakes.js");
  const { mistakesHtml } = await import("../../report/mistakesHtml.js");
  const { buildModel } = await prepareTfjs(undefined);
  const out: string[] = [];
  for (const dir of dirs) {
    try {
      out.push(mistakesHtml(await findMistakes(dir, { buildModel, ...(dataPath !== undefined ? { dataPath } : {}) })));
    } catch (err) {
      // A record without its data at hand (or a checkpoint) still reports; the gallery says why it is missing.
      const why = err instanceof Error ? err.message : String(err);
      out.push(`<h3>Most confident mistakes</h3><p class="muted">not shown: ${why.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`);
      process.stderr.write(`ferc report: ${dir}: no mistakes gallery: ${why}\n`);
    }
  }
  return out;
}

export async function runServe(args: ParsedArgs): Promise<number> {
  const dir = args.positionals[0]!;
  const port = (args.flags["port"] as number | undefined) ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in 0..65535, got ${port}`);
  const { startServer } = await import("../../serve/server.js");
  const { ExportError } = await import("../../export/index.js");
  const { ReportError } = await import("../../report/htmlData.js");
  const tfl = await loadTfjsForGraphs();
  let server;
  try {
    server = await startServer({ dir, port, tfl });
  } catch (err) {
    if (err instanceof ExportError || err instanceof ReportError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`--port ${port}: 127.0.0.1:${port} is already in use (--port 0 picks a free one)`);
    if (code === "EACCES") throw new UsageError(`--port ${port}: not allowed to listen on 127.0.0.1:${port}`);
    throw err;
  }
  process.stdout.write(`ferc serve: ${server.runId} at ${server.url} (127.0.0.1 only; Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  return 0;
}
