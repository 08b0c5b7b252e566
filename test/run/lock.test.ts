/**
 * One owner per run record and per sweep (issue 23, item 3), and a record that exists only
 * complete (item 7). The lock is exercised across real processes: a holder in this process
 * against `ferc` children, four children racing for one stale lock, and the recipe, two
 * `ferc run --resume` of one record, the second started while the first trains.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { acquireLock, LOCK_FILE, LockHeldError } from "../../src/run/lock.js";
import { readManifest } from "../../src/run/manifest.js";
import { ferc, TINY_SPEC, type FercResult } from "../cli/helpers.js";

const LOCK_JS = fileURLToPath(new URL("../../dist/run/lock.js", import.meta.url));

let tmp: string;
let spec: string;
const env = (): Record<string, string> => ({ FERC_CACHE_DIR: path.join(tmp, "cache") });

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-lock-"));
  spec = path.join(tmp, "tiny.fer");
  // Three epochs of a little data: a resume has seconds of training left to hold the lock for.
  await fsp.writeFile(spec, TINY_SPEC.replace("epochs 2", "epochs 3").replace("count 1400", "count 700"));
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** A pid that was just in use and is not any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

async function staleLock(dir: string): Promise<void> {
  const owner = { pid: deadPid(), host: os.hostname(), since: "2026-01-01T00:00:00.000Z", what: "ferc run", nonce: "0123456789abcdef" };
  await fsp.writeFile(path.join(dir, LOCK_FILE), JSON.stringify(owner));
}

/** A run killed (SIGKILL) after its first checkpoint: status running, a stale lock, resumable. */
async function killedRun(name: string): Promise<string> {
  const runs = path.join(tmp, name);
  const r = await ferc(["run", spec, "--runs-dir", runs, "--plain"], { env: { ...env(), FERC_CRASH_AT: "dir-partial:3" }, timeoutMs: 120_000 });
  expect(r.signal ?? r.code, r.stderr).toBe("SIGKILL");
  const [dir] = (await fsp.readdir(runs)).filter((e) => !e.startsWith("."));
  return path.join(runs, dir!);
}

describe("the lock itself", () => {
  it("is exclusive, says who holds it, and is gone once released", async () => {
    const dir = await fsp.mkdtemp(path.join(tmp, "d-"));
    const lock = await acquireLock(dir, "ferc run --resume");
    await expect(acquireLock(dir, "ferc run --resume")).rejects.toThrow(LockHeldError);
    await expect(acquireLock(dir, "ferc run --resume")).rejects.toThrow(new RegExp(`is in use by ferc run --resume \\(pid ${process.pid} since `));
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    (await acquireLock(dir, "ferc run")).release();
  });

  it("a stale lock (its process is dead) is recovered", async () => {
    const dir = await fsp.mkdtemp(path.join(tmp, "d-"));
    await staleLock(dir);
    const lock = await acquireLock(dir, "ferc run --resume");
    expect(JSON.parse(await fsp.readFile(lock.file, "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("four processes racing for one stale lock: exactly one gets it", async () => {
    expect(existsSync(LOCK_JS), "dist/ is built by npm test's tsc step").toBe(true);
    const dir = await fsp.mkdtemp(path.join(tmp, "d-"));
    await staleLock(dir);
    const script = `
      const { acquireLock } = await import(${JSON.stringify(LOCK_JS)});
      try {
        const lock = await acquireLock(${JSON.stringify(dir)}, "ferc run --resume");
        console.log("won");
        setTimeout(() => lock.release(), 1500);
      } catch (e) { console.log(e.name); }`;
    const outs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
          let out = "";
          child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
          child.on("close", () => resolve(out.trim()));
        }),
      ),
    );
    expect(outs.sort()).toEqual(["LockHeldError", "LockHeldError", "LockHeldError", "won"]);
  }, 30_000);
});

