/**
 * Killing a sweep mid-way and `ferc sweep --resume`: the completed trial is not run again, the
 * interrupted one continues from its checkpoint (its run record lists the resume), and the
 * sweep ends with both trials completed. The sweep is SIGKILLed, so nothing of it gets to clean
 * up: its running trial must notice by itself (FERC_STOP_WITH_PARENT) and checkpoint.
 */
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/run/manifest.js";
import { DEMO, ferc, lastJson, onlySweep, until, type SummaryJson } from "./helpers.js";

let root: string;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-sweep-resume-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

interface StateYaml {
  trials: { id: string; status: string; runDir?: string; attempts: number }[];
}
const readState = async (dir: string) => YAML.parse(await fsp.readFile(path.join(dir, "sweep.yaml"), "utf8")) as StateYaml;
const fileHas = async (file: string, needle: string) => (await fsp.readFile(file, "utf8").catch(() => "")).includes(needle);

describe("ferc sweep: kill mid-sweep, then --resume", () => {
  it("skips the completed trial and resumes the interrupted one from its checkpoint", async () => {
    const sweeps = path.join(root, "sweeps");
    // One trial at a time; the second (batch 4: 200 batches, several seconds) is long enough to be
    // caught mid-epoch by its once-a-second parent check even on a loaded machine (with batch 8 it
    // sometimes finished the epoch first).
    const child = ferc(["sweep", DEMO, "--vary", "train.batch=32,4", "--epochs", "1", "--limit", "800", "--jobs", "1", "--sweeps-dir", sweeps], {
      cwd: root,
      env: { FERC_THREADS: "1" },
    });
    let dir = "";
    await until("t1 completed and t2 training", async () => {
      dir = (await onlySweep(sweeps)) ?? "";
      if (!dir) return false;
      const s = await readState(dir).catch(() => undefined);
      return s?.trials[0]?.status === "completed" && (await fileHas(path.join(dir, "trials/t2/run.log"), '"type":"batch"'));
    });
    process.kill(child.pid, "SIGKILL");
    const killed = await child.done;
    expect(killed.signal).toBe("SIGKILL");

    // The orphaned trial stops by itself and records itself as stopped, with a checkpoint.
    let t2Run = "";
    await until("t2's record to leave 'running'", async () => {
      const s = await readState(dir);
      if (!s.trials[1]?.runDir) return false;
      t2Run = path.join(dir, s.trials[1].runDir);
      return (await readManifest(t2Run).catch(() => undefined))?.status === "stopped";
    }, 30_000, 100);
    const before = await readState(dir);
    expect(before.trials.map((t) => t.status)).toEqual(["completed", "running"]);
    const t1Run = path.join(dir, before.trials[0]!.runDir!);
    const t1Metrics = await fsp.stat(path.join(t1Run, "metrics.jsonl"));
    const stopped = await readManifest(t2Run);
    expect(stopped.epochsDone).toBe(0);

    const r = await ferc(["sweep", "--resume", dir, "--json"], { cwd: root, env: { FERC_THREADS: "1" } }).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("skipping 1 finished trial: t1 (completed)");
    expect(r.stderr).toContain("t2 started: train.batch=4 (resuming its run)");
    const sum = lastJson<SummaryJson>(r.stdout);
    expect(sum.trials.map((t) => t.status)).toEqual(["completed", "completed"]);

    // t1 was not run again: same record, untouched metrics, still one run under its folder.
    expect((await fsp.stat(path.join(t1Run, "metrics.jsonl"))).mtimeMs).toBe(t1Metrics.mtimeMs);
    expect(await fsp.readdir(path.join(dir, "trials/t1/runs"))).toHaveLength(1);
    // t2 continued its own run from the checkpoint rather than starting a new one.
    expect(await fsp.readdir(path.join(dir, "trials/t2/runs"))).toHaveLength(1);
    const resumed = await readManifest(t2Run);
    expect(resumed.status).toBe("completed");
    expect(resumed.resumes?.length).toBe(1);
    const after = await readState(dir);
    expect(after.trials.map((t) => t.attempts)).toEqual([1, 2]);
  }, 180_000);

  it("refuses to resume what is not a sweep directory (exit 2)", async () => {
    const r = await ferc(["sweep", "--resume", root], { cwd: root }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not a sweep directory (no sweep.yaml)");
  });
});
