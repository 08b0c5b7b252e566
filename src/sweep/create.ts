/**
 * A new sweep on disk: the variations (the spec's sweep section, then `--vary` flags, which
 * replace a spec variation of the same path), the chosen grid points, every trial built and
 * checked (all errors reported before anything is written or run), then
 * `sweeps/<spec>-<timestamp>/` with `trials/tN/spec.fer` (the trial, resolved) and `sweep.yaml`.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { checkDocument, type CheckResult } from "../check/index.js";
import type { SpecIR } from "../ir.js";
import { resolvedText } from "../show/resolved.js";
import { safeName, stamp } from "../run/layout.js";
import type { Document } from "../syntax/ast.js";
import { trialChanges } from "./changes.js";
import { canonicalPath } from "../variation/paths.js";
import { assignmentOf, buildTrial, chooseGridPoints, gridSize } from "../variation/plan.js";
import { rankingMonitor } from "./report.js";
import { MAX_GRID } from "../variation/section.js";
import { writeSweepState, type SweepState, type TrialState } from "./state.js";
import { readValue, type Variation } from "../variation/values.js";
import { makeDirs } from "../util/mkdirs.js";
import { withAbsoluteRecordPaths } from "../distill/paths.js";

export interface NewSweep {
  readonly file: string;
  /** The spec's syntax tree (either spelling) and its check, which must have passed. */
  readonly document: Document;
  readonly checked: CheckResult & { readonly spec: SpecIR };
  readonly cliVariations: readonly Variation[];
  readonly samples?: number;
  readonly seed?: number;
  readonly executor: SweepState["executor"];
  /** `ferc run` options for every trial (data already absolute). */
  readonly run: Readonly<Record<string, string | number | boolean>>;
  readonly sweepsDir: string;
  readonly now?: Date;
}

export type Planned = { readonly ok: true; readonly dir: string; readonly state: SweepState } | { readonly ok: false; readonly errors: readonly string[] };

export async function planSweep(req: NewSweep): Promise<Planned> {
  const sweepStmt = req.document.statements.find((s) => s.head.name === "sweep");
  const baseDoc: Document = { ...req.document, statements: req.document.statements.filter((s) => s !== sweepStmt) };
  const { sweep: declared, ...base } = req.checked.spec;
  const fromSpec: Variation[] = (declared?.vary ?? []).map((v) => ({ path: v.path, values: v.values.map((text) => ({ text, value: readValue(text)! })), from: "spec" }));
  const cliPaths = new Set(req.cliVariations.map((v) => canonicalPath(v.path)));
  const variations = [...fromSpec.filter((v) => !cliPaths.has(canonicalPath(v.path))), ...req.cliVariations];
  if (variations.length === 0) return { ok: false, errors: [`${req.file} has no sweep section and no --vary was given: nothing to vary (e.g. --vary train.batch=32,64)`] };
  const seen = new Set<string>();
  for (const v of variations) {
    const p = canonicalPath(v.path);
    if (seen.has(p)) return { ok: false, errors: [`--vary ${v.path} is given twice`] };
    seen.add(p);
  }
  const samples = req.samples ?? declared?.samples;
  const seed = req.seed ?? declared?.seed ?? 0;
  const total = gridSize(variations);
  if (samples === undefined && total > MAX_GRID) return { ok: false, errors: [`the grid has ${total.toLocaleString("en-US")} trials (more than ${MAX_GRID.toLocaleString("en-US")}): sample it with --samples N`] };
  const points = chooseGridPoints(variations, samples, seed);

  const check = (d: Document) => checkDocument(d, req.file);
  const errors: string[] = [];
  const built = points.map((point, i) => {
    const assignment = assignmentOf(variations, point);
    const t = buildTrial(baseDoc, base, assignment, check);
    const names = assignment.map((a) => `${a.path}=${a.value.text}`).join(" ");
    if (!t.ok) {
      const e = t.errors[0]!;
      const at = e.span.offset === 0 && e.span.length === 0 ? "" : ` (${req.file}:${e.span.line}:${e.span.column})`;
      errors.push(`trial t${i + 1} (${names}) does not check: ${e.message}${at}${e.hint ? `; ${e.hint}` : ""}`);
    }
    return { t, assignment, names };
  });
  if (errors.length > 0) return { ok: false, errors };

  const now = req.now ?? new Date();
  await makeDirs(req.sweepsDir);
  const dir = await createSweepDir(req.sweepsDir, `${safeName(base.name)}-${stamp(now)}`);
  const id = path.basename(dir);
  const trials: TrialState[] = [];
  for (const [i, { t, assignment, names }] of built.entries()) {
    if (!t.ok) continue;
    const tid = `t${i + 1}`;
    const rel = path.join("trials", tid, "spec.fer");
    await makeDirs(path.join(dir, "trials", tid));
    const header = `# trial ${tid} of sweep ${id}: ${names} (base: ${req.file})\n`;
    // The resolved form: every default written out, so the trial means the same with any later ferc.
    await fsp.writeFile(path.join(dir, rel), `${header}${resolvedText(withAbsoluteRecordPaths(t.result.spec, req.file))}`);
    trials.push({
      id: tid,
      assignment: Object.fromEntries(assignment.map((a) => [a.path, a.value.text])),
      changes: trialChanges(base, t.result.spec),
      params: t.result.spec.totals.total,
      ...(t.droppedExpect.length ? { droppedExpect: t.droppedExpect } : {}),
      spec: rel,
      status: "pending",
      attempts: 0,
      wallMs: 0,
    });
  }
  const state: SweepState = {
    sweepVersion: 1,
    id,
    spec: base.name,
    specFile: req.file,
    createdAt: now.toISOString(),
    rankedBy: rankingMonitor(base),
    sampling: samples === undefined || samples >= total ? { mode: "grid" } : { mode: "random", samples, seed, gridSize: total },
    vary: variations.map((v) => ({ path: v.path, values: v.values.map((x) => x.text) })),
    run: req.run,
    executor: req.executor,
    trials,
  };
  await writeSweepState(dir, state);
  return { ok: true, dir, state };
}

/** `<base>`, or `<base>-2`, `-3`, ... when two sweeps start in the same second. */
export async function createSweepDir(parent: string, base: string): Promise<string> {
  for (let i = 1; i < 1000; i++) {
    const dir = path.join(parent, i === 1 ? base : `${base}-${i}`);
    try {
      await fsp.mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`cannot create a sweep directory for ${base} in ${parent}`);
}
