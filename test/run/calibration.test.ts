/** The measured training speed (ferc run) and ferc check's seconds-per-epoch estimate from it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { calibrationEntry, estimateEpoch, readCalibration, writeCalibration, type Calibration } from "../../src/run/calibration.js";
import { ferc } from "../cli/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "ferc-calibration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("calibration", () => {
  it("rate = train images x multiply-adds / median epoch time; estimate divides by it", () => {
    const e = calibrationEntry({ spec: "s", runId: "s-1", trainImages: 1000, macsPerImage: 2e6, epochMs: [9000, 4000, 5000], now: new Date("2026-01-01T00:00:00Z") })!;
    expect(e.medianEpochSeconds).toBe(5);
    expect(e.macsPerSecond).toBe(4e8);
    const cal: Calibration = { version: 1, backends: { wasm: e } };
    // A model with 4x the multiply-adds: 4x the epoch time, for the same 1,000 images.
    expect(estimateEpoch(cal, 8e6, "wasm")!.seconds).toBe(20);
    expect(estimateEpoch(cal, 8e6)!.backend).toBe("wasm");
    expect(estimateEpoch(cal, 8e6, "cpu")).toBeUndefined();
    expect(calibrationEntry({ spec: "s", runId: "s-1", trainImages: 1000, macsPerImage: 2e6, epochMs: [] })).toBeUndefined();
    // Epochs under 5 s (a demo, a --limit smoke run) measure fixed costs, not the machine: not recorded.
    expect(calibrationEntry({ spec: "s", runId: "s-1", trainImages: 1000, macsPerImage: 2e6, epochMs: [4900] })).toBeUndefined();
    expect(calibrationEntry({ spec: "s", runId: "s-1", trainImages: 1000, macsPerImage: 2e6, epochMs: [4900], minSeconds: 1 })).toBeDefined();
    // Under 1,000 train images (test fixtures, tiny sets): per-batch overheads, not recorded either.
    expect(calibrationEntry({ spec: "s", runId: "s-1", trainImages: 999, macsPerImage: 2e6, epochMs: [9000] })).toBeUndefined();
  });

  it("writes per backend, keeps the others; a damaged file reads as none", async () => {
    const file = join(dir, "sub", "calibration.json");
    const e = calibrationEntry({ spec: "s", runId: "s-1", trainImages: 1000, macsPerImage: 10, epochMs: [1000], minSeconds: 0 })!;
    await writeCalibration(file, "wasm", e);
    await writeCalibration(file, "cpu", { ...e, macsPerSecond: 1 });
    expect(Object.keys(readCalibration(file)!.backends).sort()).toEqual(["cpu", "wasm"]);
    writeFileSync(file, "{ not json");
    expect(readCalibration(file)).toBeNull();
  });

  it("ferc check prints the estimate and where it comes from; --backend without a calibration says so", async () => {
    const cache = join(dir, "cache");
    const e = calibrationEntry({ spec: "demo", runId: "demo-20260101-000000", trainImages: 26942, macsPerImage: 11_579_520, epochMs: [40_000, 38_000, 39_000], now: new Date("2026-01-01T00:00:00Z") })!;
    await writeCalibration(join(cache, "calibration.json"), "wasm", e);
    const r = await ferc(["check", "specs/vgg-small.fer"], { env: { FERC_CACHE_DIR: cache } });
    expect(r.code).toBe(0);
    // Same model, same images: the calibrating run's median epoch back.
    expect(r.stdout).toContain("estimate: ~39 s per epoch of 26,942 train images on wasm\n");
    expect(r.stdout).toContain(`(from 8.00 G multiply-adds/s measured by ferc run demo-20260101-000000, median of 3 epochs, 2026-01-01; ${join(cache, "calibration.json")})`);
    const none = await ferc(["check", "specs/vgg-small.fer"], { env: { FERC_CACHE_DIR: join(dir, "empty") } });
    expect(none.stdout).not.toContain("estimate");
    const asked = await ferc(["check", "--backend", "cpu", "specs/vgg-small.fer"], { env: { FERC_CACHE_DIR: join(dir, "empty") } });
    expect(asked.stdout).toContain(`estimate: none for backend cpu: no calibration in ${join(dir, "empty", "calibration.json")}`);
  }, 60_000);

  it("ferc run records its speed for the backend it trained on (short epochs only when allowed)", async () => {
    const short = join(dir, "short-cache");
    await ferc(["run", "specs/demo.fer", "--epochs", "1", "--limit", "500", "--plain", "--runs-dir", join(dir, "runs")], { env: { FERC_CACHE_DIR: short } });
    expect(readCalibration(join(short, "calibration.json"))).toBeNull();
    const cache = join(dir, "run-cache");
    const r = await ferc(["run", "specs/demo.fer", "--epochs", "1", "--limit", "1000", "--plain", "--runs-dir", join(dir, "runs")], { env: { FERC_CACHE_DIR: cache, FERC_CALIBRATION_MIN_EPOCH_S: "0" } });
    expect([0, 1]).toContain(r.code); // 1: the demo's accuracy expectation may fail after one epoch
    const cal = readCalibration(join(cache, "calibration.json"))!;
    const [backend, entry] = Object.entries(cal.backends)[0]!;
    expect(r.stdout + r.stderr).toContain(backend);
    expect(entry.spec).toBe("demo");
    expect(entry.trainImages).toBe(1000);
    expect(entry.epochs).toBe(1);
    expect(entry.macsPerSecond).toBeGreaterThan(0);
  }, 120_000);
});
