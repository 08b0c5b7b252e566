import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { formatPlain } from "../../src/ui/plain.js";
import { formatJsonLine } from "../../src/ui/jsonl.js";
import { chooseMode, createEventOutput } from "../../src/ui/sink.js";
import { script } from "./events.js";

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let buf = "";
  const w = new Writable({
    write(chunk, _enc, cb) {
      buf += String(chunk);
      cb();
    },
  });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => buf };
}

describe("plain lines (non-TTY)", () => {
  it("prints a start summary, one line per epoch and an end summary", async () => {
    const c = capture();
    const out = createEventOutput({ stdout: c.stream });
    for (const e of script) out.onEvent(e);
    await out.close();
    const lines = c.text().trimEnd().split("\n");
    expect(lines[0]).toBe("ferc run vgg_small on wasm -> runs/vgg_small-20260101-120000");
    expect(lines[1]).toBe("data: train 28000, val 3500, test 3589; cleaning dropped 11 blank, 1793 duplicates; augment on; 3 epochs, batch 64");
    expect(lines.filter((l) => l.startsWith("epoch "))).toEqual([
      "epoch 1/3  loss 1.6500  acc 40.0%  val_loss 1.5000  val_acc 41.0%  lr 1.00e-3  1m01s  best 1 *  patience 5",
      "epoch 2/3  loss 1.4000  acc 50.0%  val_loss 1.3000  val_acc 49.0%  lr 1.00e-3  1m01s  best 2 *  patience 5",
      "epoch 3/3  loss 1.2000  acc 60.0%  val_loss 1.3500  val_acc 50.0%  lr 1.00e-3  1m01s  best 2  patience 4",
    ]);
    expect(lines).toContain("test: accuracy 51.23%  loss 1.3012  macro F1 0.450  (n=3589)");
    expect(lines.at(-1)).toBe("completed (epochs) after 3 epochs in 3m10s; test accuracy 51.23%; run runs/vgg_small-20260101-120000");
    expect(c.text()).not.toContain("219/438"); // no batch spam in logs
  });

  it("formats early stop, NaN and interruption", () => {
    expect(formatPlain({ type: "early-stop", epoch: 9, bestEpoch: 4, monitor: "val.loss", best: 1.1, restoredBest: true })).toEqual([
      "early stop at epoch 9: no val.loss improvement since epoch 4 (best weights restored)",
    ]);
    expect(formatPlain({ type: "nan", epoch: 2, batch: 1, message: "loss NaN", keptEpoch: 1 })).toEqual(["error: loss NaN"]);
    expect(formatPlain({ type: "interrupted", epoch: 2, batch: 7, checkpointSaved: true })).toEqual(["interrupted at epoch 2, batch 7; checkpoint saved"]);
  });
});

describe("JSON Lines", () => {
  it("writes one parseable object per event, batch events included", async () => {
    const c = capture();
    const out = createEventOutput({ stdout: c.stream, json: true });
    for (const e of script) out.onEvent(e);
    await out.close();
    const objs = c.text().trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(objs.map((o) => o.type)).toEqual(script.map((e) => e.type));
    expect(objs[2]).toMatchObject({ type: "batch", batch: 219, imagesPerSec: 812.4 });
  });

  it("writes non-finite numbers as null", () => {
    expect(JSON.parse(formatJsonLine({ type: "nan", epoch: 1, batch: 1, message: "x", keptEpoch: 0 }))).toEqual({ type: "nan", epoch: 1, batch: 1, message: "x", keptEpoch: 0 });
    const line = formatJsonLine({ type: "epoch-end", epoch: 1, epochs: 1, loss: Number.NaN, acc: 0, lr: 1, timeMs: 1, bestEpoch: 0, monitor: "loss", improved: false });
    expect(JSON.parse(line).loss).toBeNull();
  });

  it("chooses dashboard only on a TTY without --json", () => {
    expect(chooseMode({ isTTY: true })).toBe("dashboard");
    expect(chooseMode({ isTTY: false })).toBe("plain");
    expect(chooseMode({ isTTY: true, json: true })).toBe("json");
  });
});
