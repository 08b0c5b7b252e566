/**
 * The run's last line (`completed … after N epochs`, or how to resume) must survive a final
 * screen as tall as the terminal: it is printed after Ink has stopped, below its last frame.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { createEventOutput } from "../../src/ui/sink.js";
import { CLI, REPO } from "../cli/helpers.js";
import { script } from "./events.js";

/** A stream that looks like a small terminal to Ink and keeps every write. */
function fakeTerminal(rows: number): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      writes.push(String(chunk));
      cb();
    },
  });
  Object.assign(w, { isTTY: true, columns: 100, rows });
  return { stream: w as unknown as NodeJS.WriteStream, writes };
}

describe("the dashboard's last line", () => {
  it("is written after Ink's last frame, not inside it", async () => {
    const t = fakeTerminal(10);
    const out = createEventOutput({ mode: "dashboard", stdout: t.stream });
    for (const e of script) out.onEvent(e);
    await out.close();
    const summary = "completed (epochs) after 3 epochs in 3m10s";
    const last = t.writes.at(-1)!.replace(/\u001b\[\d+m/g, "");
    expect(last).toBe(`${summary}\n`);
    expect(t.writes.slice(0, -1).join("")).not.toContain(summary);
  });

  const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
  describe.runIf(hasTmux)("in a real terminal (tmux) shorter than the final screen", () => {
    let tmp: string;
    const session = `ferc-test-${process.pid}`;
    beforeAll(async () => {
      tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-tmux-"));
    });
    afterAll(async () => {
      spawnSync("tmux", ["kill-session", "-t", session]);
      await fsp.rm(tmp, { recursive: true, force: true });
    });

    it("shows the summary line, and the shell prompt after it does not overwrite it", async () => {
      const spec = path.join(tmp, "tiny.fer");
      await fsp.writeFile(
        spec,
        `spec tiny
dataset synthetic-faces {
  source synthetic count 700 seed 7
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
model { conv 5x5 8 relu stride 2 same; maxpool 2x2; flatten; dense 7 softmax }
train { optimizer adam; loss categorical-crossentropy; batch 64; epochs 2; seed 7 }
`,
      );
      // The final screen of this run is ~39 lines; the terminal has 30. The printf stands in for
      // a shell prompt, which starts at column 0 of the line the cursor is on.
      const cmd = `cd ${REPO} && FERC_CACHE_DIR=${tmp}/cache node ${CLI} run ${spec} --runs-dir ${tmp}/runs; printf '\\rPROMPT$ '; sleep 120`;
      execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "100", "-y", "30", cmd]);
      let screen = "";
      for (let i = 0; i < 120 && !screen.includes("PROMPT$"); i++) {
        await new Promise((r) => setTimeout(r, 500));
        screen = execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" });
      }
      const lines = screen.split("\n").filter((l) => l.trim() !== "");
      expect(lines.at(-1)).toBe("PROMPT$");
      expect(lines.at(-2)).toMatch(/^completed \(epochs\) after 2 epochs in \d+s$/);
    }, 90_000);
  });
});
