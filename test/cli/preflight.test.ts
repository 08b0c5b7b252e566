/** `ferc run --runs-dir DIR` where DIR cannot be a directory: a clear error, exit 2, in bounded time. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ferc } from "./helpers.js";

let tmp: string;
let file: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-preflight-"));
  file = path.join(tmp, "a-file");
  await fsp.writeFile(file, "not a directory\n");
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function expectPreflightError(r: { code: number | null; signal: NodeJS.Signals | null; stderr: string }, says: RegExp): void {
  expect(r.signal, "ferc hung and was killed").toBeNull();
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(says);
  expect(r.code).toBe(2);
}

const run = (runsDir: string) => ferc(["run", "specs/demo.fer", "--plain", "--runs-dir", runsDir], { timeoutMs: 20_000 });

describe("--runs-dir preflight", () => {
  it("a regular file", async () => {
    expectPreflightError(await run(file), new RegExp(`^ferc run: cannot create runs directory ${file}: ${file} is a file, not a directory`));
  });

  it("a directory under a regular file", async () => {
    const dir = path.join(file, "sub", "runs");
    expectPreflightError(await run(dir), new RegExp(`^ferc run: cannot create runs directory ${dir}: ${file} is a file, not a directory`));
  });

  // Node's recursive mkdir spins forever on /proc (ENOENT with the parent present).
  it.runIf(existsSync("/proc/self"))("/proc/nope ends in bounded time", async () => {
    const r = await run("/proc/nope/runs");
    expectPreflightError(r, /^ferc run: cannot create runs directory \/proc\/nope\/runs: mkdir \/proc\/nope failed \(ENOENT/);
    expect(r.ms).toBeLessThan(15_000);
  }, 30_000);
});

describe("FERC_CACHE_DIR where no directory can be made", () => {
  // The data cache is best effort: an unusable cache directory must not hang the run (Node's
  // recursive mkdir spins on /proc) nor stop it.
  it.runIf(existsSync("/proc/self"))("/proc/nope: the run goes on without the cache, in bounded time", async () => {
    const r = await ferc(["run", "specs/demo.fer", "--plain", "--epochs", "1", "--limit", "200", "--runs-dir", path.join(tmp, "runs")], {
      timeoutMs: 60_000,
      env: { FERC_CACHE_DIR: "/proc/nope/cache" },
    });
    expect(r.signal, "ferc hung and was killed").toBeNull();
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).toMatch(/completed \(epochs\) after 1 epoch/);
  }, 90_000);
});
