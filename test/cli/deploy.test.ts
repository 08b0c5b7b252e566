/** `ferc report`, `ferc serve` from the command line: outputs, and input errors as exit 2 with a message. */
import { createServer, type Server } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ferc } from "./helpers.js";
import { tempDir, trainShort } from "../export/helpers.js";

const tmp = tempDir("deploy-cli");

describe("ferc report / serve", () => {
  let run = "";
  beforeAll(async () => {
    run = await trainShort("specs/demo.fer", join(tmp, "runs"), 2);
  }, 180_000);

  it("report without --html prints the Markdown report; with --html -o writes one page", async () => {
    const md = await ferc(["report", run]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# demo — run demo-/);
    expect(md.stdout).toMatch(/accuracy: \*\*\d+\.\d\d%\*\*/);
    const file = join(tmp, "r.html");
    const html = await ferc(["report", run, "--html", "-o", file]);
    expect(html.code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("<!doctype html>")).toBe(true);
    expect(text).toContain("Confusion matrix (test, n=596)");
  });

  it("input errors exit 2 with the place named, never a stack", async () => {
    const cases: [string[], RegExp][] = [
      [["report", tmp, "--html"], /cannot open run/],
      [["report", run, "--html", "-o", join(tmp, "missing", "r.html")], /cannot write -o .*missing/],
      [["serve", tmp], /cannot open run/],
      [["serve", run, "--port", "70000"], /--port must be an integer in 0\.\.65535/],
    ];
    for (const [args, msg] of cases) {
      const r = await ferc(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it("serve on a port already in use exits 2 and suggests --port 0", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await ferc(["serve", run, "--port", String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} is already in use \\(--port 0 picks a free one\\)`));
    } finally {
      busy.close();
    }
  });
});
