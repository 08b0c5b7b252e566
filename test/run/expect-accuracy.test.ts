/** A run judges the spec's `expect { accuracy ... }`: verdict in the outcome, events and report; exit 1 on failure. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ExpectIR } from "../../src/ir.js";
import { startRun } from "../../src/run/index.js";
import type { TrainEvent } from "../../src/train/events.js";
import { useCpu } from "../train/helpers.js";
import { tinySpec, toyDeps } from "./fixtures.js";

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-expect-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const span = (line: number) => ({ offset: 0, length: 0, line, column: 1, endLine: line, endColumn: 1 });
const accuracy = (split: "val" | "test", min: number, line: number): ExpectIR => ({ kind: "accuracy", split, min, span: span(line) });
let clock = 0;
const now = () => new Date(Date.UTC(2026, 1, 1, 12, 0, clock++));

async function run(expects: ExpectIR[], signal?: AbortSignal) {
  // A learning rate too small to learn the toy task in one epoch: test accuracy stays below 100%.
  const spec = { ...tinySpec({ epochs: 1, optimizer: { kind: "adam", lr: 1e-6, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } }), expect: expects };
  const events: TrainEvent[] = [];
  const out = await startRun({ spec, source: "spec tiny {}\n", deps: toyDeps(), backend: { name: "cpu" }, runsDir: path.join(root, "runs"), onEvent: (e) => events.push(e), now, minFreeBytes: 0, ...(signal ? { signal } : {}) });
  const report = JSON.parse(await fsp.readFile(path.join(out.dir, "report.json"), "utf8")) as { expectations?: { verdict: string; actual: number }[] };
  const md = await fsp.readFile(path.join(out.dir, "report.md"), "utf8");
  const done = events.find((e) => e.type === "done");
  return { out, report, md, done: done?.type === "done" ? done : undefined };
}

describe("accuracy expectations in a run", () => {
  it("a failing one: the run completes but exits 1, and the verdict is in report.json, report.md and the done event", async () => {
    const { out, report, md, done } = await run([accuracy("test", 1, 7), accuracy("val", 0, 8)]);
    expect(out.status).toBe("completed");
    const testAcc = out.test!.acc;
    expect(testAcc).toBeLessThan(1); // else the first expectation could not fail
    expect(out.exitCode).toBe(1);
    expect(out.expectations?.map((v) => [v.split, v.verdict, v.line])).toEqual([["test", "fail", 7], ["val", "pass", 8]]);
    expect(out.expectations?.[0]?.actual).toBe(testAcc);
    // val is measured on the final weights, like the test split
    expect(out.expectations?.[1]?.actual).toBeGreaterThan(0);
    expect(report.expectations?.map((v) => v.verdict)).toEqual(["fail", "pass"]);
    expect(md).toContain(`expect accuracy test >= 100% (line 7): ${(testAcc * 100).toFixed(2)}%, FAILED`);
    expect(md).toContain("## Expectations: **1 failed**");
    expect(done?.expectations?.map((v) => v.verdict)).toEqual(["fail", "pass"]);
  });

  it("all holding: exit 0, verdicts recorded", async () => {
    const { out, report } = await run([accuracy("test", 0, 3)]);
    expect(out.exitCode).toBe(0);
    expect(report.expectations?.map((v) => v.verdict)).toEqual(["pass"]);
  });

  it("a run stopped before testing leaves them unchecked (exit 130), and does not evaluate val", async () => {
    const stop = new AbortController();
    stop.abort();
    const { out, report } = await run([accuracy("test", 0.5, 3), accuracy("val", 0.5, 4)], stop.signal);
    expect(out.exitCode).toBe(130);
    expect(report.expectations).toEqual([
      { split: "test", min: 0.5, actual: null, verdict: "unchecked", line: 3, note: "the run stopped before testing" },
      { split: "val", min: 0.5, actual: null, verdict: "unchecked", line: 4, note: "the run stopped before testing" },
    ]);
  });

  it("no accuracy expectation: nothing recorded", async () => {
    const { out, report } = await run([]);
    expect(out.exitCode).toBe(0);
    expect(report.expectations).toBeUndefined();
  });
});
