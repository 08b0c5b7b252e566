/**
 * Augmentation throughput: `npm run bench:augment`. Augments batches of 48x48x1 synthetic faces
 * with every transform on (the heaviest realistic setting) and prints images/s, single thread.
 */
import { augmentBatch } from "../data/augment.js";
import { generateSynthetic } from "../data/synthetic.js";
import type { AugmentIR } from "../ir.js";
import { createRng } from "../util/rng.js";

const H = 48, W = 48, C = 1, BATCH = 256;
const FULL: AugmentIR = {
  declared: true, rotateDeg: 15, shiftX: 0.1, shiftY: 0.1, shearRad: 0.1, zoom: [0.9, 1.1],
  flipHorizontal: true, cropPadding: 4, erase: 0.5, fill: "nearest",
};
const FLIP_ONLY: AugmentIR = { ...FULL, rotateDeg: 0, shiftX: 0, shiftY: 0, shearRad: 0, zoom: [1, 1], cropPadding: 0, erase: 0 };

const synth = generateSynthetic({ count: BATCH, seed: 1, noise: 0.05, input: [H, W, C], numClasses: 7 });
const src = Float32Array.from(synth.pixels, (v) => v / 255);
const dst = new Float32Array(src.length);

function bench(name: string, ir: AugmentIR, seconds: number): void {
  const rng = createRng(7);
  for (let i = 0; i < 20; i++) augmentBatch(src, dst, BATCH, H, W, C, ir, rng); // warm-up (JIT)
  let images = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - start < seconds * 1000) {
    augmentBatch(src, dst, BATCH, H, W, C, ir, rng);
    images += BATCH;
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const fmt = (x: number): string => Math.round(x).toLocaleString("en-US").padStart(9);
  // On a shared machine wall time includes time other processes held the core; the CPU-time rate
  // is what one uncontended core would do.
  console.log(`${name.padEnd(10)} ${fmt(images / wall)} images/s wall, ${fmt(images / cpuSeconds)} images/s per CPU-second  (${H}x${W}x${C}, batch ${BATCH}, 1 thread)`);
}

bench("full", FULL, 3);
bench("flip-only", FLIP_ONLY, 1);
