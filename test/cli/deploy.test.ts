/** `ferc report`, `ferc serve` from the command line: outputs, and input errors as exit 2 with a message. */
import { execFileSync, spawn } from "node:child_process";
import { request } from "node:http";
import { connect, createServer, type Server } from "node:net";
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, ferc } from "./helpers.js";
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

  it("-o never writes over what is not a regular file, and replaces a file only with --force", async () => {
    const dir = join(tmp, "targets");
    mkdirSync(dir, { recursive: true });
    const fifo = join(dir, "out.fifo");
    execFileSync("mkfifo", [fifo]);
    const link = join(dir, "link");
    symlinkSync(join(dir, "elsewhere"), link);
    const special = [fifo, link];
    // A character device like /dev/null (1,3), where this user may make one (root in a container).
    const device = join(dir, "null");
    try {
      execFileSync("mknod", [device, "c", "1", "3"], { stdio: "ignore" });
      special.push(device);
    } catch {
      /* not allowed here: the FIFO and the link still stand for special files */
    }
    const writers = (o: string): string[][] => [
      ["export", run, "--to", "onnx", "-o", o],
      ["export", run, "--to", "tfjs", "-o", o],
      ["report", run, "-o", o],
      ["compile", "specs/demo.fer", "-o", o],
    ];
    for (const target of special) {
      const kind = lstatSync(target);
      for (const args of writers(target)) {
        const r = await ferc(args, { timeoutMs: 30_000 });
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.stderr).toMatch(/is a (FIFO \(named pipe\)|symbolic link|character device), not a (regular file|directory)/);
        const now = lstatSync(target);
        expect([now.isFIFO(), now.isSymbolicLink(), now.isCharacterDevice(), now.ino]).toEqual([kind.isFIFO(), kind.isSymbolicLink(), kind.isCharacterDevice(), kind.ino]);
      }
    }
    const file = join(dir, "model.onnx");
    writeFileSync(file, "mine");
    for (const args of writers(file).filter((a) => !a.includes("tfjs"))) {
      const r = await ferc(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/model\.onnx: exists; --force replaces it/);
      expect(readFileSync(file, "utf8")).toBe("mine");
    }
    expect((await ferc(["export", run, "--to", "onnx", "-o", file, "--force"])).code).toBe(0);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  }, 120_000);

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

  it("no request ends the server: malformed targets, request lines and Host headers get a 4xx, and it keeps answering", async () => {
    const child = spawn(process.execPath, [CLI, "serve", run, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          out += c;
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const port = Number(new URL(url).port);
      // Raw bytes, as any page in the user's browser (or anything on the machine) may send them.
      const status = (raw: string) =>
        new Promise<string>((resolve) => {
          const s = connect(port, "127.0.0.1", () => s.end(raw));
          let out = "";
          s.setEncoding("latin1").on("data", (c: string) => (out += c));
          s.on("close", () => resolve(out.split("\r\n")[0] ?? ""));
          s.on("error", (e: NodeJS.ErrnoException) => resolve(`socket error ${e.code}`));
        });
      const host = `Host: 127.0.0.1:${port}\r\n`;
      const req = (target: string, headers = host) => `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`;
      const cases: [string, RegExp][] = [
        [req("//"), / 404 /],
        [req("///"), / 404 /],
        [req("//a:b"), / 404 /],
        [req("/%zz%"), / 404 /],
        [req("*"), / 400 /],
        [req(`http://127.0.0.1:${port}/`), / 400 /],
        [req("/", `${host}Host: evil.example\r\n`), / 400 /],
        [req("/", ""), / 400 /],
        ["\u0000\u0001 not http\r\n\r\n", / 400 /],
        [`GET / HTTP/1.1\r\n${host}X: \u0001\r\n\r\n`, / 400 /],
      ];
      for (const [raw, want] of cases) {
        expect(await status(raw), JSON.stringify(raw)).toMatch(want);
        // Still there, and still answering properly after each.
        expect(await status(req("/model/model.json")), `after ${JSON.stringify(raw)}`).toMatch(/^HTTP\/1\.1 200 /);
      }
      expect(child.exitCode).toBeNull();
      expect(stderr).not.toMatch(/TypeError|\n\s+at /);
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);

  it("serve answers only on 127.0.0.1 with its own Host, GET/HEAD only, and serves the exported model", async () => {
    const child = spawn(process.execPath, [CLI, "serve", run, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          out += c;
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const port = Number(new URL(url).port);
      const get = (path: string, o: { host?: string; method?: string } = {}) =>
        new Promise<{ status: number; type: string; csp: string; body: string }>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path, method: o.method ?? "GET", headers: o.host ? { host: o.host } : {} }, (res) => {
            let body = "";
            res.setEncoding("utf8").on("data", (c: string) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), csp: String(res.headers["content-security-policy"] ?? ""), body }));
          });
          req.on("error", reject);
          req.end();
        });
      const page = await get("/");
      expect(page.status).toBe(200);
      expect(page.csp).toContain("default-src 'self'");
      expect(page.body).toContain('<script src="/vendor/tf-core.js"></script>');
      const model = await get("/model/model.json");
      expect(model.status).toBe(200);
      expect(JSON.parse(model.body).format).toBe("layers-model");
      expect(JSON.parse((await get("/model/preprocess.json")).body).runId).toBe(run.split("/").pop());
      expect((await get("/vendor/wasm/tfjs-backend-wasm-simd.wasm")).type).toBe("application/wasm");
      expect((await get("/nothing")).status).toBe(404);
      expect((await get("/", { method: "POST" })).status).toBe(405);
      // A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) is not answered.
      expect((await get("/model/model.json", { host: `evil.example:${port}` })).status).toBe(421);
      expect((await get("/", { host: `localhost:${port}` })).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);
});
