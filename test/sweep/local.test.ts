/**
 * `ferc sweep` with the local executor, end to end on the demo spec (tiny: 800 images, 1 epoch):
 * two trials as child processes at once, ordinary run records, ranked by the validation monitor.
 */
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/run/manifest.js";
import { DEMO, ferc, lastJson, type SummaryJson } from "./helpers.js";

let root: string;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-sweep-local-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe("ferc sweep --executor local", () => {
  it("runs a 2-trial grid in parallel and ranks the run records by val.acc", async () => {
    const r = await ferc(
      ["sweep", DEMO, "--vary", "train.batch=32,64", "--epochs", "1", "--limit", "800", "--executor", "local", "--jobs", "2", "--json", "--sweeps-dir", path.join(root, "sweeps")],
      { cwd: root, env: { FERC_THREADS: "2" } },
    ).done;
    expect(r.stderr).toContain("2 at a time, 1 thread each");
    expect(r.code).toBe(0);
    const sum = lastJson<SummaryJson>(r.stdout);
    expect(sum.rankedBy).toBe("val.acc");
    expect(sum.trials.map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(sum.trials.map((t) => t.rank)).toEqual([1, 2]);
    expect(sum.trials[0]!.val!).toBeGreaterThanOrEqual(sum.trials[1]!.val!);
    // The trial that changed the batch says so, as ferc diff does; the other is the base spec.
    const byBatch = new Map(sum.trials.map((t) => [t.changes.join(";"), t]));
    expect([...byBatch.keys()].sort()).toEqual(["", "train.batch 64 → 32"]);
    for (const t of sum.trials) {
      const m = await readManifest(path.resolve(root, t.runDir!));
      expect(m.status).toBe("completed");
      expect(m.epochsDone).toBe(1);
      expect(t.epochs).toBe(1);
      expect(t.params).toBe(33255);
      // Ranked by validation, never by test: the reported val is the record's best val.acc.
      const history = (await fsp.readFile(path.resolve(root, t.runDir!, "metrics.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { valAcc: number });
      expect(t.val).toBe(history[0]!.valAcc);
    }
    // The two ran at the same time: their run records' training overlapped.
    const [a, b] = await Promise.all(sum.trials.map((t) => readManifest(path.resolve(root, t.runDir!))));
    expect(Date.parse(a!.startedAt)).toBeLessThan(Date.parse(b!.endedAt!));
    expect(Date.parse(b!.startedAt)).toBeLessThan(Date.parse(a!.endedAt!));

    const dir = path.resolve(root, sum.dir);
    const state = YAML.parse(await fsp.readFile(path.join(dir, "sweep.yaml"), "utf8")) as { trials: { status: string; spec: string }[]; vary: unknown };
    expect(state.trials.map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(state.vary).toEqual([{ path: "train.batch", values: ["32", "64"] }]);
    expect(JSON.parse(await fsp.readFile(path.join(dir, "sweep.json"), "utf8"))).toEqual(sum);
    const md = await fsp.readFile(path.join(dir, "sweep.md"), "utf8");
    expect(md).toMatch(/\| 1 \| t\d \| .* \| 33,255 \| 1 \| /);
    expect(md).toContain("`train.batch 64 → 32`");
    // Each trial is an ordinary spec: the varied batch is written in it.
    expect(await fsp.readFile(path.join(dir, state.trials[0]!.spec), "utf8")).toMatch(/^\s+batch 32$/m);
  }, 180_000);

  it("refuses a bad --vary before anything runs, naming the flag", async () => {
    const r = await ferc(["sweep", DEMO, "--vary", "train.batch=32,0", "--sweeps-dir", path.join(root, "bad")], { cwd: root }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trial t2 \(train\.batch=0\) does not check: batch: size must be in \[1, 65536\], got 0/);
    await expect(fsp.readdir(path.join(root, "bad"))).rejects.toThrow();
    const u = await ferc(["sweep", DEMO, "--vary", "train.batch"], { cwd: root }).done;
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("--vary train.batch: expected PATH=V1,V2");
    const p = await ferc(["sweep", DEMO, "--vary", "train.bach=1,2"], { cwd: root }).done;
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/train\.bach.*did you mean "train\.batch"/);
  });
});

describe("ferc run of a spec with a sweep section", () => {
  it("says that it trains the base spec once, rather than ignoring the section silently", async () => {
    const spec = path.join(root, "swept.fer");
    await fsp.writeFile(spec, `${await fsp.readFile(DEMO, "utf8")}\nsweep { vary train.batch [32, 64] }\n`);
    const r = await ferc(["run", spec, "--epochs", "1", "--limit", "200", "--runs-dir", path.join(root, "runs"), "--json"], { cwd: root }).done;
    expect(r.stderr).toContain(`ferc run: ${spec} declares a sweep; this trains the base spec once (ferc sweep ${spec} runs its trials)`);
    expect(r.stdout).toContain('"type":"done"');
  });
});
