/**
 * Kill-safety of `ferc run` as a real child process: SIGKILL at random points of an epoch and at
 * exact points of checkpoint writing (FERC_CRASH_AT), SIGINT and SIGTERM (graceful stop), a second
 * SIGINT (forced exit). After each kill the run directory must read back consistently, and
 * `ferc run --resume` must finish with the same final weights as an uninterrupted run (the default
 * path: wasm with the native addon when it is built, whose reductions use a fixed partition, so
 * bit-for-bit). Runs the built CLI (`dist/`, made by `npm test`'s tsc step).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { openRun, readCheckpoint, readManifest } from "../../src/run/index.js";
import { isTempName } from "../../src/run/atomicFs.js";
import { createRng } from "../../src/util/rng.js";
import { useCpu } from "../train/helpers.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

// 800 training images of 24x24 in batches of 8: 100 batches per epoch, a few seconds per run on
// the wasm backend with ferc's kernels (native where the addon is built, as `ferc run` uses them).
const SPEC = `spec killsafe
dataset synthetic-faces {
  source synthetic count 1000 seed 3
  input 24x24x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
model {
  conv 3x3 16 relu same; batchnorm; maxpool 2x2
  conv 3x3 16 relu same; maxpool 2x2
  flatten; dropout 0.2; dense 7 softmax
}
train { optimizer adam lr 2e-3; loss categorical-crossentropy; batch 8; epochs 3; seed 11 }
`;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: { type: string; [k: string]: unknown }[];
  stderr: string;
}

interface KillPlan {
  /** Send this signal once `when` returns true for an event. */
  signal?: NodeJS.Signals;
  when?: (e: { type: string; [k: string]: unknown }) => boolean;
  /** Then wait this long before sending (ms), so the kill lands anywhere after the event. */
  delayMs?: number;
  /** Send a second signal right after the first (forced exit). */
  twice?: boolean;
  env?: Record<string, string>;
}

let root: string;
let specFile: string;

function ferc(args: string[], plan: KillPlan = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: root,
      env: { ...process.env, FERC_CACHE_DIR: path.join(root, "cache"), ...plan.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const events: ChildResult["events"] = [];
    let stderr = "";
    let buf = "";
    let sent = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        const e = JSON.parse(line) as ChildResult["events"][number];
        events.push(e);
        if (!sent && plan.signal && plan.when?.(e)) {
          sent = true;
          setTimeout(() => {
            child.kill(plan.signal);
            if (plan.twice) setTimeout(() => child.kill(plan.signal), 5);
          }, plan.delayMs ?? 0);
        }
      }
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, events, stderr }));
  });
}

/** Each run gets its own runs directory, so the run is its only entry (even if killed before run-start). */
async function runDirIn(runsDir: string, r: ChildResult): Promise<string> {
  const entries = (await fsp.readdir(runsDir)).filter((e) => !e.startsWith("."));
  expect(entries, `one run directory expected; stderr:\n${r.stderr}`).toHaveLength(1);
  return path.join(runsDir, entries[0]!);
}

