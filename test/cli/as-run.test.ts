/**
 * The record is what ran, end to end: two short runs of one spec (augmentation off, then on with
 * fewer images), their run.yaml, spec.ir.json and report.md, and `ferc report a b` comparing them
 * as run, also as a sweep's trials.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ferc, TINY_SPEC } from "./helpers.js";
import { decodeHParams, readEventFile } from "../tensorboard/reader.js";

const SPEC = TINY_SPEC.replace("spec tiny", "spec aug").replace("preprocess {", "augment { rotate 15deg; flip horizontal }\npreprocess {");

let tmp = "";
let off = "";
let on = "";
let offRun = { stdout: "", stderr: "", code: 0 as number | null };
const env = (): Record<string, string> => ({ FERC_CACHE_DIR: join(tmp, "cache") });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "ferc-asrun-cli-"));
  writeFileSync(join(tmp, "aug.fer"), SPEC);
  offRun = await ferc(["run", "aug.fer", "--epochs", "1", "--plain"], { cwd: tmp, env: env() });
  const onRun = await ferc(["run", "aug.fer", "--epochs", "1", "--augment", "--limit", "300", "--plain"], { cwd: tmp, env: env() });
  expect(offRun.code).toBe(0);
  expect(onRun.code).toBe(0);
  const dirs = readdirSync(join(tmp, "runs")).sort();
  off = join(tmp, "runs", dirs[0]!);
  on = join(tmp, "runs", dirs[1]!);
}, 120_000);

describe("ferc run records what ran", () => {
  it("says how to turn on the augmentation it leaves off", () => {
    expect(offRun.stderr).toContain("ferc run: augment off: aug.fer declares an augment section, which trains only with --augment (ferc run aug.fer --augment)");
  });

  it("run.yaml lists the overrides with what the spec says; spec.ir.json holds the spec as run", () => {
    const m = YAML.parse(readFileSync(join(on, "run.yaml"), "utf8")) as { overrides: unknown; git?: unknown };
    expect(m.overrides).toEqual([
      { flag: "epochs", value: 1, spec: 2 },
      { flag: "augment", value: true, spec: "declared" },
      { flag: "limit", value: 300 },
    ]);
    // The temporary directory is in no git repository.
    expect(m.git).toBeUndefined();
    const irOn = JSON.parse(readFileSync(join(on, "spec.ir.json"), "utf8"));
    const irOff = JSON.parse(readFileSync(join(off, "spec.ir.json"), "utf8"));
    expect(irOn.train.epochs).toBe(1);
    expect(irOn.augment).toMatchObject({ declared: true, rotateDeg: 15, flipHorizontal: true });
    expect(irOff.augment).toMatchObject({ declared: false, rotateDeg: 0, flipHorizontal: false });
    expect(readFileSync(join(on, "report.md"), "utf8")).toContain("- overrides: --epochs 1 (spec: 2), --augment (the spec's augment section on), --limit 300");
  });

  it("writes TensorBoard logs with the spec as run among the hparams", () => {
    const dir = join(on, "tensorboard");
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const events = readEventFile(readFileSync(join(dir, files[0]!)));
    const values = events.flatMap((e) => e.values);
    expect(values.filter((v) => v.tag === "val/accuracy")).toHaveLength(1);
    expect(values.some((v) => v.tag === "test/confusion_matrix" && v.image)).toBe(true);
    const start = decodeHParams(values.find((v) => v.tag === "_hparams_/session_start_info")!.pluginContent!);
    expect(start.start!.hparams).toMatchObject({ augment: true, "augment.rotateDeg": 15, "train.epochs": 1, "run.limit": 300 });
  });

  it("--batch 100000 is refused with the checker's diagnostic, and nothing is trained", async () => {
    const r = await ferc(["run", "aug.fer", "--batch", "100000", "--runs-dir", "other"], { cwd: tmp, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[F0202]: --batch 100000: batch: size must be in [1, 65536], got 100000");
    expect(r.stderr).toContain("nothing was trained");
    expect(existsSync(join(tmp, "other"))).toBe(false);
  });
});

describe("ferc report a b", () => {
  it("is one Markdown comparison: the size difference flagged, deltas, run options and the spec-as-run diff, overlaid curves beside -o", async () => {
    const out = join(tmp, "reports", "cmp.md");
    mkdirSync(dirname(out));
    const r = await ferc(["report", off, on, "-o", out], { cwd: tmp, env: env() });
    expect(r.code).toBe(0);
    const md = readFileSync(out, "utf8");
    expect(md).toMatch(/^# Comparison of 2 runs/);
    expect(md.match(/^# /gm)).toHaveLength(1);
    expect(md).toMatch(/⚠ the training set differs: n=\d[\d,]* \(aug-[\d-]+\), n=300 \(aug-[\d-]+\)/);
    expect(md).toMatch(/\| test accuracy \| [\d.]+% \| [\d.]+% \([+−][\d.]+ pp\) \|/);
    expect(md).toContain("- `augment off → on`");
    expect(md).toContain("- `limit all → 300`");
    expect(md).toContain("- `augment.rotateDeg`: `0` → `15`");
    // Every link and image resolves from where the report was written.
    const targets = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => resolve(dirname(out), m[1]!));
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const t of targets) expect(existsSync(t), t).toBe(true);
    const svg = readFileSync(join(dirname(out), "cmp.val-acc.svg"), "utf8");
    for (const d of [off, on]) expect(svg).toContain(d.split("/").pop()!);
  });

  it("one run's Markdown report written elsewhere links its plots where they are", async () => {
    const r = await ferc(["report", on, "-o", join(tmp, "reports", "one.md")], { cwd: tmp, env: env() });
    expect(r.code).toBe(0);
    const md = readFileSync(join(tmp, "reports", "one.md"), "utf8");
    const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.length).toBe(4);
    for (const i of images) expect(existsSync(resolve(tmp, "reports", i)), i).toBe(true);
  });

  it("a sweep directory reports its trials as one comparison", async () => {
    const sweep = join(tmp, "sweeps", "aug-20261201-000000");
    const trial = (id: string, run: string) => {
      const rel = join("trials", id, "runs", run.split("/").pop()!);
      cpSync(run, join(sweep, rel), { recursive: true });
      return rel;
    };
    const trials = [
      { id: "t1", assignment: {}, changes: [], params: 1, spec: "trials/t1/spec.fer", status: "completed", runDir: trial("t1", off), attempts: 1, wallMs: 1 },
      { id: "t2", assignment: { "train.batch": "16" }, changes: ["train.batch 32 → 16"], params: 1, spec: "trials/t2/spec.fer", status: "completed", runDir: trial("t2", on), attempts: 1, wallMs: 1 },
      { id: "t3", assignment: {}, changes: ["train.batch 32 → 8"], params: 1, spec: "trials/t3/spec.fer", status: "pending", attempts: 0, wallMs: 0 },
    ];
    const state = { sweepVersion: 1, id: "aug-20261201-000000", spec: "aug", specFile: "aug.fer", createdAt: "2026-12-01T00:00:00Z", rankedBy: "val.acc", sampling: { mode: "grid" }, vary: [{ path: "train.batch", values: ["32", "16", "8"] }], run: {}, executor: "local", trials };
    writeFileSync(join(sweep, "sweep.yaml"), YAML.stringify(state));
    const r = await ferc(["report", sweep], { cwd: tmp, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Sweep aug-20261201-000000: 3 trials of aug over train.batch/);
    expect(r.stdout).toContain("| metric | t1: base (baseline) | t2: train.batch 32 → 16 |");
    expect(r.stdout).toContain("- t3 (train.batch 32 → 8): pending, no run record yet");
    expect(r.stdout).toContain("## What differs: t1: base → t2: train.batch 32 → 16");
  });

  it("--html --mistakes adds a gallery of the most confident mistakes, as many wrong as the run's test accuracy says", async () => {
    const out = join(tmp, "reports", "mistakes.html");
    const r = await ferc(["report", on, "--html", "--mistakes", "-o", out], { cwd: tmp, env: env() });
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    const test = (JSON.parse(readFileSync(join(on, "report.json"), "utf8")) as { test: { acc: number; n: number } }).test;
    const wrong = Math.round((1 - test.acc) * test.n);
    expect(html).toContain(`<h3>Most confident mistakes (test, ${wrong} of ${test.n} wrong)</h3>`);
    const pairs = [...html.matchAll(/<h4>true (\w+) → predicted (\w+): (\d+) images<\/h4>/g)];
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.length).toBeLessThanOrEqual(6);
    // Most frequent confusions first; no pair is a class with itself.
    const counts = pairs.map((m) => Number(m[3]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(pairs.every((m) => m[1] !== m[2])).toBe(true);
    expect(html.match(/<img alt="test image \d+" src="data:image\/png;base64,/g)!.length).toBe(pairs.reduce((s, m) => s + Math.min(8, Number(m[3])), 0));
    const bad = await ferc(["report", on, "--mistakes"], { cwd: tmp, env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--mistakes adds a gallery to the HTML report: give --html too");
  });
});
