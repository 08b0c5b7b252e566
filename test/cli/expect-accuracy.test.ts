/**
 * `ferc run` and `ferc eval`, run as a user runs them, evaluate `expect { accuracy ... }`: the
 * verdict is the last thing printed and a failure exits 1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execAsync } from "./helpers.js";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CLI = path.resolve("dist/cli/main.js");
const tmp = mkdtempSync(path.join(os.tmpdir(), "ferc-cli-expect-"));

function ferc(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return execAsync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1", FERC_CACHE_DIR: path.join(tmp, "cache") } });
}

// The demo spec, smaller, with one expectation that cannot hold after one short epoch and one that must.
const spec = readFileSync("specs/demo.fer", "utf8")
  .replace(/source synthetic count \d+/, "source synthetic count 1400")
  .replace(/expect \{[^}]*\}/, "expect {\n  accuracy test >= 99%\n  accuracy val >= 0\n}");
const specFile = path.join(tmp, "demo-expect.fer");
const lineOf = (text: string) => spec.split("\n").findIndex((l) => l.includes(text)) + 1;

let runDir: string;
let run: Awaited<ReturnType<typeof ferc>>;
beforeAll(async () => {
  writeFileSync(specFile, spec);
  run = await ferc("run", specFile, "--epochs", "1", "--limit", "200", "--plain", "--runs-dir", path.join(tmp, "runs"));
  runDir = path.join(tmp, "runs", readdirSync(path.join(tmp, "runs"))[0]!);
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("accuracy expectations on the command line", () => {
  it("ferc check says where accuracy assertions are judged instead of passing over them", async () => {
    const r = await ferc("check", specFile);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("expect: 2 accuracy assertions checked by ferc run and ferc eval\n");
  });

  it("ferc run prints each verdict last and exits 1 when one fails", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-2)).toMatch(new RegExp(`^expect accuracy test >= 99% \\(line ${lineOf("accuracy test")}\\): \\d+\\.\\d\\d%, FAILED$`));
    expect(lines.at(-1)).toMatch(new RegExp(`^expect accuracy val >= 0% \\(line ${lineOf("accuracy val")}\\): \\d+\\.\\d\\d%, holds$`));
  });

  it("ferc eval judges the expectations on its split: test fails (exit 1), val holds (exit 0)", async () => {
    const test = await ferc("eval", runDir);
    expect(test.code).toBe(1);
    expect(test.stdout).toMatch(/expect accuracy test >= 99% \(line \d+\): \d+\.\d\d%, FAILED/);
    expect(test.stdout).toContain("expect accuracy val >= 0% (line");
    expect(test.stdout).toContain("not checked (ferc eval --split val checks it)");
    const val = await ferc("eval", runDir, "--split", "val", "--json");
    expect(val.code).toBe(0);
    const out = JSON.parse(val.stdout) as { acc: number; expectations: { split: string; verdict: string; actual: number | null }[] };
    expect(out.expectations.map((v) => [v.split, v.verdict])).toEqual([["test", "unchecked"], ["val", "pass"]]);
    expect(out.expectations[1]!.actual).toBe(out.acc);
  }, 120_000);
});
