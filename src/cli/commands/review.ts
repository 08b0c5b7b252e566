/** The code-review commands: `ferc fmt`, `ferc diff`, `ferc show --resolved`. None loads tfjs. */
import { rename, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { ParsedArgs } from "../args.js";
import { hasErrors } from "../../diagnostics.js";
import { checkFile, readSpecOrThrow } from "../load.js";
import { UsageError } from "../args.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { PLAIN, styleFor } from "../../render/style.js";
import { convertedName, formatAny } from "../../yaml/index.js";
import { diffSpecs, renderDiff, type DiffFormat } from "../../diff/index.js";
import { resolveDiffSides, RevisionError } from "../../git/revision.js";
import { showResolved } from "../../show/show.js";

/** Same directory temp file + rename, so an interrupted fmt never leaves half a spec. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** True when `file` exists (a conversion would replace it). */
const exists = (file: string): Promise<boolean> => stat(file).then(() => true, () => false);

export async function runFmt(args: ParsedArgs): Promise<number> {
  const style = styleFor(process.stderr);
  const to = args.flags["to"] as "fer" | "yaml" | undefined;
  const force = args.flags["force"] === true;
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
      // A conversion writes a second file, which may be a hand-edited one: never replace it silently.
      if (target !== file && !force && (await exists(target))) {
        process.stderr.write(`ferc fmt: ${target} exists; not overwriting it with the conversion of ${file} (--force replaces it)\n`);
        failed = true;
        continue;
      }
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
  if (args.flags["augment"]) return showAugment(file, args);
  for (const k of ["data", "out", "rows", "draws", "seed"]) if (args.flags[k] !== undefined) throw new UsageError(`--${k} is for ferc show --augment`);
  process.stdout.write(showResolved(await readSpecOrThrow(file), file));
  return 0;
}

const count = (args: ParsedArgs, name: string, max: number): number | undefined => {
  const v = args.flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw new UsageError(`--${name} must be an integer in 1..${max}, got ${String(v)}`);
  return v;
};

/** `ferc show --augment FILE`: a PNG grid of training faces and augmented draws of each. */
async function showAugment(file: string, args: ParsedArgs): Promise<number> {
  if (args.flags["resolved"]) throw new UsageError("give --resolved or --augment, not both");
  const rows = count(args, "rows", 64), draws = count(args, "draws", 32);
  const seed = args.flags["seed"];
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${String(seed)}`);
  const { source, result } = await checkFile(file);
  if (!result.ok || !result.spec) {
    process.stderr.write(renderDiagnostics(result.diagnostics, "text", { file, source, style: styleFor(process.stderr) }));
    process.stderr.write(`ferc show: ${file} has errors\n`);
    return 1;
  }
  const spec = result.spec;
  if (!spec.augment.declared) throw new UsageError(`--augment: ${file} has no augment section to show`);
  const out = (args.flags["out"] as string | undefined) ?? `${spec.name}-augment.png`;
  const { augmentPreview } = await import("../../run/augmentPreview.js");
  const data = args.flags["data"] as string | undefined;
  const p = await augmentPreview(spec, {
    ...(data !== undefined ? { dataPath: data } : {}),
    baseDir: dirname(resolve(file)),
    ...(rows !== undefined ? { rows } : {}),
    ...(draws !== undefined ? { draws } : {}),
    ...(typeof seed === "number" ? { seed } : {}),
  });
  try {
    await writeFile(out, p.png);
  } catch (err) {
    throw new UsageError(`cannot write -o ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  process.stdout.write(`${out} (${p.width}x${p.height}: ${p.faces.length} training faces, ${draws ?? 8} augmented draws each)\n`);
  // Real data sets' faces are not for publishing (FER2013's terms): say so where the file is made.
  if (spec.dataset.source.kind !== "synthetic" || (data !== undefined && data !== "synthetic")) process.stdout.write(`  it shows faces from the data set: keep it local, out of commits\n`);
  return 0;
}
