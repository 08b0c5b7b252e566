/**
 * Relative data paths, run as a user runs ferc: a spec's `source` is relative to the spec file's
 * directory, `--data` to the working directory; the record keeps the path so that `ferc eval`
 * finds the data from any directory, and after the record and the data moved together.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execAsync } from "./helpers.js";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";

const CLI = path.resolve("dist/cli/main.js");
const tmp = mkdtempSync(path.join(os.tmpdir(), "ferc-paths-"));
const project = path.join(tmp, "project");

function ferc(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return execAsync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", FERC_CACHE_DIR: path.join(tmp, "cache") } });
}

/** A small CSV in the FER2013 format: seeded noise images (not FER data), 14 rows per Usage. */
function writeCsv(file: string): void {
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
  const rows = ["emotion,pixels,Usage"];
  for (const usage of ["Training", "PublicTest", "PrivateTest"])
    for (let i = 0; i < 14; i++) rows.push(`${i % 7},${Array.from({ length: 2304 }, rnd).join(" ")},${usage}`);
  writeFileSync(file, rows.join("\n") + "\n");
}

const SPEC = [
  "spec paths",
  'dataset mini { source "../data/mini.csv"; input 48x48x1; classes angry disgust fear happy sad surprise neutral }',
  "model { conv 3x3 4 relu stride 4; flatten; dense 7 softmax }",
  "train { optimizer adam; loss categorical-crossentropy; batch 32; epochs 1 }",
  "",
].join("\n");

const runIn = (runs: string) => readdirSync(path.join(project, runs)).map((d) => path.join(runs, d));
let fromSpec: string;
let fromFlag: string;

beforeAll(async () => {
  mkdirSync(path.join(project, "specs"), { recursive: true });
  mkdirSync(path.join(project, "data"), { recursive: true });
  writeCsv(path.join(project, "data/mini.csv"));
  writeFileSync(path.join(project, "specs/paths.fer"), SPEC);
  // The spec's own source (relative to specs/), and --data (relative to the working directory).
  expect((await ferc(project, "run", "specs/paths.fer", "--runs-dir", "runs-a", "--plain")).code).toBe(0);
  expect((await ferc(project, "run", "specs/paths.fer", "--data", "data/mini.csv", "--runs-dir", "runs-b", "--plain")).code).toBe(0);
  fromSpec = runIn("runs-a")[0]!;
  fromFlag = runIn("runs-b")[0]!;
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("relative data paths", () => {
  it("the record keeps the data path absolute and relative to the run directory", async () => {
    for (const rec of [fromSpec, fromFlag]) {
      const m = YAML.parse(readFileSync(path.join(project, rec, "run.yaml"), "utf8")) as { dataSource: { relative: string; absolute: string } };
      expect(m.dataSource).toEqual({ absolute: path.join(project, "data/mini.csv"), relative: path.join("..", "..", "data", "mini.csv") });
    }
  });

  it("ferc eval finds the data from another working directory", async () => {
    for (const rec of [fromSpec, fromFlag]) {
      const r = await ferc(tmp, "eval", path.join("project", rec));
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^test: accuracy \d+\.\d\d%/);
    }
  }, 60_000);

  it("and after the project (record and data) moved", async () => {
    const moved = path.join(tmp, "moved");
    cpSync(project, moved, { recursive: true });
    rmSync(path.join(project, "data"), { recursive: true });
    const r = await ferc(os.tmpdir(), "eval", path.join(moved, fromFlag));
    expect(r.code).toBe(0);
    // Neither place has it any more: a usage error that says where it looked and what to do.
    const gone = await ferc(tmp, "eval", path.join("project", fromSpec));
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`the run's data is not at ${path.join(project, "data/mini.csv")}`);
    expect(gone.stderr).toContain("pass --data PATH");
  }, 60_000);

  it("a spec source that is not there says what it is relative to", async () => {
    writeFileSync(path.join(project, "specs/missing.fer"), SPEC.replace("../data/mini.csv", "nope/mini.csv"));
    const r = await ferc(tmp, "run", path.join("project", "specs/missing.fer"), "--runs-dir", path.join(tmp, "runs-c"), "--plain");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`source "nope/mini.csv" not found (a relative source is relative to the spec file's directory, ${path.join(project, "specs")})`);
  }, 60_000);
});
