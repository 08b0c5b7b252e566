/** Runs the built CLI (`dist/`, made by `npm test`'s tsc step) as a user would, in a child process. */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A small spec that trains in a second or two per epoch on synthetic faces, with no accuracy
 * expectation (so a short run exits 0). Write it somewhere with `writeFile(path, TINY_SPEC)`.
 */
export const TINY_SPEC = `spec tiny
dataset synthetic-faces {
  source synthetic count 1400 seed 7
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
model { conv 5x5 8 relu stride 2 same; maxpool 2x2; flatten; dense 7 softmax }
train { optimizer adam; loss categorical-crossentropy; batch 32; epochs 2; seed 7 }
`;

export interface FercResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface FercOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** Close the reading end of stdout before ferc writes anything (`ferc … | head -0`). */
  readonly closeStdout?: boolean;
  /** Kill (SIGKILL) after this long; the result then has signal SIGKILL. Default 60 s. */
  readonly timeoutMs?: number;
  /** Called with the child once it is spawned, and with each stdout chunk (to send signals). */
  readonly onStdout?: (chunk: string, child: import("node:child_process").ChildProcess) => void;
}

export function ferc(args: readonly string[], o: FercOptions = {}): Promise<FercResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p tsconfig.json\` (npm test does) first`);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: o.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    // Destroying our end right away: the child's first write finds no reader (EPIPE).
    if (o.closeStdout) child.stdout.destroy();
    else
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        stdout += c;
        o.onStdout?.(c, child);
      });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export interface ExecResult {
  /** The exit code; null when the process was killed (a signal, or the timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Any program in a child process, awaited, whatever its exit code. Tests never use spawnSync or
 * execFileSync for anything that may take long: a synchronous child blocks the worker's event
 * loop, and on a loaded machine vitest's worker then times out reporting progress ("Timeout
 * calling onTaskUpdate", exit 1) though every test passed.
 */
export function execAsync(file: string, args: readonly string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, args, { ...(o.cwd !== undefined ? { cwd: o.cwd } : {}), ...(o.env !== undefined ? { env: o.env } : {}), encoding: "utf8", maxBuffer: 256 << 20, timeout: o.timeoutMs ?? 0 }, (err, stdout, stderr) => {
      const exit = err === null ? 0 : (err as { code?: unknown }).code;
      resolve({ code: typeof exit === "number" ? exit : null, stdout, stderr });
    });
  });
}
