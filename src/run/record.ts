/**
 * The run record on disk: manifest updates, metrics.jsonl, plots, report and checkpoints. Every
 * write goes through atomicFs, so each file is always either its previous or its new version.
 */
import * as path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { EpochMetrics, EvalResult } from "../train/events.js";
import type { TrainerState } from "../train/state.js";
import type { OptimizerState } from "../train/optimizer.js";
import { accuracySvg, classesSvg, confusionPlot, lossSvg, type ClassDistribution } from "../report/plots.js";
import { reportMarkdown, type RunReport } from "../report/markdown.js";
import { writeFileAtomic } from "./atomicFs.js";
import { writeCheckpoint, type CheckpointKind } from "./checkpoint.js";
import { writeManifest, writeManifestSync, type RunManifest } from "./manifest.js";
import { beforeForcedExit } from "./signals.js";
import { FILES } from "./layout.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class RunRecorder {
  private m: Mutable<RunManifest>;

  constructor(
    readonly dir: string,
    manifest: RunManifest,
  ) {
    this.m = { ...manifest };
  }

  get manifest(): RunManifest {
    return this.m;
  }

  async update(patch: Partial<RunManifest>): Promise<void> {
    this.m = { ...this.m, ...patch };
    await writeManifest(this.dir, this.m);
  }

  /**
   * Until the returned function is called, a forced exit (second Ctrl-C) first records the run
   * as stopped (interrupted): resume continues it from its last complete checkpoint.
   */
  recordForcedExit(): () => void {
    return beforeForcedExit(() => {
      if (this.m.status !== "running") return;
      this.m = { ...this.m, status: "stopped", reason: "interrupted", message: "forced exit (a second interrupt); resume continues from the last checkpoint", endedAt: new Date().toISOString() };
      writeManifestSync(this.dir, this.m);
      return `the run is recorded as stopped; resume with: ferc run --resume ${this.dir}`;
    });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  async writeText(name: string, text: string): Promise<void> {
    await writeFileAtomic(this.file(name), text);
  }

  async writeJson(name: string, data: unknown): Promise<void> {
    await writeFileAtomic(this.file(name), JSON.stringify(data, null, 2) + "\n");
  }

  /** Rewritten whole each epoch (small) so it stays consistent with the checkpointed history. */
  async writeMetrics(history: readonly EpochMetrics[]): Promise<void> {
    await writeFileAtomic(this.file(FILES.metrics), history.map((m) => JSON.stringify(m)).join("\n") + (history.length ? "\n" : ""));
  }

  async writeCurves(history: readonly EpochMetrics[], bestEpoch: number): Promise<void> {
    await this.writeText(FILES.lossSvg, lossSvg(history, bestEpoch, this.m.spec));
    await this.writeText(FILES.accSvg, accuracySvg(history, bestEpoch, this.m.spec));
  }

  async writeClasses(d: ClassDistribution): Promise<void> {
    await this.writeText(FILES.classesSvg, classesSvg(d, this.m.spec));
  }

  async writeReport(report: RunReport): Promise<void> {
    await this.writeJson(FILES.reportJson, report);
    await this.writeText(FILES.reportMd, reportMarkdown(report));
    if (report.test) await this.writeText(FILES.confusionSvg, confusionPlot(report.test));
  }

  async checkpoint(kind: CheckpointKind, model: LayersModel, state: TrainerState, optimizer: OptimizerState): Promise<void> {
    await writeCheckpoint(this.dir, kind, model, state, optimizer);
  }

  /** Shorthand used by both the run and `evaluateRun`. */
  testSummary(t: EvalResult): RunManifest["test"] {
    return { loss: Number.isFinite(t.loss) ? t.loss : -1, acc: t.acc, macroF1: t.macroF1, n: t.n };
  }
}
