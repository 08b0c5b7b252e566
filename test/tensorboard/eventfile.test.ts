/**
 * TensorBoard event files, read back with the independent reader (./reader.ts), which checks
 * every record's two CRCs: the framing and masked CRC as TensorFlow's record writer defines them,
 * the scalars, hparams and image a run logs.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { crc32c, maskedCrc32c } from "../../src/tensorboard/crc32c.js";
import { EventFileWriter } from "../../src/tensorboard/writer.js";
import { startRun } from "../../src/run/index.js";
import { tensorBoardLog } from "../../src/run/tensorboard.js";
import { useCpu } from "../train/helpers.js";
import { tinySpec, toyDeps } from "../run/fixtures.js";
import { crc32cBitwise, decodeHParams, readEventFile, readRecords, type DecodedEvent } from "./reader.js";

describe("CRC-32C", () => {
  it("matches the check value and RFC 3720's vectors, and the test reader's bitwise CRC", () => {
    const ascii = new TextEncoder().encode("123456789");
    expect(crc32c(ascii)).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    for (const data of [ascii, new Uint8Array(0), Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff)]) expect(crc32c(data)).toBe(crc32cBitwise(data));
    // The mask: rotate right 15, add 0xa282ead8.
    const c = crc32c(ascii);
    expect(maskedCrc32c(ascii)).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
  });
});

describe("EventFileWriter", () => {
  it("writes records the independent reader decodes with every CRC valid, and a flipped byte is caught", () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-tb-"));
    let t = 1_700_000_000_000;
    const w = EventFileWriter.open(join(dir, "tb"), () => (t += 1000));
    w.scalars(3, { "train/loss": 0.5, "val/accuracy": 0.75, skipped: Number.NaN });
    const png = new PNG({ width: 2, height: 1 });
    png.data.fill(255);
    const bytes = PNG.sync.write(png);
    w.image(3, "test/confusion_matrix", bytes, 2, 1);
    w.hparamsStart({ "train.batch": 64, "train.optimizer": "adam", augment: true }, 1234.5);
    w.hparamsEnd("success", 1240);
    w.close();
    expect(w.path).toMatch(/\/tb\/events\.out\.tfevents\.\d{10}\.[^/]+\.\d+\.\d+$/);
    const buf = readFileSync(w.path);
    const events = readEventFile(buf);
    expect(events[0]).toMatchObject({ fileVersion: "brain.Event:2", step: 0 });
    expect(events[1]!.step).toBe(3);
    expect(events[1]!.values).toEqual([
      { tag: "train/loss", simpleValue: 0.5 },
      { tag: "val/accuracy", simpleValue: 0.75 },
    ]);
    // Wall time in seconds from the clock: the file name took one reading, the version record the next.
    expect(events[0]!.wallTime).toBeCloseTo(1_700_000_002, 3);
    expect(events[1]!.wallTime).toBeCloseTo(1_700_000_003, 3);
    expect(events[2]!.values[0]).toMatchObject({ tag: "test/confusion_matrix", image: { height: 1, width: 2, colorspace: 4 } });
    expect(Buffer.from(events[2]!.values[0]!.image!.png).equals(bytes)).toBe(true);
    const start = events[3]!.values[0]!;
    expect(start).toMatchObject({ tag: "_hparams_/session_start_info", pluginName: "hparams", tensor: { dtype: 1, dims: [0] } });
    expect(decodeHParams(start.pluginContent!)).toEqual({ version: 0, start: { hparams: { "train.batch": 64, "train.optimizer": "adam", augment: true }, startTimeSecs: 1234.5 } });
    expect(decodeHParams(events[4]!.values[0]!.pluginContent!)).toEqual({ version: 0, end: { status: 1, endTimeSecs: 1240 } });

    // The reader really checks: any flipped byte in a record is an error.
    for (const at of [3, 9, 20, buf.length - 2]) {
      const bad = Buffer.from(buf);
      bad[at]! ^= 0x10;
      expect(() => readRecords(bad)).toThrow(/CRC mismatch|truncated/);
    }
  });
});

describe("a run's TensorBoard log", () => {
  let events: DecodedEvent[] = [];
  const spec = tinySpec({ epochs: 3, batch: 16 });
  const classes = spec.dataset.classes;
  beforeAll(async () => {
    await useCpu();
    const root = mkdtempSync(join(tmpdir(), "ferc-tbrun-"));
    const tb = tensorBoardLog({ spec, overrides: [{ flag: "epochs", value: 3, spec: 30 }, { flag: "limit", value: 96 }], batchEvery: 2 });
    const out = await startRun({
      spec,
      source: "spec tiny\n",
      deps: toyDeps(),
      backend: { name: "cpu" },
      runsDir: join(root, "runs"),
      // Every batch event, so the batch-loss cadence is exact.
      batchEventIntervalMs: 0,
      onEvent: tb.onEvent,
      minFreeBytes: 0,
    });
    tb.close();
    expect(out.status).toBe("completed");
    expect(tb.error).toBeUndefined();
    const dir = join(out.dir, "tensorboard");
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(tb.file).toBe(join(dir, files[0]!));
    events = readEventFile(readFileSync(join(dir, files[0]!)));
  });

  const scalar = (tag: string): [number, number][] =>
    events.flatMap((e) => e.values.filter((v) => v.tag === tag && v.simpleValue !== undefined).map((v) => [e.step, v.simpleValue!] as [number, number]));

  it("has per-epoch scalars for train and val, the learning rate and each class's val recall", () => {
    for (const tag of ["train/loss", "train/accuracy", "train/learning_rate", "val/loss", "val/accuracy"]) expect(scalar(tag).map(([s]) => s), tag).toEqual([1, 2, 3]);
    expect(scalar("train/learning_rate").map(([, v]) => v)).toEqual([1, 2, 3].map(() => Math.fround(spec.train.optimizer.lr)));
    for (const c of classes) {
      const r = scalar(`val_recall/${c}`);
      expect(r.map(([s]) => s)).toEqual([1, 2, 3]);
      expect(r.every(([, v]) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it("logs the running training loss every N batches (step = batches trained)", () => {
    // 96 train images in batches of 16: 6 per epoch, N = 2 → batches 2, 4, 6, 8, ... 18.
    expect(scalar("train/batch_loss").map(([s]) => s)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it("ends with the test metrics, the confusion matrix as a PNG and the hparams session", () => {
    expect(scalar("test/accuracy")).toHaveLength(1);
    expect(scalar("test/accuracy")[0]![0]).toBe(3);
    expect(scalar("test/macro_f1")).toHaveLength(1);
    const image = events.flatMap((e) => e.values).find((v) => v.tag === "test/confusion_matrix")!.image!;
    const png = PNG.sync.read(Buffer.from(image.png));
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    expect(png.width).toBeGreaterThan(100);
    const plugin = events.flatMap((e) => e.values).filter((v) => v.pluginName === "hparams").map((v) => decodeHParams(v.pluginContent!));
    expect(plugin).toHaveLength(2);
    expect(plugin[0]!.start!.hparams).toMatchObject({ "train.epochs": 3, "train.batch": 16, "train.optimizer": "adam", "train.optimizer.lr": spec.train.optimizer.lr, augment: false, "run.limit": 96, "run.backend": "cpu" });
    expect(plugin[1]!.end!.status).toBe(1);
  });
});
