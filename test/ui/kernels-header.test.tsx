/** Which kernels a run computes with is in the dashboard header, the plain start line and run.yaml. */
import { describe, expect, it } from "vitest";
import { render } from "ink-testing-library";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { Dashboard } from "../../src/ui/Dashboard.js";
import { formatPlain } from "../../src/ui/plain.js";
import { initialDashboardState, reduceDashboard } from "../../src/ui/state.js";
import type { TrainEvent } from "../../src/train/events.js";
import { kernelSummary } from "../../src/cli/kernelInfo.js";
import { runStart } from "./events.js";

const portable = "portable (native addon not built; node /x/native/build.mjs builds it)";
const start = { ...runStart, kernels: portable } as TrainEvent;

describe("kernels shown", () => {
  it("dashboard header: backend, then its kernels", () => {
    const { lastFrame } = render(<Dashboard state={[start].reduce(reduceDashboard, initialDashboardState)} />);
    expect(lastFrame()!.replace(/\s+/g, " ")).toContain(`backend wasm, ${portable}`);
  });

  it("plain start line", () => {
    expect(formatPlain(start)[0]).toBe(`ferc run vgg_small on wasm, ${portable} -> runs/vgg_small-20260101-120000`);
  });

  it("kernelSummary names the ISA and threads when the addon loads, the reason when it does not", () => {
    if (existsSync(path.resolve("native/build/ferc_native.node")) && process.env["FERC_NATIVE"] !== "0") {
      expect(kernelSummary("wasm")).toMatch(/^native (AVX2|AVX-512), [1-9]\d* threads?$/);
    } else {
      expect(kernelSummary("wasm")).toMatch(/^portable \(/);
    }
    expect(kernelSummary("cpu")).toBe("portable (cpu backend: tfjs reference kernels)");
  });

  it("FERC_NATIVE=0 and FERC_THREADS are reflected (fresh processes: the addon is loaded once)", () => {
    const script = 'import("./dist/cli/kernelInfo.js").then((m) => console.log(m.kernelSummary("wasm")))';
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, ...env } }).stdout.trim();
    expect(run({ FERC_NATIVE: "0" })).toBe("portable (disabled by FERC_NATIVE=0)");
    if (existsSync(path.resolve("native/build/ferc_native.node"))) expect(run({ FERC_NATIVE: "1", FERC_THREADS: "3" })).toMatch(/^native (AVX2|AVX-512), 3 threads$/);
  });
});
