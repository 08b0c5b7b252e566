/**
 * Same spec, same seed, default path (wasm with the native addon, default thread count): two real
 * `ferc run` processes must give bit-identical metrics and weights. The native kernels split every
 * reduction (filter gradients, batch-norm statistics, bias gradients) by a fixed partition and add
 * the partials in a fixed order, so this holds for any thread count: FERC_THREADS=1 must match too.
 * The spec exercises each of those reductions: batch norm, strided and 1x1 convolutions (input
 * gradient for any stride), a residual add, max-pool, dropout.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { nativeKernels, nativeStatus } from "../../src/backend/native.js";
import { execAsync } from "../cli/helpers.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

const SPEC = `spec repeatable
dataset synthetic-faces {
  source synthetic count 900 seed 5
  input 24x24x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
model {
  conv 3x3 16 same bias off; batchnorm; activation relu
  residual project-bn relu {
    conv 3x3 32 same stride 2 bias off; batchnorm; activation relu
    conv 3x3 32 same bias off; batchnorm
  }
  conv 3x3 32 relu; maxpool 2x2
  flatten; dropout 0.3; dense 7 softmax
}
train { optimizer adam lr 2e-3; loss categorical-crossentropy; batch 32; epochs 2; seed 9 }
`;

let root: string;
let specFile: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "ferc-determinism-"));
  specFile = path.join(root, "repeatable.fer");
  writeFileSync(specFile, SPEC);
});

interface RunOutput {
  losses: string[];
  weights: Buffer;
}

async function runOnce(label: string, env: Record<string, string> = {}): Promise<RunOutput> {
  const runsDir = path.join(root, label);
  const childEnv: Record<string, string | undefined> = { ...process.env, FERC_CACHE_DIR: path.join(root, "cache"), ...env };
  if (!("FERC_THREADS" in env)) delete childEnv["FERC_THREADS"];
  delete childEnv["FERC_NATIVE"];
  const r = await execAsync(process.execPath, [CLI, "run", specFile, "--backend", "wasm", "--json", "--runs-dir", runsDir], { env: childEnv });
  if (r.code !== 0) throw new Error(`ferc run exited ${r.code}: ${r.stderr}`);
  const [dir] = readdirSync(runsDir);
  const metrics = readFileSync(path.join(runsDir, dir!, "metrics.jsonl"), "utf8").trim().split("\n");
  // Everything but the wall time of each epoch.
  const losses = metrics.map((l) => {
    const { timeMs: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
  return { losses, weights: readFileSync(path.join(runsDir, dir!, "checkpoints", "last", "weights.bin")) };
}

describe("same-seed runs on the default (native) path", () => {
  const haveNative = nativeKernels() !== null;
  it.skipIf(!haveNative)(`are bit-identical, for any thread count${haveNative ? "" : ` (skipped: native addon unavailable: ${nativeStatus()})`}`, async () => {
    // One after another: concurrent runs would share the cores and change nothing in the result.
    const a = await runOnce("a");
    const b = await runOnce("b");
    const one = await runOnce("one-thread", { FERC_THREADS: "1" });
    expect(a.losses.length).toBe(2);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights.equals(a.weights)).toBe(true);
    expect(one.losses).toEqual(a.losses);
    expect(one.weights.equals(a.weights)).toBe(true);
  }, 180_000);
});
