/**
 * The Slurm executor through a real scheduler: `npm run slurm:local` starts a single-node cluster
 * on this machine (scripts/slurm-local.sh). A 2-trial sweep of the demo spec runs as one array
 * job; Ctrl-C cancels the array (scancel) with the trials checkpointed, and --resume submits the
 * rest. Skipped, with a message, when no cluster answers `sinfo` (a bare machine, CI).
 */
import { execFileSync } from "node:child_process";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/run/manifest.js";
import { DEMO, ferc, lastJson, onlySweep, until, type SummaryJson } from "./helpers.js";

function clusterAnswers(): boolean {
  try {
    // A controller alone is not enough: a node must be up to run the tasks.
    const states = execFileSync("sinfo", ["-h", "-o", "%T"], { timeout: 10_000, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return /^(idle|mixed|allocated|completing)/m.test(states);
  } catch {
    return false;
  }
}
const up = clusterAnswers();
if (!up) console.warn("test/sweep/slurm.test.ts: skipped: no Slurm cluster answers `sinfo` with a node up (start one with `npm run slurm:local`)");

let root: string;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-sweep-slurm-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

interface StateYaml {
  slurmJobs?: string[];
  trials: { id: string; status: string; runDir?: string }[];
}
const readState = async (dir: string) => YAML.parse(await fsp.readFile(path.join(dir, "sweep.yaml"), "utf8")) as StateYaml;
const ENV = { FERC_SLURM_POLL_MS: "300" };

describe.skipIf(!up)("ferc sweep --executor slurm (real scheduler)", () => {
  it("runs a 2-trial sweep as one array job, logs per trial, ranked records", async () => {
    const sweeps = path.join(root, "a");
    const r = await ferc(["sweep", DEMO, "--vary", "train.batch=32,64", "--epochs", "1", "--limit", "800", "--executor", "slurm", "--json", "--sweeps-dir", sweeps], { cwd: root, env: ENV }).done;
    expect(r.stderr).toMatch(/submitted array job \d+ \(2 tasks: t1, t2\)/);
    expect(r.code).toBe(0);
    const sum = lastJson<SummaryJson>(r.stdout);
    expect(sum.trials.map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(sum.trials.map((t) => t.rank)).toEqual([1, 2]);
    const dir = path.resolve(root, sum.dir);
    const state = await readState(dir);
    expect(state.slurmJobs).toHaveLength(1);
    const jobId = state.slurmJobs![0]!;
    // The scheduler knows the array job and where each task's output went.
    const shown = execFileSync("scontrol", ["show", "job", "-o", jobId], { encoding: "utf8" });
    expect(shown).toContain(`ArrayJobId=${jobId}`);
    expect(shown).toMatch(/StdOut=\S+\/trials\/t[12]\/slurm\.log/);
    expect(await fsp.readFile(path.join(dir, "slurm/array-1.sh"), "utf8")).toContain("#SBATCH --array=1,2");
    for (const t of sum.trials) {
      expect((await readManifest(path.resolve(root, t.runDir!))).status).toBe("completed");
      expect(await fsp.readFile(path.join(dir, "trials", t.id, "slurm.log"), "utf8")).toContain('"type":"run-start"');
    }
  }, 180_000);

  it("Ctrl-C cancels the array (trials checkpoint), --resume finishes only what is left", async () => {
    const sweeps = path.join(root, "b");
    const child = ferc(["sweep", DEMO, "--vary", "train.batch=8,16", "--epochs", "1", "--limit", "800", "--executor", "slurm", "--sweeps-dir", sweeps], { cwd: root, env: ENV });
    let dir = "";
    await until("both tasks training", async () => {
      dir = (await onlySweep(sweeps)) ?? "";
      if (!dir) return false;
      const logs = await Promise.all(["t1", "t2"].map((t) => fsp.readFile(path.join(dir, "trials", t, "slurm.log"), "utf8").catch(() => "")));
      return logs.every((l) => l.includes('"type":"batch"'));
    }, 60_000, 100);
    process.kill(child.pid, "SIGINT");
    const stopped = await child.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/scancel \d+: cancelling the array/);
    const mid = await readState(dir);
    const interrupted = mid.trials.filter((t) => t.status === "interrupted");
    expect(interrupted.length).toBeGreaterThan(0);
    for (const t of interrupted) expect((await readManifest(path.join(dir, t.runDir!))).status).toBe("stopped");

    const r = await ferc(["sweep", "--resume", dir, "--json"], { cwd: root, env: ENV }).done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`submitted array job \\d+ \\(${interrupted.length} tasks?: ${interrupted.map((t) => t.id).join(", ")}\\)`));
    const sum = lastJson<SummaryJson>(r.stdout);
    expect(sum.trials.map((t) => t.status)).toEqual(["completed", "completed"]);
    for (const t of interrupted) {
      const m = await readManifest(path.join(dir, t.runDir!));
      expect(m.status).toBe("completed");
      expect(m.resumes).toHaveLength(1);
    }
    expect((await readState(dir)).slurmJobs).toHaveLength(2);
  }, 180_000);
});
