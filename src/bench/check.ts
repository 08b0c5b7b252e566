/**
 * `npm run bench:check`: wall time of a cold `ferc check specs/vgg-small.fer` process, as a user
 * sees it (node start-up included). Prints every run and the median; target ≤ 300 ms on 2 cores.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(root, "dist", "cli", "main.js");
const spec = process.argv[2] ?? join(root, "specs", "vgg-small.fer");
const runs = Number(process.env["BENCH_RUNS"] ?? 11);

const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, "check", spec], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`ferc check exited ${r.status}`);
  }
  times.push(ms);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
process.stdout.write(`runs: ${times.map((t) => t.toFixed(0)).join(" ")} ms\n`);
process.stdout.write(`cold ferc check ${spec.replace(root + "/", "")}: median ${median.toFixed(0)} ms (target ≤ 300 ms)\n`);
