import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cleanupTemps, resolveSwappedDir, writeDirAtomic, writeFileAtomic } from "../../src/run/atomicFs.js";
import { openRun, readManifest } from "../../src/run/index.js";
import { checkpointDir } from "../../src/run/checkpoint.js";
import { startRun } from "../../src/run/run.js";
import { useCpu } from "../train/helpers.js";
import { tinySpec, toyDeps } from "./fixtures.js";

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-atomic-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe("atomic files", () => {
  it("replaces content whole and leaves no temp files behind", async () => {
    const f = path.join(root, "a.json");
    await writeFileAtomic(f, "one");
    await writeFileAtomic(f, "two");
    expect(await fsp.readFile(f, "utf8")).toBe("two");
    expect(await fsp.readdir(root)).toEqual(["a.json"]);
  });

  it("a failed write leaves the previous content", async () => {
    const f = path.join(root, "b.txt");
    await writeFileAtomic(f, "keep");
    // Writing into a missing directory fails before any rename.
    await expect(writeFileAtomic(path.join(root, "missing", "b.txt"), "x")).rejects.toThrow();
    expect(await fsp.readFile(f, "utf8")).toBe("keep");
  });

  it("swaps directories whole", async () => {
    const d = path.join(root, "ck", "last");
    await writeDirAtomic(d, { "a.bin": new Uint8Array([1]), "s.json": "1" });
    await writeDirAtomic(d, { "a.bin": new Uint8Array([2]), "s.json": "2" });
    expect(await fsp.readFile(path.join(d, "s.json"), "utf8")).toBe("2");
    expect(await fsp.readdir(path.join(root, "ck"))).toEqual(["last"]);
  });

  it("readers fall back to the previous copy when a kill hit between the swap's renames", async () => {
    const ck = path.join(root, "ck2");
    await fsp.mkdir(path.join(ck, ".old-last-123-abcd"), { recursive: true });
    await fsp.writeFile(path.join(ck, ".old-last-123-abcd", "s.json"), "prev");
    await fsp.mkdir(path.join(ck, ".last.tmp-123-ffff")); // the half-written new copy
    expect(await resolveSwappedDir(path.join(ck, "last"))).toBe(path.join(ck, ".old-last-123-abcd"));
  });
});

describe("a run directory with leftovers of a kill", () => {
  it("ignores temp files when reading, and cleanup restores the complete checkpoint", async () => {
    const out = await startRun({ spec: tinySpec({ epochs: 2 }), source: "s", deps: toyDeps(), backend: { name: "cpu" }, runsDir: path.join(root, "runs"), minFreeBytes: 0 });
    // Simulate a kill mid-write: a torn temp manifest, and a checkpoint swap stopped after its first rename.
    await fsp.writeFile(path.join(out.dir, ".run.yaml.tmp-999-dead"), "status: garb");
    await fsp.rename(path.join(out.dir, "checkpoints", "last"), path.join(out.dir, "checkpoints", ".old-last-999-beef"));
    await fsp.mkdir(path.join(out.dir, "checkpoints", ".last.tmp-999-cafe"));
    await fsp.writeFile(path.join(out.dir, "checkpoints", ".last.tmp-999-cafe", "model.json"), "{trunc");

    expect((await readManifest(out.dir)).status).toBe("completed");
    const run = await openRun(out.dir);
    expect(run.hasCheckpoint.last).toBe(true);
    expect(await checkpointDir(out.dir, "last")).toMatch(/\.old-last-999-beef$/);

    await cleanupTemps(out.dir);
    expect((await fsp.readdir(out.dir)).filter((f) => f.startsWith("."))).toEqual([]);
    expect((await fsp.readdir(path.join(out.dir, "checkpoints"))).sort()).toEqual(["best", "last"]);
  });
});
