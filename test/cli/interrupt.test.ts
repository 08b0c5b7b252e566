/** A second Ctrl-C exits at once, but the record must not be left saying `running`. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readManifest } from "../../src/run/index.js";
import { ferc, TINY_SPEC } from "./helpers.js";

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-int-"));
  await fsp.writeFile(path.join(tmp, "tiny.fer"), TINY_SPEC);
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe("double Ctrl-C", () => {
  it("exits 130 at once and records the run as stopped (interrupted), resumable", async () => {
    const runsDir = path.join(tmp, "runs");
    const env = { FERC_CACHE_DIR: path.join(tmp, "cache") };
    let sent = false;
    const r = await ferc(["run", path.join(tmp, "tiny.fer"), "--json", "--runs-dir", runsDir], {
      env,
      onStdout: (chunk, child) => {
        if (sent || !chunk.includes('"type":"batch"')) return;
        sent = true;
        // Two different signals: two SIGINTs sent at once may be merged into one by the kernel.
        child.kill("SIGINT");
        child.kill("SIGTERM");
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).not.toContain('"type":"done"'); // it did exit at once, not via the graceful stop
    const [id] = await fsp.readdir(runsDir);
    const dir = path.join(runsDir, id!);
    const m = await readManifest(dir);
    expect(m).toMatchObject({ status: "stopped", reason: "interrupted" });
    expect(m.message).toMatch(/second interrupt/);
    expect(m.endedAt).not.toBeNull();
    expect(r.stderr).toContain(`ferc: stopped at once (second interrupt); the run is recorded as stopped; resume with: ferc run --resume ${dir}`);
    const resumed = await ferc(["run", "--resume", dir, "--json"], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await readManifest(dir)).toMatchObject({ status: "completed", epochsDone: 2 });
  }, 120_000);
});
