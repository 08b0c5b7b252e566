/** run.yaml records which kernels the run computed with (schema-valid). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readManifest, startRun } from "../../src/run/index.js";
import { useCpu } from "../train/helpers.js";
import { tinySpec, toyDeps } from "./fixtures.js";

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-kernels-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe("run.yaml kernels", () => {
  it("is recorded from the backend info and validates", async () => {
    const kernels = "native AVX2, 2 threads";
    const out = await startRun({ spec: tinySpec({ epochs: 1 }), source: "spec tiny {}\n", deps: toyDeps(), backend: { name: "cpu", kernels }, runsDir: root, minFreeBytes: 0 });
    expect(out.status).toBe("completed");
    expect((await readManifest(out.dir)).kernels).toBe(kernels);
  });
});
