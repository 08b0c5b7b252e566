/**
 * `ferc check --backend NAME` run as a user runs it (the built CLI): the preflight judges the
 * backend as ferc configures it for training, with ferc's own kernels registered.
 */
import { describe, expect, it } from "vitest";
import { execAsync } from "./helpers.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CLI = path.resolve("dist/cli/main.js");

function ferc(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return execAsync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1" } });
}

interface CheckJson {
  ok: boolean;
  diagnostics: { code: string; phase: string; file?: string; message: string; hint?: string; line: number }[];
  [key: string]: unknown;
}

describe("ferc check --backend", () => {
  it("wasm (ferc's training backend) has every kernel vgg-small needs: exit 0, no F0403", async () => {
    const r = await ferc("check", "--backend", "wasm", "--format", "json", "specs/vgg-small.fer");
    const out = JSON.parse(r.stdout) as CheckJson;
    expect(out.diagnostics.map((d) => d.code)).toEqual([]);
    expect(out.ok).toBe(true);
    expect(r.code).toBe(0);
  }, 60_000);

  it("a kernel wasm really lacks is a diagnostic (code, message, hint, line) in --format json", async () => {
    // ferc registers no depthwise gradients for wasm (src/backend/wasm/register.ts); if it ever
    // does, pick another layer whose gradient wasm lacks.
    const dir = mkdtempSync(path.join(os.tmpdir(), "ferc-kern-"));
    const file = path.join(dir, "dw.fer");
    writeFileSync(
      file,
      [
        "spec dw",
        "dataset d { source synthetic count 700 seed 1; input 48x48x1; classes angry disgust fear happy sad surprise neutral }",
        "model {",
        "  depthwise 3x3 same relu",
        "  globalavgpool",
        "  dense 7 softmax",
        "}",
        "train { optimizer adam; loss categorical-crossentropy; batch 16; epochs 1 }",
        "",
      ].join("\n"),
    );
    const r = await ferc("check", "--backend", "wasm", "--format", "json", file);
    const out = JSON.parse(r.stdout) as CheckJson;
    expect(r.code).toBe(1);
    expect(out.ok).toBe(false);
    expect(Object.keys(out).sort()).toEqual(["diagnostics", "file", "layers", "macs", "ok", "totals"]);
    const f0403 = out.diagnostics.filter((d) => d.code === "F0403");
    expect(f0403.map((d) => d.message)).toContain("backend wasm lacks kernel DepthwiseConv2dNativeBackpropFilter, which a training step of this spec needs");
    expect(f0403.every((d) => d.line === 4 && /--backend cpu/.test(d.hint ?? ""))).toBe(true);
    // A preflight finding is a diagnostic like the checker's: its phase says who found it.
    expect(f0403.every((d) => d.phase === "backend" && d.file === file)).toBe(true);
    expect(out.diagnostics).toHaveLength(f0403.length);
  }, 60_000);

  it("an unknown backend name is a usage error (exit 2) with a hint, before any output", async () => {
    const r = await ferc("check", "--backend", "wsam", "specs/demo.fer");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown backend "wsam" (did you mean "wasm"?)');
  }, 60_000);
});
