/** Real FER2013 faces for the acceptance tests, read at test time (never committed). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SpecIR } from "../../src/ir.js";
import { loadDataset } from "../../src/data/load.js";
import { tempDir, writeGreyPng } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const FER2013_CSV = process.env["FER2013_CSV"] ?? join(ROOT, "../shared/fer2013/fer2013.csv.gz");

/** The first `n` faces of the record's test split (PrivateTest), as PNGs in a temp directory. */
export async function privateTestFaces(run: string, n: number): Promise<{ paths: string[]; pixels: Uint8Array[] }> {
  const spec = JSON.parse(readFileSync(join(run, "spec.ir.json"), "utf8")) as SpecIR;
  const data = await loadDataset(spec.dataset, { dataPath: FER2013_CSV, cacheDir: join(ROOT, ".ferc-cache") });
  const dir = tempDir("privatetest");
  const size = 48 * 48;
  const paths: string[] = [], pixels: Uint8Array[] = [];
  // Spread over the split rather than the first few rows.
  for (let k = 0; k < n; k++) {
    const i = Math.floor((k * data.test.n) / n);
    const px = data.test.pixels.slice(i * size, (i + 1) * size);
    paths.push(writeGreyPng(join(dir, `privatetest-${i}.png`), px, 48, 48));
    pixels.push(px);
  }
  return { paths, pixels };
}

