/**
 * Fuzz target: the FER2013 CSV reader. Inputs are generated CSVs of 2x2 images (column orders,
 * quoting, CRLF, a BOM, extra columns), mutated byte by byte, some of them gzipped (and some of
 * those truncated or corrupted), and gzip bombs of valid rows past the memory cap.
 * Oracle: parseFerCsv resolves to a consistent source (pixel, label and group arrays of its row
 * count, labels and groups in range) or rejects with a DataError naming the file (and a line no
 * further than the text has); nothing else is thrown; each parse within the time bound, the
 * process within memory.
 */
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { parseFerCsv } from "../../data/csv.js";
import { DataError } from "../../data/errors.js";
import { broken, campaign, Findings, type TargetOptions, type TargetReport } from "../bounds.js";
import { Rng } from "../mutate.js";

const INPUT: [number, number, number] = [2, 2, 1];
const ROW = INPUT[0] * INPUT[1] * INPUT[2];
/** The cap for this target: 200 images of 2x2x1. */
const CAP = 200 * ROW;
const USAGES = ["Training", "PublicTest", "PrivateTest", "", "Other", "tRaInInG"];
const TROUBLE = [",", '"', "\n", "\r", "\r\n", " ", "\t", "-", ".", "e", "0", "9", "256", "999999999999", "\u0000", "\u00ff", "\ufeff", "\u2028", "é", "\\"];

function csvText(rng: Rng): string {
  const cols = rng.next() < 0.8 ? ["emotion", "pixels", "Usage"] : [...["emotion", "pixels", "Usage", "extra"]].sort(() => rng.next() - 0.5);
  const quote = rng.next() < 0.3;
  const eol = rng.next() < 0.2 ? "\r\n" : "\n";
  const rows = Array.from({ length: rng.int(30) }, () => {
    const values: Record<string, string> = {
      emotion: String(rng.int(8)),
      pixels: Array.from({ length: ROW }, () => String(rng.int(256))).join(" "),
      Usage: rng.pick(USAGES),
      extra: "x",
    };
    return cols.map((c) => (quote ? `"${values[c]}"` : values[c]!)).join(",");
  });
  return `${rng.next() < 0.1 ? "\ufeff" : ""}${cols.join(",")}${eol}${rows.join(eol)}${rng.next() < 0.8 ? eol : ""}`;
}

function mutateBytes(b: Buffer, rng: Rng): Buffer {
  const k = rng.int(4);
  let out = b;
  for (let j = 0; j < k; j++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(5)) {
      case 0:
        if (out.length > 0) {
          out = Buffer.from(out);
          out[Math.min(at, out.length - 1)] = rng.int(256);
        }
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, at), Buffer.from(rng.pick(TROUBLE)), out.subarray(at)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + rng.int(40)))]);
        break;
      case 3:
        out = Buffer.concat([out.subarray(0, at + 20), out.subarray(at, at + 20), out.subarray(at + 20)]);
        break;
      default:
        out = out.subarray(0, at);
    }
  }
  return out;
}

/** The bytes of one input, and what it is (for the report). */
function input(rng: Rng): { bytes: Buffer; what: string } {
  if (rng.next() < 0.02) {
    // A gzip bomb of valid rows: more images than the cap, in a few KB.
    const row = `3,${Array(ROW).fill("7").join(" ")},Training\n`;
    return { bytes: gzipSync(`emotion,pixels,Usage\n${row.repeat(CAP / ROW + 1 + rng.int(5000))}`), what: "gzip bomb" };
  }
  let bytes: Buffer = Buffer.from(csvText(rng), "utf8");
  if (rng.next() < 0.8) bytes = mutateBytes(bytes, rng);
  if (rng.next() < 0.3) {
    bytes = gzipSync(bytes);
    if (rng.next() < 0.4) bytes = rng.next() < 0.5 ? bytes.subarray(0, rng.int(bytes.length)) : mutateBytes(bytes, rng);
    return { bytes, what: "gzip" };
  }
  return { bytes, what: "csv" };
}

export async function csvTarget(opts: TargetOptions): Promise<TargetReport> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-fuzz-csv-"));
  const file = path.join(dir, "fuzz.csv");
  const rng = new Rng(opts.seed * 104_729 + 3);
  const findings = new Findings();
  const examine = async (inp: { bytes: Buffer; what: string }): Promise<void> => {
    await fsp.writeFile(file, inp.bytes);
    let lines = 1;
    for (const b of inp.bytes) if (b === 10) lines++;
    const r = await findings.timed("csv.parse", opts.timeLimitMs, () =>
      parseFerCsv(file, { input: INPUT, numClasses: 7, maxPixelBytes: CAP }).catch((e: unknown) => {
        if (!(e instanceof DataError)) throw e;
        if (!e.message.startsWith(file)) broken("csv.error", `a DataError that does not name the file: ${e.message}`);
        // Gzipped text has lines of its own; for plain text the line must exist.
        if (inp.what === "csv" && e.row !== undefined && (e.row < 1 || e.row > lines + 1)) broken("csv.error", `line ${e.row} of a ${lines}-line file: ${e.message}`);
        return null;
      }),
    );
    findings.outcome(`parse ${inp.what}`, r !== null);
    if (r === null) return;
    if (r.pixels.length !== r.n * ROW || r.labels.length !== r.n || r.groups.length !== r.n) broken("csv.shape", `n=${r.n} but ${r.pixels.length} pixels, ${r.labels.length} labels, ${r.groups.length} groups`);
    if (r.n * ROW > CAP) broken("csv.cap", `${r.n} images passed the cap of ${CAP / ROW}`);
    for (let i = 0; i < r.n; i++) {
      if (r.labels[i]! >= 7) broken("csv.label", `label ${r.labels[i]} of 7 classes`);
      if (r.groups[i]! >= r.groupNames.length) broken("csv.group", `group ${r.groups[i]} of ${r.groupNames.length}`);
    }
  };
  try {
    return await campaign("csv", opts, findings, () => input(rng), examine, (i) => `${i.what}, ${i.bytes.length} bytes: ${JSON.stringify(i.bytes.subarray(0, 400).toString("latin1"))}`);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
