/** `ferc export`, `ferc report`, `ferc serve`: making a run record usable outside ferc. */
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
  const { defaultExportPath, exportRun, ExportError, isTfjsExport, loadRunModel } = await import("../../export/index.js");
  const force = args.flags["force"] === true;
  const given = args.flags["out"] as string | undefined;
  // A named target is judged before minutes of loading (the default one needs the run id).
  const checkTarget = (out: string) => (to === "onnx" ? checkOutputFile(out, force) : checkOutputDir(out, force, isTfjsExport));
  if (given !== undefined) await checkTarget(given);
  const tfl = await loadTfjsForGraphs();
  const m = await asUsage(loadRunModel(dir, tfl), ExportError);
  try {
    const out = given ?? defaultExportPath(m.runId, to);
    if (given === undefined) await checkTarget(out);
    const files = await asUsage(exportRun(m, to, out), ExportError);
    process.stdout.write(`${m.runId} → ${out} (${to}${to === "onnx" ? ", input pixels [N,48,48,1] raw 0..255, output probabilities" : ", tf.loadLayersModel + preprocess.json"})\n`);
    for (const f of files) process.stdout.write(`  ${f}\n`);
  } finally {
    m.model.dispose();
  }
  return 0;
}

export async function runReport(args: ParsedArgs): Promise<number> {
  const out = args.flags["out"] as string | undefined;
  if (out !== undefined) await checkOutputFile(out, args.flags["force"] === true);
  const { loadReportRun, ReportError } = await import("../../report/htmlData.js");
  let runs;
  try {
    runs = await Promise.all(args.positionals.map((d) => loadReportRun(d)));
  } catch (err) {
    if (err instanceof ReportError) throw new UsageError(err.message);
    throw err;
  }
  let text: string;
  if (args.flags["html"]) {
    const { htmlReport } = await import("../../report/html.js");
    text = await htmlReport(runs);
  } else {
    const { reportMarkdown } = await import("../../report/markdown.js");
    text = runs.map((r) => reportMarkdown(r.report)).join("\n---\n\n");
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
  process.stdout.write(`${out} (${args.positionals.length} run${args.positionals.length > 1 ? "s" : ""}${args.flags["html"] ? ", self-contained HTML" : ""})\n`);
  return 0;
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
