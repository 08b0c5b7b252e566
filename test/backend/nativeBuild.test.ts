/**
 * The optional native build never fails an install: with a missing compiler it logs and exits 0;
 * with g++ present it produces a loadable addon.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execAsync } from "../cli/helpers.js";

const script = join(import.meta.dirname, "..", "..", "native", "build.mjs");

/** The build in a child process, awaited (compiling takes a minute or more on a loaded machine). */
async function build(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "ferc-native-"));
  const r = await execAsync(process.execPath, [script], { env: { ...process.env, FERC_NATIVE_OUT: dir, ...env } });
  return { dir, status: r.code, stderr: r.stderr };
}

describe("native/build.mjs", () => {
  it("exits 0 without building when the compiler is missing", async () => {
    const r = await build({ CXX: "/nonexistent/g++" });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/build failed, using the portable wasm kernels/);
    expect(existsSync(join(r.dir, "ferc_native.node"))).toBe(false);
    rmSync(r.dir, { recursive: true, force: true });
  });
  it("exits 0 and skips when disabled", async () => {
    const r = await build({ FERC_NATIVE: "0" });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/skipped/);
    rmSync(r.dir, { recursive: true, force: true });
  });
  it.skipIf(spawnSync("g++", ["--version"]).status !== 0)("builds a loadable addon with g++", async () => {
    const r = await build({});
    expect(r.status).toBe(0);
    const addon = createRequire(import.meta.url)(join(r.dir, "ferc_native.node")) as Record<string, unknown>;
    for (const fn of ["batchNormBackward", "batchNormForward", "channelAffine", "conv2d", "conv2dFilterGrad", "maxPoolGrad", "reluBiasGrad"]) {
      expect(typeof addon[fn], fn).toBe("function");
    }
    // And it computes: y = x * scale[c] + shift[c] over 2 rows of 2 channels, on one thread.
    const native = addon as unknown as { channelAffine(x: Float32Array, s: Float32Array, b: Float32Array, y: Float32Array, dims: Int32Array): void; isa(): string };
    const y = new Float32Array(4);
    native.channelAffine(new Float32Array([1, 2, 3, 4]), new Float32Array([2, 3]), new Float32Array([1, -1]), y, new Int32Array([2, 2, 1]));
    expect([...y]).toEqual([3, 5, 7, 11]);
    expect(["AVX2", "AVX-512"]).toContain(native.isa());
    rmSync(r.dir, { recursive: true, force: true });
  }, 300_000);
});
