/**
 * Building an ensemble record from trained member records: open and check the members (every
 * problem at once), load the data once (the members' data set, its test split whole), run every
 * member over the validation and test splits (each with its own preprocessing and views), average,
 * score, and write `runs/<name>-<timestamp>/` with the members' hashes. The test split is
 * evaluated here once; the record's `protocol` says that nothing was chosen on it.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { DatasetIR, SplitRuleIR } from "../ir.js";
import type { LoadedDataset } from "../data/types.js";
import type { EvalResult } from "../train/events.js";
import type { ChoiceSplit } from "../train/protocol.js";
import { confusionPlot } from "../report/plots.js";
import { writeFileAtomic } from "../run/atomicFs.js";
import { safeName, stamp, versions } from "../run/layout.js";
import { checkRunsDir } from "../run/preflight.js";
import { RecordError } from "../run/recordFiles.js";
import type { BackendInfo, PredictOptions } from "../run/run.js";
import { memberMacs, viewsOf } from "./cost.js";
import { memberTrainingMs, openNewMembers, type Member } from "./members.js";
import { evaluationOf, openEnsemblePredictor, probabilitiesOf, type EnsembleEvaluation } from "./predict.js";
import { ENSEMBLE_FILES, recordedPath, writeEnsembleManifest, type EnsembleManifest, type EnsembleMember, type EnsembleProtocol, type EnsembleSelection, type SplitSummary } from "./record.js";
import { selectGreedy, selectionMonitor, type Selection, type SelectionMethod } from "./select.js";
import { ensembleMarkdown, type EnsembleReport } from "./report.js";

export interface BuildEnsembleOptions {
  readonly name: string;
  /** The member run records, in order (with `select`, the candidates). */
  readonly members: readonly string[];
  /** Choose the members among `members` on the validation split (src/ensemble/select.ts). */
  readonly select?: SelectionMethod;
  /** Where the record is created (default runs/). */
  readonly runsDir?: string;
  /**
   * The ensemble file as written (kept as ensemble.fer), or, for members named on the command
   * line, the one written for them given the record's directory and the members' directories
   * (the chosen ones, after a selection).
   */
  readonly source: string | ((recordDir: string, members: readonly string[]) => string);
  /** The ensemble file, as given, when there is one. */
  readonly file?: string;
  /** The sweep that trained the members named by spec. */
  readonly sweep?: string;
  /** Builds a member's model (src/compile for the active backend). */
  readonly buildModel: NonNullable<PredictOptions["buildModel"]>;
  /** Reads the data set (the CLI's loader: --data, else the first member's recorded source). */
  readonly loadDataset: (ds: DatasetIR) => Promise<LoadedDataset>;
  /** The data source read, absolute (absent for synthetic data), recorded for eval. */
  readonly dataSource?: string;
  readonly backend: BackendInfo;
  /** What is happening, for a progress line. */
  readonly onProgress?: (message: string) => void;
  readonly now?: () => Date;
}

export interface BuiltEnsemble {
  readonly dir: string;
  readonly manifest: EnsembleManifest;
  readonly report: EnsembleReport;
  readonly warnings: readonly string[];
}

/** The members' data set, its test split whole: an ensemble is tested on all of it (as published figures are). */
export function ensembleDataset(first: Member): DatasetIR {
  const ds = first.run.spec.dataset;
  return { ...ds, clean: { ...ds.clean, test: "keep" } };
}

/** Free space an ensemble record needs: its manifest, reports and plot (no weights of its own). */
const RECORD_BYTES = 1024 * 1024;

export const splitName = (rule: SplitRuleIR, fallback: string): string => (rule.kind === "usage" ? rule.value : fallback);

const summary = (r: EvalResult, split: string): SplitSummary => ({ split, acc: r.acc, loss: Number.isFinite(r.loss) ? r.loss : -1, macroF1: r.macroF1, n: r.n });

