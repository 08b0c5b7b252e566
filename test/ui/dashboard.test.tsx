import { describe, expect, it } from "vitest";
import { render } from "ink-testing-library";
import { Dashboard, LiveDashboard } from "../../src/ui/Dashboard.js";
import { createDashboardStore, initialDashboardState, reduceDashboard } from "../../src/ui/state.js";
import { script } from "./events.js";

const stateAfter = (n: number) => script.slice(0, n).reduce(reduceDashboard, initialDashboardState);

describe("Dashboard", () => {
  it("shows spec, backend, data counts, cleaning and augmentation at start", () => {
    const { lastFrame } = render(<Dashboard state={stateAfter(2)} />);
    const f = lastFrame()!;
    expect(f).toContain("spec vgg_small");
    expect(f).toContain("backend wasm");
    expect(f).toContain("1,234,567 params");
    expect(f).toContain("train 28000 · val 3500 · test 3589");
    expect(f).toContain("cleaning dropped 11 blank, 1793 duplicates");
    expect(f).toMatch(/augment on/);
    expect(f).toContain("epoch 1/3");
  });

  it("shows batch progress with img/s, ETA, running loss/acc and lr", () => {
    const f = render(<Dashboard state={stateAfter(3)} />).lastFrame()!;
    expect(f).toContain("batch 219/438");
    expect(f).toContain("812 img/s");
    expect(f).toContain("ETA 3m10s");
    expect(f).toContain("loss 1.7512");
    expect(f).toContain("acc 28.1%");
    expect(f).toContain("lr 1.00e-3");
    // Half of epoch 1 of 3 done: 1/6 of the epoch bar is full.
    expect(f).toMatch(/epoch 1\/3 █{5}░{23} 17%/);
    expect(f).toMatch(/batch 219\/438 █{14}░{14}/);
  });

  it("shows the per-epoch table, curves and early-stopping state", () => {
    const f = render(<Dashboard state={stateAfter(8)} />).lastFrame()!;
    const lines = f.split("\n");
    expect(lines.some((l) => /^epoch\s+loss\s+acc\s+val loss\s+val acc\s+lr\s+time$/.test(l.trim()))).toBe(true);
    expect(lines.some((l) => /^2 \*\s+1\.4000\s+50\.0%\s+1\.3000\s+49\.0%\s+1\.00e-3\s+1m01s$/.test(l.trim()))).toBe(true);
    expect(f).toContain("curves");
    expect(f).toMatch(/loss\s+█▄▁\s+1\.650 → 1\.200/);
    expect(f).toMatch(/val acc\s+▁▇█/);
    expect(f).toContain("best epoch 2 by val.loss  patience left 4");
  });

  it("shows test accuracy, per-class metrics and the confusion matrix at the end", () => {
    const f = render(<Dashboard state={stateAfter(script.length)} />).lastFrame()!;
    expect(f).toContain("test accuracy 51.23%");
    expect(f).toContain("macro F1 0.450");
    expect(f).toMatch(/angry\s+0\.500\s+0\.400\s+0\.450\s+500/);
    expect(f).toMatch(/neutral\s+0\.560\s+0\.520\s+0\.450\s+506/);
    expect(f).toMatch(/true\\pred\s+angry\s+disgust\s+fear\s+happy\s+sad\s+surprise\s+neutral/);
    expect(f).toMatch(/^happy\s+0\s+0\s+0\s+43\s+0\s+0\s+0$/m);
    expect(f).toMatch(/^sad\s+0\s+0\s+3\s+0\s+44\s+0\s+0$/m);
    expect(f).toContain("completed (epochs) after 3 epochs in 3m10s");
    expect(f).not.toContain("batch 219/438"); // progress bars go away when done
  });

  it("shows NaN and interruption states", () => {
    let s = stateAfter(4);
    s = reduceDashboard(s, { type: "interrupted", epoch: 2, batch: 10, checkpointSaved: true });
    expect(render(<Dashboard state={s} />).lastFrame()).toContain("stopping: finishing the batch");
    s = reduceDashboard(s, { type: "done", status: "stopped", reason: "interrupted", epochsDone: 1, bestEpoch: 1, runDir: "runs/x", elapsedMs: 5000 });
    expect(render(<Dashboard state={s} />).lastFrame()).toContain("stopped (interrupted) after 1 epoch in 5s — resume with: ferc run --resume runs/x");
    const n = reduceDashboard(stateAfter(4), { type: "nan", epoch: 2, batch: 3, message: "training loss became NaN/Infinity at epoch 2, batch 3", keptEpoch: 1 });
    expect(render(<Dashboard state={n} />).lastFrame()).toContain("✗ training loss became NaN/Infinity at epoch 2, batch 3");
  });

  it("LiveDashboard re-renders as events arrive", async () => {
    const store = createDashboardStore();
    const { lastFrame } = render(<LiveDashboard store={store} />);
    expect(lastFrame()).toContain("waiting for the run to start");
    for (const e of script.slice(0, 4)) store.dispatch(e);
    await new Promise((r) => setTimeout(r, 20));
    expect(lastFrame()).toContain("spec vgg_small");
    expect(lastFrame()).toMatch(/^1 \*\s+1\.6500/m);
  });
});
