/**
 * `BENCH_TF_FLAGS="WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=60,WEBGPU_CPU_FORWARD=false"`: tfjs
 * environment flags for one bench process, to try a backend's levers without a code change
 * (numbers and booleans as written; anything else as a string). Returns what was set, for the
 * bench's own line.
 */
import * as tf from "@tensorflow/tfjs-core";

export function applyTfFlags(spec = process.env["BENCH_TF_FLAGS"] ?? ""): string {
  const set: string[] = [];
  for (const pair of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`BENCH_TF_FLAGS: "${pair}" is not NAME=VALUE`);
    const name = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const value = raw === "true" ? true : raw === "false" ? false : Number.isFinite(Number(raw)) && raw !== "" ? Number(raw) : raw;
    tf.env().set(name, value);
    set.push(`${name}=${String(value)}`);
  }
  return set.join(",");
}