/** Everything a reader (resume, eval, a user) may open reads back whole; temps are never picked. */
async function expectConsistent(dir: string): Promise<void> {
  const manifest = await readManifest(dir);
  expect(["running", "stopped", "failed"]).toContain(manifest.status);
  const run = await openRun(dir);
  expect(run.spec.name).toBe("killsafe");
  const metrics = path.join(dir, "metrics.jsonl");
  if (existsSync(metrics)) {
    for (const line of (await fsp.readFile(metrics, "utf8")).split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  }
  for (const kind of ["last", "best"] as const) {
    if (!run.hasCheckpoint[kind]) continue;
    const ck = await readCheckpoint(dir, kind);
    expect(isTempName(path.basename(ck.dir)) && !path.basename(ck.dir).startsWith(".old-")).toBe(false);
    expect(ck.weights.values.every((v) => v.every(Number.isFinite))).toBe(true);
  }
}

async function finalWeights(dir: string): Promise<Float32Array[]> {
  return (await readCheckpoint(dir, "last")).weights.values;
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(b.length).toBe(a.length);
  let d = 0;
  a.forEach((v, i) => v.forEach((x, j) => (d = Math.max(d, Math.abs(x - b[i]![j]!)))));
  return d;
}

let runsDirs = 0;
const runArgs = (runsDir: string) => ["run", specFile, "--backend", "wasm", "--json", "--runs-dir", runsDir];
const freshRunsDir = () => path.join(root, `runs-${++runsDirs}`);

let reference: Float32Array[];
let referenceAcc: number;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) first`);
  await useCpu(); // for reading checkpoints back in this process
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-kill-"));
  specFile = path.join(root, "killsafe.fer");
  await fsp.writeFile(specFile, SPEC);
  const runsDir = freshRunsDir();
  const r = await ferc(runArgs(runsDir));
  expect(r.code, r.stderr).toBe(0);
  const dir = await runDirIn(runsDir, r);
  reference = await finalWeights(dir);
  referenceAcc = (await readManifest(dir)).test!.acc;
}, 120_000);

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

/** Kill as planned, check the directory, resume (repeatedly if a crash point fires again), compare. */
async function killAndResume(plan: KillPlan, expectExit: (r: ChildResult) => void): Promise<{ dir: string; killed: ChildResult }> {
  const runsDir = freshRunsDir();
  const killed = await ferc(runArgs(runsDir), plan);
  expectExit(killed);
  const dir = await runDirIn(runsDir, killed);
  await expectConsistent(dir);
  const resumed = await ferc(["run", "--resume", dir, "--json"]);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.events.find((e) => e.type === "run-start")).toMatchObject({ resumedFromEpoch: expect.any(Number) });
  const m = await readManifest(dir);
  expect(m).toMatchObject({ status: "completed", epochsDone: 3 });
  expect(m.resumes).toHaveLength(1);
  expect(maxDiff(reference, await finalWeights(dir))).toBe(0);
  expect(m.test!.acc).toBe(referenceAcc);
  const lines = (await fsp.readFile(path.join(dir, "metrics.jsonl"), "utf8")).trim().split("\n");
  expect(lines.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2, 3]);
  expect((await fsp.readdir(path.join(dir, "checkpoints"))).filter(isTempName)).toEqual([]);
  return { dir, killed };
}

const killedBySigkill = (r: ChildResult) => expect(r.signal ?? r.code).toBe("SIGKILL");

describe("ferc run killed and resumed (child process, wasm backend)", () => {
  // Seeded so a failure names a reproducible kill point.
  const rng = createRng(20261128);
  const randomPoints = [2, 3, 2].map((epoch) => ({ epoch, delayMs: Math.floor(rng.next() * 150) }));

  it.each(randomPoints)("SIGKILL during epoch $epoch (+$delayMs ms after a batch event)", async ({ epoch, delayMs }) => {
    const { killed } = await killAndResume(
      { signal: "SIGKILL", when: (e) => e.type === "batch" && e["epoch"] === epoch, delayMs },
      killedBySigkill,
    );
    expect(killed.events.some((e) => e.type === "done")).toBe(false);
  });

  it.each([
    ["half-way through writing the first best checkpoint", "dir-partial:2"],
    ["half-way through writing an end-of-epoch last checkpoint", "dir-partial:7"],
    ["between the renames that swap in a new checkpoint", "dir-swapping:2"],
    ["with a manifest temp file written but not renamed", "file-written:5"],
  ])("SIGKILL %s (FERC_CRASH_AT=%s)", async (_what, at) => {
    const { dir } = await killAndResume({ env: { FERC_CRASH_AT: at } }, killedBySigkill);
    // The kill left temp files behind; resume cleaned them (checked in killAndResume).
    expect(existsSync(dir)).toBe(true);
  });

  it.each(["SIGINT", "SIGTERM"] as const)("%s during epoch 2 stops after the batch, saves, and resumes", async (signal) => {
    const { dir, killed } = await killAndResume(
      { signal, when: (e) => e.type === "batch" && e["epoch"] === 2 },
      (r) => expect(r.code).toBe(130),
    );
    // The signal went out at epoch 2's first batch event (at most 200 ms in, of a ~100-batch
    // epoch): the run must stop within a batch or two, mid-epoch, not run on to the epoch's end.
    const stop = killed.events.find((e) => e.type === "interrupted");
    expect(stop).toMatchObject({ epoch: 2, checkpointSaved: true });
    expect(stop!["batch"] as number).toBeLessThan(100);
    const m = await readManifest(dir);
    expect(m.resumes![0]!.fromEpoch).toBe(1);
    expect(m.status).toBe("completed");
  });

  it("a second SIGINT exits at once; the run still resumes", async () => {
    await killAndResume(
      { signal: "SIGINT", twice: true, when: (e) => e.type === "batch" && e["epoch"] === 3 },
      (r) => expect(r.code).toBe(130),
    );
  });
});
