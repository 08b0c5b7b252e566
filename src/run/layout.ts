/** Run directory naming and file names, in one place. */
import { promises as fsp, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";

export const FILES = {
  spec: "spec.fer",
  ir: "spec.ir.json",
  manifest: "run.yaml",
  metrics: "metrics.jsonl",
  preprocess: "preprocess.json",
  data: "data.json",
  reportJson: "report.json",
  reportMd: "report.md",
  lossSvg: "loss.svg",
  accSvg: "accuracy.svg",
  confusionSvg: "confusion.svg",
  classesSvg: "classes.svg",
} as const;

/** Spec names are identifiers already; anything else is mapped to "_" to keep paths portable. */
export function safeName(spec: string): string {
  return spec.replace(/[^A-Za-z0-9._-]/g, "_") || "run";
}

/** YYYYMMDD-HHMMSS in local time (what people read next to `ls`). */
export function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Create `runs/<spec>-<stamp>/` (suffix -2, -3, ... when two runs start in the same second). */
export async function createRunDir(runsDir: string, spec: string, when: Date): Promise<{ dir: string; runId: string }> {
  const base = `${safeName(spec)}-${stamp(when)}`;
  for (let i = 1; i < 1000; i++) {
    const runId = i === 1 ? base : `${base}-${i}`;
    const dir = path.join(runsDir, runId);
    try {
      await fsp.mkdir(dir);
      await fsp.mkdir(path.join(dir, "checkpoints"));
      return { dir, runId };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`cannot create a run directory for ${base} in ${runsDir}`);
}

let fercVersion: string | null = null;

export function versions(): { ferc: string; tfjs: string; node: string } {
  if (fercVersion === null) {
    try {
      const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json");
      fercVersion = (JSON.parse(readFileSync(pkg, "utf8")) as { version?: string }).version ?? "unknown";
    } catch {
      fercVersion = "unknown";
    }
  }
  return { ferc: fercVersion, tfjs: tf.version_core, node: process.version };
}