describe("ferc run --resume and ferc sweep --resume own what they resume", () => {
  it("a record whose lock another process holds is refused, untouched; a stale one resumes", async () => {
    const dir = await killedRun("held");
    const lock = await acquireLock(dir, "ferc run --resume");
    try {
      const r = await ferc(["run", "--resume", dir, "--plain"], { env: env() });
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain(`ferc run: ${dir} is in use by ferc run --resume (pid ${process.pid}`);
      expect((await readManifest(dir)).status).toBe("running");
    } finally {
      lock.release();
    }
    // The killed run's own lock was stale all along; with ours gone, the resume goes ahead.
    const r = await ferc(["run", "--resume", dir, "--plain"], { env: env(), timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  }, 180_000);

  it("two resumes of one record, the second started while the first trains: one trains, the other is refused", async () => {
    const dir = await killedRun("race");
    // The second starts once the first prints an epoch (it holds the lock by then), and the first
    // is paused (SIGSTOP) until the second has answered. A fixed 0.3 s delay let a loaded
    // machine's first finish before the second looked, which then found a completed run instead.
    let second: Promise<FercResult> | null = null;
    const first = ferc(["run", "--resume", dir, "--plain"], {
      env: env(),
      timeoutMs: 120_000,
      onStdout: (chunk, child) => {
        if (second || !/^epoch /m.test(chunk)) return;
        child.kill("SIGSTOP");
        second = ferc(["run", "--resume", dir, "--plain"], { env: env(), timeoutMs: 120_000 });
        void second.finally(() => child.kill("SIGCONT"));
      },
    });
    const firstResult = await first;
    expect(second, "the first resume printed no epoch").not.toBeNull();
    const results = [firstResult, await second!];
    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.stderr).join("\n")).toEqual([0, 2]);
    const refused = results.find((r) => r.code === 2)!;
    expect(refused.stderr).toMatch(/is in use by ferc run --resume \(pid \d+/);
    expect(refused.stdout).not.toMatch(/^epoch /m);
    const m = await readManifest(dir);
    expect(m).toMatchObject({ status: "completed", epochsDone: 3 });
    expect(m.resumes).toHaveLength(1);
  }, 180_000);

  it("a sweep another process drives is refused", async () => {
    const sweeps = path.join(tmp, "sweeps");
    const made = await ferc(["sweep", spec, "--vary", "train.batch=32", "--epochs", "1", "--limit", "200", "--sweeps-dir", sweeps], { env: env(), timeoutMs: 120_000 });
    expect(made.code, made.stderr).toBe(0);
    const dir = path.join(sweeps, (await fsp.readdir(sweeps))[0]!);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const lock = await acquireLock(dir, "ferc sweep --resume");
    try {
      const r = await ferc(["sweep", "--resume", dir], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`ferc sweep: ${dir} is in use by ferc sweep --resume (pid ${process.pid}`);
    } finally {
      lock.release();
    }
    const again = await ferc(["sweep", "--resume", dir], { env: env() });
    expect(again.code, again.stderr).toBe(0);
  }, 180_000);
});

describe("a record exists only complete: a crash while it is created leaves none or a resumable one", () => {
  it.each([1, 2, 3, 4])("SIGKILL at the %i. file written", async (n) => {
    const runs = path.join(tmp, `crash-${n}`);
    const r = await ferc(["run", spec, "--runs-dir", runs, "--plain"], { env: { ...env(), FERC_CRASH_AT: `file-written:${n}` } });
    expect(r.signal ?? r.code).toBe("SIGKILL");
    const visible = (await fsp.readdir(runs)).filter((e) => !e.startsWith("."));
    // The first three files (spec.fer, spec.ir.json, run.yaml) are the record's birth: before
    // they are all there, there is no record; after, it resumes (from epoch 0), as README says.
    expect(visible).toHaveLength(n <= 3 ? 0 : 1);
    if (n <= 3) return;
    const resumed = await ferc(["run", "--resume", path.join(runs, visible[0]!), "--plain"], { env: env(), timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^completed \(epochs\) after 3 epochs/m);
  }, 180_000);
});
