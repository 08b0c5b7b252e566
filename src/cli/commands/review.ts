/** The code-review commands: `ferc fmt`, `ferc diff`, `ferc show --resolved`. None loads tfjs. */
import { rename, writeFile } from "node:fs/promises";
import type { ParsedArgs } from "../args.js";
import { hasErrors } from "../../diagnostics.js";
import { readSpecOrThrow } from "../load.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { PLAIN, styleFor } from "../../render/style.js";
import { convertedName, formatAny } from "../../yaml/index.js";
import { diffSpecs, renderDiff, type DiffFormat } from "../../diff/index.js";
import { resolveDiffSides, RevisionError } from "../../git/revision.js";
import { showResolved } from "../../format/index.js";

/** Same directory temp file + rename, so an interrupted fmt never leaves half a spec. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export async function runFmt(args: ParsedArgs): Promise<number> {
  const style = styleFor(process.stderr);
  const to = args.flags["to"] as "fer" | "yaml" | undefined;
  let failed = false;
  const wouldChange: string[] = [];
  for (const file of args.positionals) {
    const text = await readSpecOrThrow(file);
    const r = formatAny(text, file, to);
    if (hasErrors(r.diagnostics)) {
      failed = true;
      process.stderr.write(renderDiagnostics(r.diagnostics, "text", { file, source: text, style }));
      continue;
    }
    const target = to ? convertedName(file, to) : file;
    if (args.flags["stdout"]) {
      process.stdout.write(r.output);
    } else if (args.flags["check"]) {
      if (r.changed || target !== file) wouldChange.push(file);
    } else if (r.changed || target !== file) {
      await writeAtomic(target, r.output);
      process.stdout.write(`${target}${target !== file ? ` (from ${file})` : ""}\n`);
    }
  }
  if (args.flags["check"]) {
    for (const f of wouldChange) process.stdout.write(`would reformat ${f}\n`);
    if (wouldChange.length === 0 && !failed) process.stdout.write(`${args.positionals.length} file(s) already formatted\n`);
    return failed || wouldChange.length > 0 ? 1 : 0;
  }
  return failed ? 1 : 0;
}

export async function runDiff(args: ParsedArgs): Promise<number> {
  const format = ((args.flags["format"] as string | undefined) ?? "text") as DiffFormat;
  let sides;
  try {
    sides = await resolveDiffSides(args.positionals);
  } catch (err) {
    if (err instanceof RevisionError) {
      process.stderr.write(`ferc diff: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const [a, b] = sides;
  const result = diffSpecs(a.text, b.text, { oldFile: a.file, newFile: b.file, oldLabel: a.label, newLabel: b.label });
  if (!result.ok) {
    const style = styleFor(process.stderr);
    for (const [side, text] of [[result.old, a.text], [result.new, b.text]] as const) {
      const errors = side.diagnostics.filter((x) => x.severity === "error");
      process.stderr.write(renderDiagnostics(errors, "text", { file: side.label, source: text, style }));
    }
    process.stderr.write("ferc diff: cannot compare specs with errors\n");
    return 2;
  }
  const color = format === "text" && styleFor(process.stdout) !== PLAIN;
  process.stdout.write(renderDiff(result, format, { color }));
  return result.equivalent ? 0 : 1;
}

export async function runShow(args: ParsedArgs): Promise<number> {
  const file = args.positionals[0]!;
  process.stdout.write(showResolved(await readSpecOrThrow(file), file));
  return 0;
}