/** `runs/<name>-<stamp>/` (suffix -2, -3, ... when two start in the same second). */
async function createRecordDir(runsDir: string, name: string, when: Date): Promise<{ dir: string; runId: string }> {
  const base = `${safeName(name)}-${stamp(when)}`;
  for (let i = 1; i < 1000; i++) {
    const runId = i === 1 ? base : `${base}-${i}`;
    const dir = path.join(runsDir, runId);
    try {
      await fsp.mkdir(dir);
      return { dir, runId };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`cannot create a record directory for ${base} in ${runsDir}`);
}

/** Which split chose each member's checkpoint (their own records' protocols). */
function checkpointChoice(members: readonly Member[]): { split: ChoiceSplit; note: string } {
  const splits = new Set(members.map((m) => m.run.manifest.protocol?.bestCheckpoint.split ?? "val"));
  const split: ChoiceSplit = splits.size === 1 ? [...splits][0]! : "none";
  return { split, note: splits.size === 1 ? "each member's best epoch, kept by its own run (see its record's protocol)" : `the members' runs chose on ${[...splits].join(", ")} (see each record's protocol)` };
}

export function ensembleProtocol(members: readonly Member[], file: string | undefined, selected?: { readonly method: SelectionMethod; readonly candidates: number }): EnsembleProtocol {
  const named = file ? `named in ${file}` : "named on the command line";
  return {
    members: selected
      ? {
          split: "val",
          monitor: selectionMonitor(selected.method),
          note: `${selected.method} forward selection among ${selected.candidates} candidate records ${named} (see selection): the best alone, then whichever ${selected.method === "greedy-loss" ? "lowered the mean's loss" : "raised the mean's accuracy"} most, until none did`,
        }
      : { split: "none", note: named },
    memberCheckpoints: checkpointChoice(members),
    memberTta: { split: "none", note: "each member's own, fixed in its spec" },
    averaging: { split: "none", note: "unweighted mean of the members' probabilities; nothing fitted" },
    test: "evaluated once, when this record was built; drives no choice",
  };
}

/** What the record keeps of a selection: every candidate alone and each step's mean, on val. */
function selectionRecord(dir: string, method: SelectionMethod, s: Selection, candidates: readonly Member[], valName: string): EnsembleSelection {
  return {
    method,
    monitor: selectionMonitor(method),
    candidates: candidates.map((c, i) => ({ runId: c.run.manifest.runId, dir: recordedPath(dir, c.dir), hash: c.hash, val: summary(s.alone[i]!, valName) })),
    steps: s.steps.map((st) => ({ added: candidates[st.added]!.run.manifest.runId, val: summary(st.score, valName) })),
  };
}

export async function buildEnsemble(o: BuildEnsembleOptions): Promise<BuiltEnsemble> {
  const runsDir = o.runsDir ?? "runs";
  const progress = o.onProgress ?? (() => undefined);
  const { members: candidates, warnings } = await openNewMembers(o.members);
  const first = candidates[0]!;
  // An unusable runs directory is said before minutes of evaluation (a record needs little room).
  await checkRunsDir(runsDir, RECORD_BYTES);
  const dataset = ensembleDataset(first);
  progress(`loading data set ${dataset.name}`);
  const data = await o.loadDataset(dataset);
  const trainedOn = candidates.find((m) => m.run.manifest.dataHash !== "")?.run.manifest;
  if (trainedOn && trainedOn.dataHash !== data.hash) {
    throw new RecordError(`the data read (hash ${data.hash.slice(0, 12)}) is not what the members were trained on (${trainedOn.runId}: ${trainedOn.dataHash.slice(0, 12)}); pass the data they were trained on with --data`);
  }
  const classes = dataset.classes;
  if (o.select && data.val.n === 0) throw new RecordError(`--select ${o.select} chooses members on the validation split, and this data set has none`);
  const predictor = await openEnsemblePredictor(candidates, classes, { buildModel: o.buildModel });
  let val: EnsembleEvaluation | null = null, test: EnsembleEvaluation | null = null;
  let selection: Selection | null = null;
  let chosen = candidates.map((_, i) => i);
  const valName = splitName(dataset.split.val, "val"), testName = splitName(dataset.split.test, "test");
  try {
    if (data.val.n > 0) {
      progress(`evaluating ${candidates.length} ${o.select ? "candidates" : "members"} on the validation split (${data.val.n} images)`);
      const rows: Float32Array[] = [];
      for (const p of predictor.members) rows.push(await probabilitiesOf(p, data.val.pixels, data.val.n));
      if (o.select) {
        selection = selectGreedy(rows, data.val.labels, classes, "val", o.select);
        chosen = [...selection.chosen];
        progress(`chose ${chosen.length} of ${candidates.length} on ${valName}: ${chosen.map((i) => candidates[i]!.run.manifest.runId).join(", ")}`);
      }
      val = evaluationOf(chosen.map((i) => rows[i]!), data.val.labels, classes, "val");
    }
    if (data.test.n > 0) {
      progress(`evaluating ${chosen.length} members on the test split (${data.test.n} images), once`);
      const rows: Float32Array[] = [];
      for (const i of chosen) rows.push(await probabilitiesOf(predictor.members[i]!, data.test.pixels, data.test.n));
      test = evaluationOf(rows, data.test.labels, classes, "test");
    }
  } finally {
    predictor.dispose();
  }
  const members = chosen.map((i) => candidates[i]!);
  const when = o.now?.() ?? new Date();
  const { dir, runId } = await createRecordDir(runsDir, o.name, when);
  const described: EnsembleMember[] = [];
  for (const [i, m] of members.entries()) {
    const spec = m.run.spec, man = m.run.manifest;
    const mv = val?.members[i], mt = test?.members[i];
    described.push({
      runId: man.runId,
      spec: spec.name,
      dir: recordedPath(dir, m.dir),
      checkpoint: m.checkpoint,
      hash: m.hash,
      params: spec.totals.total,
      macs: memberMacs(spec),
      views: viewsOf(spec),
      trainingMs: await memberTrainingMs(m.dir),
      status: man.status,
      epochsDone: man.epochsDone,
      bestEpoch: man.bestEpoch,
      ...(mv ? { val: summary(mv, valName) } : {}),
      ...(mt ? { test: summary(mt, testName) } : {}),
    });
  }
  const macs = described.every((d) => d.macs !== null) ? described.reduce((a, d) => a + d.macs!, 0) : null;
  const manifest: EnsembleManifest = {
    manifestVersion: 1,
    kind: "ensemble",
    name: o.name,
    runId,
    createdAt: when.toISOString(),
    ...(o.file !== undefined ? { file: o.file } : {}),
    averaging: "mean",
    classes: [...classes],
    input: [...dataset.input] as [number, number, number],
    dataHash: data.hash,
    ...(o.dataSource !== undefined ? { dataSource: recordedPath(dir, o.dataSource) } : {}),
    backend: o.backend.name,
    ...(o.backend.kernels ? { kernels: o.backend.kernels } : {}),
    versions: versions(),
    ...(o.sweep !== undefined ? { sweep: recordedPath(dir, o.sweep) } : {}),
    members: described,
    totals: {
      params: described.reduce((a, d) => a + d.params, 0),
      macs,
      macsWithViews: described.every((d) => d.macs !== null) ? described.reduce((a, d) => a + d.macs! * d.views.count, 0) : null,
      trainingMs: described.reduce((a, d) => a + d.trainingMs, 0),
    },
    protocol: ensembleProtocol(members, o.file, selection ? { method: o.select!, candidates: candidates.length } : undefined),
    ...(selection ? { selection: selectionRecord(dir, o.select!, selection, candidates, valName) } : {}),
    ...(val ? { val: summary(val.ensemble, valName) } : {}),
    ...(test ? { test: summary(test.ensemble, testName) } : {}),
  };
  const report: EnsembleReport = {
    kind: "ensemble",
    name: o.name,
    runId,
    data: { val: data.val.n, test: data.test.n, testSplit: "kept whole" },
    val: val?.ensemble ?? null,
    test: test?.ensemble ?? null,
  };
  await writeFileAtomic(path.join(dir, ENSEMBLE_FILES.source), typeof o.source === "string" ? o.source : o.source(dir, members.map((m) => m.dir)));
  await writeFileAtomic(path.join(dir, ENSEMBLE_FILES.reportJson), `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(path.join(dir, ENSEMBLE_FILES.reportMd), ensembleMarkdown(manifest, report, { link: (m) => `${m.dir.relative}/report.md` }));
  if (report.test) await writeFileAtomic(path.join(dir, ENSEMBLE_FILES.confusionSvg), confusionPlot(report.test));
  // The manifest last: a record with ensemble.yaml is complete.
  await writeEnsembleManifest(dir, manifest);
  return { dir, manifest, report, warnings };
}
