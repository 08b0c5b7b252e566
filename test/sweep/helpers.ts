/** Running the built CLI (`dist/`, made by `npm test`'s tsc step) as a child, for the sweep tests. */
import { spawn } from "node:child_process";
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const DEMO = path.join(REPO, "specs/demo.fer");

export interface Child {
  readonly pid: number;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function ferc(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Child {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, FERC_CACHE_DIR: path.join(opts.cwd, "cache"), ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, done };
}

/** The last stdout line as JSON (what `--json` promises). */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** The one sweep directory under `sweepsDir`, once it exists. */
export async function onlySweep(sweepsDir: string): Promise<string | undefined> {
  try {
    const names = await fsp.readdir(sweepsDir);
    return names.length === 1 ? path.join(sweepsDir, names[0]!) : undefined;
  } catch {
    return undefined;
  }
}

export async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface SummaryJson {
  rankedBy: string;
  sweep: string;
  dir: string;
  trials: { rank: number | null; id: string; runDir: string | null; changes: string[]; val: number | null; status: string; params: number; epochs: number | null; testAcc: number | null }[];
}
