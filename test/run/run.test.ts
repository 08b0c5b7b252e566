import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { evaluateRun, openRun, predictImage, resumeRun, startRun, readCheckpoint, manifestErrors, readManifest, type RunOutcome } from "../../src/run/index.js";
import type { TrainEvent } from "../../src/train/events.js";
import { useCpu, makeImages } from "../train/helpers.js";
import type { SpecIR } from "../../src/ir.js";
import { tinySpec, toyDataset, toyDeps } from "./fixtures.js";
import { xmlProblems } from "./xml.js";

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-run-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const backend = { name: "cpu", reason: "test" };
let clock = 0;
/** Distinct run ids per test without sleeping. */
const now = () => new Date(Date.UTC(2026, 0, 1, 12, 0, clock++));

async function ls(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).sort();
}

describe("startRun", () => {
  let out: RunOutcome;
  const events: TrainEvent[] = [];
  beforeAll(async () => {
    const spec = tinySpec({ epochs: 4, earlyStop: { monitor: "val.loss", mode: "min", patience: 10, minDelta: 0, restoreBest: true } });
    out = await startRun({ spec, source: "spec tiny {}\n", deps: toyDeps(), backend, runsDir: path.join(root, "runs"), onEvent: (e) => events.push(e), now, flags: { epochs: 4 }, minFreeBytes: 0 });
  });

  it("completes and writes every record file", async () => {
    expect(out.status).toBe("completed");
    expect(out.exitCode).toBe(0);
    expect(path.basename(out.dir)).toMatch(/^tiny-\d{8}-\d{6}$/);
    expect(await ls(out.dir)).toEqual(
      ["accuracy.svg", "checkpoints", "classes.svg", "confusion.svg", "data.json", "loss.svg", "metrics.jsonl", "preprocess.json", "report.json", "report.md", "run.yaml", "spec.fer", "spec.ir.json"].sort(),
    );
    expect(await ls(path.join(out.dir, "checkpoints"))).toEqual(["best", "last"]);
    expect(await ls(path.join(out.dir, "checkpoints", "last"))).toEqual(["model.json", "optimizer.bin", "state.json", "weights.bin"]);
    const lines = (await fsp.readFile(path.join(out.dir, "metrics.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0]!)).toMatchObject({ epoch: 1 });
  });

  it("beats chance clearly on the test split", () => {
    expect(out.test!.acc).toBeGreaterThan(0.8);
  });

  it("writes a manifest that validates against the shipped schema", async () => {
    const raw: unknown = YAML.parse(await fsp.readFile(path.join(out.dir, "run.yaml"), "utf8"));
    expect(manifestErrors(raw)).toEqual([]);
    const m = await readManifest(out.dir);
    expect(m).toMatchObject({ spec: "tiny", status: "completed", reason: "epochs", backend: "cpu", epochsDone: 4, epochsPlanned: 4, seed: 7, dataHash: "toyhash0123456789", flags: { epochs: 4 } });
    expect(m.specHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m.versions.node).toBe(process.version);
    expect(m.test!.acc).toBe(out.test!.acc);
    expect(manifestErrors({ ...m, status: "paused" })).not.toEqual([]);
    expect(manifestErrors({ ...m, status: "paused" })).toEqual(["/status must be equal to one of the allowed values"]);
    // A key the file made up is not repeated: an error names places, never what the file holds.
    expect(manifestErrors({ ...m, extra: 1 })).toEqual(["/ must NOT have additional properties (…)"]);
  });

  it("says what it does before training (loading, preprocessing, building), then emits run-start", () => {
    const i = events.findIndex((e) => e.type === "run-start");
    expect(events.slice(0, i)).toEqual([
      { type: "phase", phase: "data", message: "loading and cleaning data set toy" },
      { type: "phase", phase: "preprocess", message: "preprocessing 192 images" },
      { type: "phase", phase: "model", message: "building the model" },
    ]);
    expect(events[i]).not.toHaveProperty("history"); // a fresh run has none
  });

  it("emits run-start with counts, cleaning and augment state, then test-result and done", () => {
    const start = events.find((e) => e.type === "run-start")!;
    expect(start).toMatchObject({ type: "run-start", spec: "tiny", backend: "cpu", counts: { train: 96, val: 48, test: 48 }, cleaning: { blank: 2, duplicates: 1 }, augment: false });
    expect(events.at(-2)!.type).toBe("test-result");
    expect(events.at(-1)).toMatchObject({ type: "done", status: "completed", epochsDone: 4 });
  });

  it("writes well-formed SVG plots with axes labels and legends", async () => {
    for (const f of ["loss.svg", "accuracy.svg", "confusion.svg", "classes.svg"]) {
      const svg = await fsp.readFile(path.join(out.dir, f), "utf8");
      expect(xmlProblems(svg), f).toEqual([]);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    }
    const loss = await fsp.readFile(path.join(out.dir, "loss.svg"), "utf8");
    expect(loss).toContain(">Epoch<");
    expect(loss).toContain(">train loss<");
    expect(loss).toContain(">val loss<");
    const cm = await fsp.readFile(path.join(out.dir, "confusion.svg"), "utf8");
    expect(cm).toContain(">Predicted class<");
    expect(cm).toContain(">True class<");
  });

  it("report.json/md agree with the outcome", async () => {
    const rep = JSON.parse(await fsp.readFile(path.join(out.dir, "report.json"), "utf8"));
    expect(rep.test.acc).toBe(out.test!.acc);
    expect(rep.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(48);
    const md = await fsp.readFile(path.join(out.dir, "report.md"), "utf8");
    expect(md).toContain("| class | precision | recall | F1 | support |");
    expect(md).toContain("| true \\ predicted | a | b | c |");
    // n for each split, and whether test was kept whole.
    expect(rep.data).toEqual({ train: 96, val: 48, test: 48, testSplit: "kept whole" });
    expect(md).toContain("- data: train n=96, val n=48, test n=48 (test split kept whole)");
    // Which split drove each choice, in report.json, report.md and run.yaml alike.
    expect(rep.protocol.bestCheckpoint).toEqual({ split: "val", monitor: "val.loss" });
    expect(rep.protocol.test).toBe("evaluated once, after training; drives no choice");
    expect(md).toContain("- protocol: early stop val (val.loss); schedule none (constant: fixed in advance); best checkpoint val (val.loss); restore-best val (val.loss); tta none (none: fixed in the spec); test evaluated once, after training; drives no choice");
    const m = YAML.parse(await fsp.readFile(path.join(out.dir, "run.yaml"), "utf8"));
    expect(m.protocol).toEqual(rep.protocol);
  });

  it("a record from before clean { test } (no clean.test in spec.ir.json) evaluates as cleaned; fullTest asks for the whole test split", async () => {
    const legacy = path.join(root, "legacy");
    await fsp.cp(out.dir, legacy, { recursive: true });
    const irFile = path.join(legacy, "spec.ir.json");
    const ir = JSON.parse(await fsp.readFile(irFile, "utf8"));
    delete ir.dataset.clean.test;
    await fsp.writeFile(irFile, JSON.stringify(ir));
    const asked: string[] = [];
    const loadDataset = async (ds: SpecIR["dataset"]) => (asked.push(ds.clean.test), toyDataset());
    expect((await openRun(legacy)).spec.dataset.clean.test).toBe("clean");
    await evaluateRun(legacy, "test", { deps: { loadDataset } });
    await evaluateRun(legacy, "test", { deps: { loadDataset }, fullTest: true });
    await evaluateRun(out.dir, "test", { deps: { loadDataset } });
    expect(asked).toEqual(["clean", "keep", "keep"]);
  });

  it("evaluateRun re-evaluates the best checkpoint to the same test metrics (spec rebuild and tfjs topology)", async () => {
    const viaSpec = await evaluateRun(out.dir, "test", { deps: toyDeps() });
    expect(viaSpec.acc).toBe(out.test!.acc);
    expect(viaSpec.loss).toBeCloseTo(out.test!.loss, 6);
    expect(viaSpec.confusion).toEqual(out.test!.confusion);
    const viaTopology = await evaluateRun(out.dir, "test", { deps: { loadDataset: toyDeps().loadDataset! } });
    expect(viaTopology.confusion).toEqual(out.test!.confusion);
  });

  it("a weights-only copy of the record (no optimizer.bin, no last checkpoint) still evaluates the same", async () => {
    const copy = path.join(root, "published");
    await fsp.cp(out.dir, copy, { recursive: true });
    await fsp.rm(path.join(copy, "checkpoints", "last"), { recursive: true });
    await fsp.rm(path.join(copy, "checkpoints", "best", "optimizer.bin"));
    const again = await evaluateRun(copy, "test", { deps: { loadDataset: toyDeps().loadDataset! } });
    expect(again.confusion).toEqual(out.test!.confusion);
  });

  it("predictImage returns class probabilities", async () => {
    const img = makeImages(3, 99); // labels 0,1,2
    const p = await predictImage(out.dir, img.pixels.subarray(64 * 2, 64 * 3));
    expect(p.probabilities).toHaveLength(3);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.top.name).toBe("c");
    await expect(predictImage(out.dir, new Uint8Array(10))).rejects.toThrow(/multiple of 8x8x1/);
  });

  it("openRun reads the record back", async () => {
    const r = await openRun(out.dir);
    expect(r.spec.name).toBe("tiny");
    expect(r.hasCheckpoint).toEqual({ best: true, last: true });
  });
});

describe("interrupt and resume", () => {
  it("Ctrl-C mid-epoch then resumeRun gives the same final weights as an uninterrupted run", async () => {
    const spec = tinySpec({ epochs: 4 });
    const runsDir = path.join(root, "resume");
    const straight = await startRun({ spec, source: "s", deps: toyDeps(), backend, runsDir, now, minFreeBytes: 0 });

    const ctl = new AbortController();
    const stopped = await startRun({
      spec, source: "s", deps: toyDeps(), backend, runsDir, now, minFreeBytes: 0, signal: ctl.signal, batchEventIntervalMs: 0,
      onEvent: (e) => { if (e.type === "batch" && e.epoch === 2 && e.batch === 3) ctl.abort(); },
    });
    expect(stopped).toMatchObject({ status: "stopped", reason: "interrupted", exitCode: 130, epochsDone: 1 });
    const m = await readManifest(stopped.dir);
    expect(m.status).toBe("stopped");
    expect(m.endedAt).not.toBeNull();
    const last = await readCheckpoint(stopped.dir, "last");
    // Batch 3's event comes once batch 4 is queued (a step's outcome is read while the next one
    // computes), so the stop finishes that batch in flight: 4 batches done, and resume goes on at 5.
    expect(last.state.inProgress).toMatchObject({ epoch: 1, batchesDone: 4 });

    // Pretend epoch 1 took 1000 s (training does not read it), to see it counted in the total.
    const stateFile = path.join(stopped.dir, "checkpoints", "last", "state.json");
    const saved = JSON.parse(await fsp.readFile(stateFile, "utf8")) as { history: { timeMs: number }[] };
    saved.history[0]!.timeMs = 1_000_000;
    await fsp.writeFile(stateFile, JSON.stringify(saved));

    const events: TrainEvent[] = [];
    const resumed = await resumeRun(stopped.dir, { deps: toyDeps(), backend, minFreeBytes: 0, onEvent: (e) => events.push(e) });
    expect(resumed).toMatchObject({ status: "completed", epochsDone: 4, exitCode: 0 });
    const start = events.find((e) => e.type === "run-start");
    expect(start).toMatchObject({ type: "run-start", resumedFromEpoch: 1 });
    // The epoch trained before the interrupt comes along, as the dashboard's table row it was.
    expect(start).toMatchObject({ history: [{ type: "epoch-end", epoch: 1, loss: last.state.history[0]!.loss, timeMs: 1_000_000, bestEpoch: 1, improved: true, monitor: "val.loss" }] });
    // The total time counts the earlier process's training too.
    const done = events.find((e) => e.type === "done")!;
    expect(done.type === "done" && done.elapsedMs).toBeGreaterThanOrEqual(1_000_000 + last.state.inProgress!.elapsedMs);
    const a = (await readCheckpoint(straight.dir, "last")).weights.values;
    const b = (await readCheckpoint(resumed.dir, "last")).weights.values;
    let d = 0;
    a.forEach((v, i) => v.forEach((x, j) => (d = Math.max(d, Math.abs(x - b[i]![j]!)))));
    expect(d).toBeLessThan(1e-6);
    expect(resumed.test!.acc).toBe(straight.test!.acc);
    const m2 = await readManifest(resumed.dir);
    expect(m2).toMatchObject({ status: "completed", epochsDone: 4 });
    expect(m2.resumes).toHaveLength(1);
    expect((await fsp.readFile(path.join(resumed.dir, "metrics.jsonl"), "utf8")).trim().split("\n")).toHaveLength(4);
    await expect(resumeRun(resumed.dir, { deps: toyDeps(), backend, minFreeBytes: 0 })).rejects.toThrow(/already completed/);
  });
});

describe("augmentation", () => {
  it("runs with the data pipeline's augmentBatch when enabled and records it", async () => {
    const base = tinySpec({ epochs: 2 });
    const spec = { ...base, augment: { ...base.augment, declared: true, rotateDeg: 10, shiftX: 0.1, shiftY: 0.1 } };
    const events: TrainEvent[] = [];
    const out = await startRun({ spec, source: "s", deps: toyDeps(), backend, runsDir: path.join(root, "aug"), now, minFreeBytes: 0, onEvent: (e) => events.push(e) });
    expect(out.status).toBe("completed");
    expect(events.find((e) => e.type === "run-start")).toMatchObject({ type: "run-start", augment: true });
    expect((await readManifest(out.dir)).augment).toBe(true);
    const noAug = await startRun({ spec, augment: false, source: "s", deps: toyDeps(), backend, runsDir: path.join(root, "aug"), now, minFreeBytes: 0 });
    expect((await readManifest(noAug.dir)).augment).toBe(false);
    expect(noAug.test!.loss).not.toBe(out.test!.loss);
  });
});

describe("failure modes", () => {
  it("NaN (lr 1e30) stops cleanly, records failed, keeps the best checkpoint", async () => {
    const spec = tinySpec({ epochs: 3, optimizer: { kind: "sgd", lr: 1e30, momentum: 0, nesterov: false } });
    const events: TrainEvent[] = [];
    const out = await startRun({ spec, source: "s", deps: toyDeps(), backend, runsDir: path.join(root, "nan"), now, minFreeBytes: 0, onEvent: (e) => events.push(e) });
    expect(out).toMatchObject({ status: "failed", reason: "nan", exitCode: 1 });
    expect(out.message).toMatch(/NaN\/Infinity/);
    expect(events.some((e) => e.type === "nan")).toBe(true);
    const m = await readManifest(out.dir);
    expect(m).toMatchObject({ status: "failed", reason: "nan" });
    const ck = await openRun(out.dir);
    // If an epoch finished before the blow-up, its checkpoint stays; the last one is never NaN.
    if (ck.hasCheckpoint.last) {
      const w = (await readCheckpoint(out.dir, "last")).weights.values;
      expect(w.every((v) => v.every(Number.isFinite))).toBe(true);
    }
  });

  it("a data-loading error is recorded as failed, not thrown", async () => {
    const deps = { ...toyDeps(), loadDataset: async () => { throw new Error("no such file: fer2013.csv"); } };
    const out = await startRun({ spec: tinySpec(), source: "s", deps, backend, runsDir: path.join(root, "err"), now, minFreeBytes: 0 });
    expect(out).toMatchObject({ status: "failed", reason: "error", exitCode: 1, message: "no such file: fer2013.csv" });
    expect((await readManifest(out.dir)).status).toBe("failed");
  });

  it("refuses an unwritable or full runs directory before training", async () => {
    const file = path.join(root, "a-file");
    await fsp.writeFile(file, "x");
    await expect(startRun({ spec: tinySpec(), source: "s", deps: toyDeps(), backend, runsDir: path.join(file, "runs") })).rejects.toThrow(/cannot create runs directory/);
    await expect(startRun({ spec: tinySpec(), source: "s", deps: toyDeps(), backend, runsDir: path.join(root, "full"), minFreeBytes: Number.MAX_SAFE_INTEGER })).rejects.toThrow(/free in/);
  });
});
