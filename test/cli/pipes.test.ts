/**
 * A closed stdout (`ferc check specs/*.fer | head -1`) ends ferc quietly: no EPIPE stack, the
 * usual exit code, and a run stops as on Ctrl-C, leaving a record that says so and resumes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readManifest } from "../../src/run/index.js";
import { ferc, TINY_SPEC } from "./helpers.js";

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-pipes-"));
  await fsp.writeFile(path.join(tmp, "tiny.fer"), TINY_SPEC);
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

const specs = ["specs/demo.fer", "specs/vgg-small.fer", "specs/resnet-small.fer"];

describe("a closed stdout", () => {
  it("ferc check ends quietly with its usual exit code", async () => {
    const open = await ferc(["check", ...specs]);
    expect(open.stdout).toContain("spec demo");
    const closed = await ferc(["check", ...specs], { closeStdout: true });
    expect(closed.stderr).toBe("");
    expect(closed.code).toBe(open.code);
  });

  it("ferc run --plain stops as on Ctrl-C and records the run as stopped (interrupted)", async () => {
    const runsDir = path.join(tmp, "runs");
    const r = await ferc(["run", path.join(tmp, "tiny.fer"), "--plain", "--runs-dir", runsDir], {
      closeStdout: true,
      env: { FERC_CACHE_DIR: path.join(tmp, "cache") },
    });
    expect(r.stderr).not.toMatch(/EPIPE|internal error|at .*\.js:\d+/);
    expect(r.code).toBe(130);
    const [id] = await fsp.readdir(runsDir);
    const m = await readManifest(path.join(runsDir, id!));
    expect(m).toMatchObject({ status: "stopped", reason: "interrupted" });
    expect(m.endedAt).not.toBeNull();
    // It stopped at the first batch, not after training on to the end.
    expect(m.epochsDone).toBe(0);
    const resumed = await ferc(["run", "--resume", path.join(runsDir, id!), "--json"], { env: { FERC_CACHE_DIR: path.join(tmp, "cache") } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await readManifest(path.join(runsDir, id!))).toMatchObject({ status: "completed", epochsDone: 2 });
  }, 120_000);
});
