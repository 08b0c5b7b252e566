/** Run directory naming and file names, in one place. */
import { promises as fsp, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { randomBytes } from "node:crypto";
import { crashPoint } from "./crashPoint.js";
import { acquireLock, type Lock } from "./lock.js";

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

/** A hidden temp directory of a record being created: `.<spec>.tmp-<pid>-<hex>`. */
const RECORD_TEMP = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;
/** Creating a record takes milliseconds; a temp directory this old was left by a crash. */
const ABANDONED_MS = 60 * 60 * 1000;

/** Remove record temp directories that a crash left in `runsDir` (best effort). */
async function removeAbandoned(runsDir: string): Promise<void> {
  let names: string[];
  try {
    names = (await fsp.readdir(runsDir)).filter((n) => RECORD_TEMP.test(n));
  } catch {
    return;
  }
  for (const n of names) {
    const p = path.join(runsDir, n);
    const st = await fsp.lstat(p).catch(() => null);
    if (st?.isDirectory() && Date.now() - st.mtimeMs > ABANDONED_MS) await fsp.rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, "r").catch(() => null);
  try {
    await fh?.sync();
  } catch {
    /* some platforms cannot sync a directory; the rename is then the file system's business */
  } finally {
    await fh?.close();
  }
}

export interface NewRunDir {
  readonly dir: string;
  readonly runId: string;
  /** The record's lock, held by this process (release it when the run is over). */
  readonly lock: Lock;
}

/**
 * Create `runs/<spec>-<stamp>/` (suffix -2, -3, ... when the name is taken) with its first files
 * (`firstFiles(runId)`: spec.fer, spec.ir.json, run.yaml) and its lock already in it. They are
 * written into a hidden temp directory that is then renamed to the record's name, so a crash
 * leaves either no record or one that `--resume` restarts from epoch 0, never a directory it
 * must refuse ("run.yaml is missing").
 */
export async function createRunDir(runsDir: string, spec: string, when: Date, firstFiles: (runId: string) => Readonly<Record<string, string>>, what = "ferc run"): Promise<NewRunDir> {
  await removeAbandoned(runsDir);
  const base = `${safeName(spec)}-${stamp(when)}`;
  const tmp = path.join(runsDir, `.${base}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  await fsp.mkdir(tmp);
  let lock: Lock | undefined;
  try {
    await fsp.mkdir(path.join(tmp, "checkpoints"));
    lock = await acquireLock(tmp, what);
    for (let i = 1; i < 1000; i++) {
      const runId = i === 1 ? base : `${base}-${i}`;
      for (const [name, text] of Object.entries(firstFiles(runId))) {
        const fh = await fsp.open(path.join(tmp, name), "w");
        try {
          await fh.writeFile(text);
          await fh.sync();
        } finally {
          await fh.close();
        }
        // Counted as every record write is, so the crash points of the kill tests stay put.
        crashPoint("file-written");
      }
      await fsyncDir(tmp);
      const dir = path.join(runsDir, runId);
      try {
        await fsp.rename(tmp, dir);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EEXIST" || code === "ENOTEMPTY" || code === "ENOTDIR") continue;
        throw e;
      }
      lock.movedTo(dir);
      await fsyncDir(runsDir);
      return { dir, runId, lock };
    }
    throw new Error(`cannot create a run directory for ${base} in ${runsDir}`);
  } catch (e) {
    lock?.release();
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
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
