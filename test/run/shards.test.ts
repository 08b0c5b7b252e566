import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { loadCheckpointModel, readCheckpoint, writeCheckpoint } from "../../src/run/checkpoint.js";
import { readShards, SHARD_BYTES, shardListProblem, shardNames, splitShards } from "../../src/run/shards.js";
import { RecordError } from "../../src/run/recordFiles.js";
import { memberHash } from "../../src/ensemble/hash.js";
import type { OptimizerState } from "../../src/train/optimizer.js";
import type { TrainerState } from "../../src/train/state.js";
import { initialBestState } from "../../src/train/earlyStop.js";
import { initialScheduleState } from "../../src/train/schedule.js";
import { useCpu } from "../train/helpers.js";

/** The most bytes a file committed to git may take (the record-size rule shards exist for). */
const COMMITTED_FILE_LIMIT = 10_000_000;

describe("shard names and splitting", () => {
  it("keeps a blob that fits in one file as NAME.bin, as every record before shards had it", () => {
    expect(shardNames("weights", 0)).toEqual(["weights.bin"]);
    expect(shardNames("weights", SHARD_BYTES)).toEqual(["weights.bin"]);
  });

  it("splits a larger blob into numbered shards that join back byte for byte", async () => {
    const blob = new Uint8Array(2 * 10 + 3).map((_, i) => (i * 37) & 255);
    const names = shardNames("optimizer", blob.byteLength, 10);
    expect(names).toEqual(["optimizer-shard1of3.bin", "optimizer-shard2of3.bin", "optimizer-shard3of3.bin"]);
    const parts = splitShards(blob, names, 10);
    expect(Object.values(parts).map((p) => p.byteLength)).toEqual([10, 10, 3]);
    const joined = await readShards(names, async (n) => new Uint8Array(parts[n]!));
    expect(Array.from(joined)).toEqual(Array.from(blob));
  });

  it("accepts only plain .bin names of the checkpoint directory, each once", () => {
    expect(shardListProblem(["weights.bin"])).toBeNull();
    expect(shardListProblem(["weights-shard1of2.bin", "weights-shard2of2.bin"])).toBeNull();
    for (const bad of [[], "weights.bin", ["../../secret.bin"], ["sub/weights.bin"], ["/etc/weights.bin"], [".hidden.bin"], ["weights.json"], [7], ["a.bin", "a.bin"]]) {
      expect(shardListProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
  });
});

describe("a checkpoint larger than one shard", () => {
  let root: string;
  let runDir: string;
  let model: tfl.LayersModel;
  let optimizer: OptimizerState;
  const ckDir = () => path.join(runDir, "checkpoints", "last");

  beforeAll(async () => {
    await useCpu();
    root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-shards-"));
    runDir = path.join(root, "run");
    // 1500x1500 dense: 2.25M weights, 9 MB, over one 8 MiB shard; Adam's two slots 18 MB.
    model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1500], units: 1500, kernelInitializer: "glorotUniform" })] });
    const n = 1500 * 1500;
    optimizer = {
      kind: "adam",
      accBeta1: 0.9 ** 5,
      accBeta2: 0.999 ** 5,
      tensors: [
        { name: "dense/kernel/m", shape: [1500, 1500], dtype: "float32", values: Float32Array.from({ length: n }, (_, i) => Math.sin(i)) },
        { name: "dense/kernel/v", shape: [1500, 1500], dtype: "float32", values: Float32Array.from({ length: n }, (_, i) => (i % 1000) / 1000) },
      ],
    };
    const state: TrainerState = {
      version: 1,
      epochsDone: 5,
      rng: { shuffle: [1, 2], augment: [3, 4], dropout: [5, 6] },
      schedule: initialScheduleState(1e-3),
      best: initialBestState(),
      history: [],
    };
    await writeCheckpoint(runDir, "last", model, state, optimizer);
    // The other files a member hash covers (their contents do not matter here).
    await fsp.writeFile(path.join(runDir, "spec.ir.json"), "{}");
    await fsp.writeFile(path.join(runDir, "preprocess.json"), "{}");
  });
  afterAll(async () => {
    model.dispose();
    await fsp.rm(root, { recursive: true, force: true });
  });

  it("is written as shards that model.json and state.json list, every file under 10 MB", async () => {
    const files = (await fsp.readdir(ckDir())).sort();
    expect(files).toEqual(["model.json", "optimizer-shard1of3.bin", "optimizer-shard2of3.bin", "optimizer-shard3of3.bin", "state.json", "weights-shard1of2.bin", "weights-shard2of2.bin"]);
    for (const f of files) expect((await fsp.stat(path.join(ckDir(), f))).size, f).toBeLessThan(COMMITTED_FILE_LIMIT);
    const manifest = JSON.parse(await fsp.readFile(path.join(ckDir(), "model.json"), "utf8")) as { weightsManifest: { paths: string[] }[] };
    expect(manifest.weightsManifest[0]!.paths).toEqual(["weights-shard1of2.bin", "weights-shard2of2.bin"]);
  });

  it("reads back to the same weights, optimizer slots and predictions", async () => {
    const ck = await readCheckpoint(runDir, "last");
    const kernel = model.getWeights()[0]!.dataSync();
    expect(ck.weights.values[0]!.length).toBe(kernel.length);
    expect(ck.weights.values[0]!.every((v, i) => v === kernel[i])).toBe(true);
    expect(ck.optimizer.kind).toBe("adam");
    ck.optimizer.tensors.forEach((t, i) => expect(t.values.every((v, j) => v === optimizer.tensors[i]!.values[j])).toBe(true));
    const loaded = await loadCheckpointModel(ck);
    const x = tf.randomNormal([3, 1500], 0, 1, "float32", 7);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))).toBe(0);
    loaded.dispose();
    x.dispose();
  });

  it("hashes every weight shard for ensembles: a changed byte in the second changes the member hash", async () => {
    const before = await memberHashOf(runDir);
    const shard = path.join(ckDir(), "weights-shard2of2.bin");
    const bytes = await fsp.readFile(shard);
    bytes[bytes.byteLength - 1] ^= 1;
    await fsp.writeFile(shard, bytes);
    expect(await memberHashOf(runDir)).not.toBe(before);
    bytes[bytes.byteLength - 1] ^= 1;
    await fsp.writeFile(shard, bytes);
    expect(await memberHashOf(runDir)).toBe(before);
  });

  it("refuses a model.json whose shard list points outside its directory, naming model.json", async () => {
    const file = path.join(ckDir(), "model.json");
    const good = await fsp.readFile(file, "utf8");
    try {
      await fsp.writeFile(file, good.replace('"weights-shard1of2.bin"', '"../../../etc/passwd"'));
      const err = await readCheckpoint(runDir, "last").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordError);
      expect((err as RecordError).message).toMatch(/model\.json.*weightsManifest\.paths/);
    } finally {
      await fsp.writeFile(file, good);
    }
  });

  it("says a missing tfjs backend is missing, rather than calling sound weights damaged", async () => {
    const engine = tf.engine();
    const factories = Object.entries(engine.registryFactory);
    for (const [name] of factories) tf.removeBackend(name);
    try {
      const err = await readCheckpoint(runDir, "last").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(RecordError);
      expect((err as Error).message).toMatch(/weights-shard1of2\.bin.*no tfjs backend is set up/);
    } finally {
      for (const [name, { factory, priority }] of factories) tf.registerBackend(name, factory, priority);
      await useCpu();
    }
    expect((await readCheckpoint(runDir, "last")).weights.values[0]!.length).toBe(1500 * 1500);
  });

  it("names a missing optimizer shard; without any, the checkpoint is weights-only", async () => {
    const second = path.join(ckDir(), "optimizer-shard2of3.bin");
    const saved = await fsp.readFile(second);
    await fsp.rm(second);
    const err = await readCheckpoint(runDir, "last").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordError);
    expect((err as RecordError).message).toMatch(/optimizer-shard2of3\.bin is missing/);
    for (const n of ["optimizer-shard1of3.bin", "optimizer-shard3of3.bin"]) await fsp.rm(path.join(ckDir(), n));
    expect((await readCheckpoint(runDir, "last")).optimizer.kind).toBe("missing");
    await fsp.writeFile(second, saved);
  });
});

/** An ensemble member's hash of a record whose only checkpoint is `last`. */
function memberHashOf(runDir: string): Promise<string> {
  return memberHash(runDir, "last");
}
