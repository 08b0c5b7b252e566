/**
 * FER2013 CSV source: `emotion,pixels,Usage` (any column order, extra columns ignored), plain or
 * gzip (detected by the 1f 8b magic bytes, not the extension), streamed through zlib and parsed by
 * a hand-written byte state machine, because split/regex per value is ~10x slower on 290 MB.
 *
 * Accepted: CRLF or LF line ends, a UTF-8 BOM, quoted or unquoted fields, a missing final newline,
 * blank lines at the very end. Everything else is a DataError naming `file:line`:
 *   - a missing column in the header, an empty file, a header with no rows;
 *   - a row with the wrong number of fields, or a blank line between rows;
 *   - a pixel count other than height*width*channels of the spec's input;
 *   - a pixel value that is not an integer 0..255 (negative, >255, NaN, decimals, letters);
 *   - a label that is not an integer in 0..classes-1;
 *   - a gzip stream that is truncated or corrupt; a file that ends inside a row or quote.
 * Whether each `Usage` value is selected by a split rule is checked afterwards by the loader
 * (`checkGroupsSelected`), against the first line that used the value, so the parse and its cache
 * entry do not depend on the split rules.
 *
 * Line numbers: the header is line 1 and blank lines are rejected, so image i is on line i + 2.
 */
import { open } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { DataError } from "./errors.js";
import { GrowableBytes } from "./growable.js";
import { maxSourceBytes, overCapMessage } from "./limits.js";
import { notRegular } from "./regularFile.js";
import type { SourceImages } from "./types.js";

export interface CsvParseOptions {
  /** [height, width, channels] of the spec's input; each row must have h*w*c pixel values. */
  readonly input: readonly [number, number, number];
  /** Number of classes; labels must be 0..numClasses-1. */
  readonly numClasses: number;
  /** Name used in error messages (defaults to the path). */
  readonly displayName?: string;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stop with a DataError past this many bytes of pixels (default: src/data/limits.ts). */
  readonly maxPixelBytes?: number;
}

const COMMA = 0x2c, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, SPACE = 0x20, TAB = 0x09, ZERO = 0x30, NINE = 0x39;
const ROLE_LABEL = 0, ROLE_PIXELS = 1, ROLE_USAGE = 2, ROLE_IGNORED = 3;
const MAX_HEADER_BYTES = 1 << 16;
const MAX_USAGE_BYTES = 256;
const MAX_GROUPS = 255;

/** True when the file starts with the gzip magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function describeByte(b: number): string {
  if (b >= 0x21 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  return `byte 0x${b.toString(16).padStart(2, "0")}`;
}

/** Parse a header line with simple CSV quoting into trimmed column names. */
function splitHeader(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') { cur += '"'; i++; } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { out.push(cur.trim()); cur = ""; }
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * The streaming parser. Bytes go in through `feed`, one chunk at a time; all state that must survive
 * a chunk boundary (the current field, the number being read, quote state) lives in fields.
 */
class FerCsvParser {
  private readonly file: string;
  private readonly rowSize: number;
  private readonly numClasses: number;
  private readonly pixels: GrowableBytes;
  private readonly labels = new GrowableBytes(1 << 12);
  private readonly groups = new GrowableBytes(1 << 12);
  private readonly groupIndex = new Map<string, number>();
  readonly groupNames: string[] = [];
  readonly groupFirstRow: number[] = [];

  private line = 1;
  private sawAnyByte = false;
  private atFileStart = true;
  // header
  private inHeader = true;
  private headerBytes: number[] = [];
  private roles: number[] = [];
  // row state
  private rowHasContent = false;
  private pendingBlankLine = -1;
  private field = 0;
  private fieldStarted = false;
  private inQuotes = false;
  private afterQuote = false;
  private label = -1;
  private labelDigits = 0;
  private pixelCount = 0;
  private pixelBase = 0;
  private cur = 0;
  private inNumber = false;
  private usage: number[] = [];
  n = 0;

  constructor(file: string, rowSize: number, numClasses: number, private readonly maxPixelBytes: number) {
    this.pixels = new GrowableBytes(1 << 20, maxPixelBytes);
    this.file = file;
    this.rowSize = rowSize;
    this.numClasses = numClasses;
  }

  private fail(detail: string, row = this.line): never {
    throw new DataError(detail, { file: this.file, row });
  }

  feed(buf: Uint8Array): void {
    let i = 0;
    const len = buf.length;
    if (len > 0) this.sawAnyByte = true;
    if (this.atFileStart && len > 0) {
      // A UTF-8 BOM may arrive split across tiny chunks in theory; zlib/fs chunks are >= 16 KiB.
      if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
      this.atFileStart = false;
    }
    if (this.inHeader) {
      i = this.feedHeader(buf, i);
      if (this.inHeader) return;
    }
    this.feedRows(buf, i);
  }

  private feedHeader(buf: Uint8Array, start: number): number {
    for (let i = start; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === LF) {
        this.finishHeader();
        this.line++;
        return i + 1;
      }
      if (b !== CR) this.headerBytes.push(b);
      if (this.headerBytes.length > MAX_HEADER_BYTES) this.fail("header line is longer than 64 KiB; is this a FER2013 CSV?");
    }
    return buf.length;
  }

  private finishHeader(): void {
    this.inHeader = false;
    const names = splitHeader(Buffer.from(this.headerBytes).toString("utf8"));
    this.headerBytes = [];
    const want: [string, number][] = [["emotion", ROLE_LABEL], ["pixels", ROLE_PIXELS], ["usage", ROLE_USAGE]];
    this.roles = names.map(() => ROLE_IGNORED);
    for (const [name, role] of want) {
      const idx = names.findIndex((n) => n.toLowerCase() === name);
      if (idx < 0) {
        const shown = name === "usage" ? "Usage" : name;
        this.fail(`header has no "${shown}" column (found: ${names.map((n) => JSON.stringify(n)).join(", ")}); expected emotion, pixels, Usage`, 1);
      }
      this.roles[idx] = role;
    }
  }

  private feedRows(buf: Uint8Array, start: number): void {
    const roles = this.roles;
    const rowSize = this.rowSize;
    // Hot loop locals; written back to fields at the end of the chunk.
    let field = this.field, inQuotes = this.inQuotes, cur = this.cur, inNumber = this.inNumber;
    let pixelCount = this.pixelCount;
    let role = field < roles.length ? roles[field]! : ROLE_IGNORED;
    let out = this.pixels.reserve(rowSize);
    let base = this.pixelBase;
    // `fast`: inside the pixel field's content (after its opening quote, if any, before a closing one).
    let fast = role === ROLE_PIXELS && (inQuotes || (this.fieldStarted && !this.afterQuote));
    const save = (): void => {
      this.field = field; this.inQuotes = inQuotes; this.cur = cur; this.inNumber = inNumber; this.pixelCount = pixelCount;
    };

    for (let i = start; i < buf.length; i++) {
      const b = buf[i]!;
      // Fast path: the pixel field is > 99% of the bytes.
      if (fast) {
        if (b >= ZERO && b <= NINE) {
          cur = cur * 10 + (b - ZERO);
          if (cur > 255) { save(); this.badPixelValue(buf, i); }
          inNumber = true;
          continue;
        }
        if (b === SPACE || b === TAB) {
          if (inNumber) {
            if (pixelCount < rowSize) out[base + pixelCount] = cur;
            pixelCount++;
            cur = 0;
            inNumber = false;
          }
          continue;
        }
      }
      if (inQuotes) {
        if (b === QUOTE) { inQuotes = false; this.afterQuote = true; fast = false; continue; }
        if (b === LF) { save(); this.fail("line break inside a quoted field"); }
        if (b === CR) continue;
        save();
        this.feedOther(role, b, pixelCount);
        continue;
      }
      if (b === LF && field === 0 && !this.rowHasContent) {
        // A blank line: fine at the very end of the file, an error if a row follows.
        if (this.pendingBlankLine < 0) this.pendingBlankLine = this.line;
        this.line++;
        continue;
      }
      if (b === COMMA || b === LF) {
        fast = false;
        if (role === ROLE_PIXELS && inNumber) {
          if (pixelCount < rowSize) out[base + pixelCount] = cur;
          pixelCount++;
          cur = 0;
          inNumber = false;
        }
        save();
        this.endField(role, pixelCount);
        if (b === COMMA) {
          field++;
          this.field = field;
          role = field < roles.length ? roles[field]! : ROLE_IGNORED;
          this.fieldStarted = false;
          this.afterQuote = false;
          if (field >= roles.length) this.fail(`expected ${roles.length} fields, found more`);
          continue;
        }
        this.endRow();
        this.line++;
        out = this.pixels.reserve(rowSize);
        base = this.pixelBase;
        field = 0; pixelCount = 0; cur = 0; inNumber = false; inQuotes = false;
        role = roles[0]!;
        continue;
      }
      if (b === CR) continue;
      this.rowHasContent = true;
      if (this.pendingBlankLine >= 0) this.fail("blank line between rows", this.pendingBlankLine);
      if (b === QUOTE && !this.fieldStarted) {
        inQuotes = true;
        this.fieldStarted = true;
        fast = role === ROLE_PIXELS;
        continue;
      }
      if (this.afterQuote) { save(); this.fail(`unexpected ${describeByte(b)} after a closing quote in field ${field + 1}`); }
      if (role === ROLE_PIXELS && !this.fieldStarted) {
        // First byte of an unquoted pixel field: switch to the fast path and process it there.
        this.fieldStarted = true;
        fast = true;
        i--;
        continue;
      }
      this.fieldStarted = true;
      save();
      this.feedOther(role, b, pixelCount);
    }
    save();
  }

  /** Bytes of the label/usage/ignored fields, and anything unexpected in the pixel field. */
  private feedOther(role: number, b: number, pixelCount: number): void {
    this.rowHasContent = true;
    if (role === ROLE_PIXELS) {
      if (b === QUOTE) this.fail(`unexpected quote inside the pixels field`);
      const what = b === 0x2d ? "a negative value" : b === 0x2e ? "a non-integer value" : `invalid character ${describeByte(b)}`;
      this.fail(`pixel ${pixelCount + 1}: ${what}; pixel values must be integers 0..255`);
    }
    if (role === ROLE_LABEL) {
      if (b === SPACE || b === TAB) return;
      if (b < ZERO || b > NINE) this.fail(`label is not a non-negative integer (found ${describeByte(b)})`);
      this.label = (this.labelDigits === 0 ? 0 : this.label) * 10 + (b - ZERO);
      this.labelDigits++;
      if (this.label > 1e6) this.fail(`label out of range 0..${this.numClasses - 1}`);
      return;
    }
    if (role === ROLE_USAGE) {
      this.usage.push(b);
      if (this.usage.length > MAX_USAGE_BYTES) this.fail(`Usage value is longer than ${MAX_USAGE_BYTES} bytes`);
    }
  }

  private badPixelValue(buf: Uint8Array, i: number): never {
    let s = String(this.cur);
    for (let j = i + 1; j < buf.length && buf[j]! >= ZERO && buf[j]! <= NINE && s.length < 12; j++) s += String.fromCharCode(buf[j]!);
    this.fail(`pixel ${this.pixelCount + 1}: value ${s} is out of range 0..255`);
  }

  private endField(role: number, pixelCount: number): void {
    if (this.inQuotes) this.fail("unterminated quote");
    if (role === ROLE_PIXELS) {
      if (pixelCount !== this.rowSize) this.fail(`expected ${this.rowSize} pixel values, found ${pixelCount}`);
    } else if (role === ROLE_LABEL) {
      if (this.labelDigits === 0) this.fail("label (emotion) is empty");
      if (this.label >= this.numClasses) this.fail(`label ${this.label} out of range 0..${this.numClasses - 1}`);
    }
  }

  private endRow(): void {
    if (this.field !== this.roles.length - 1) this.fail(`expected ${this.roles.length} fields, found ${this.field + 1}`);
    // The memory cap: this row's pixels would pass it (a gzip bomb of valid rows stops here).
    if (this.pixels.length + this.rowSize > this.maxPixelBytes) this.fail(overCapMessage(this.n, this.rowSize, this.maxPixelBytes));
    const usage = Buffer.from(this.usage).toString("utf8").trim();
    let g = this.groupIndex.get(usage);
    if (g === undefined) {
      if (this.groupNames.length >= MAX_GROUPS) this.fail(`more than ${MAX_GROUPS} distinct Usage values`);
      g = this.groupNames.length;
      this.groupIndex.set(usage, g);
      this.groupNames.push(usage);
      this.groupFirstRow.push(this.line);
    }
    this.groups.push(g);
    this.labels.push(this.label);
    this.pixels.length += this.rowSize;
    this.pixelBase = this.pixels.length;
    this.n++;
    this.resetRow();
  }

  private resetRow(): void {
    this.field = 0;
    this.fieldStarted = false;
    this.inQuotes = false;
    this.afterQuote = false;
    this.label = -1;
    this.labelDigits = 0;
    this.pixelCount = 0;
    this.cur = 0;
    this.inNumber = false;
    this.usage = [];
    this.rowHasContent = false;
  }

  /** End of input: finish a last row without a newline, or report where the file stopped. */
  finish(): { pixels: Uint8Array; labels: Uint8Array; groups: Uint8Array } {
    if (!this.sawAnyByte) this.fail("file is empty", 1);
    if (this.inHeader) this.fail("file has a header but no rows", 1);
    if (this.rowHasContent || this.field > 0) {
      if (this.inQuotes) this.fail("file ends inside a quoted field (truncated?)");
      const role = this.roles[this.field] ?? ROLE_IGNORED;
      if (role === ROLE_PIXELS && this.inNumber) {
        if (this.pixelCount < this.rowSize) this.pixels.reserve(this.rowSize)[this.pixelBase + this.pixelCount] = this.cur;
        this.pixelCount++;
        this.inNumber = false;
      }
      const expectFields = this.roles.length;
      if (this.field !== expectFields - 1) this.fail(`file ends mid-row (truncated?): expected ${expectFields} fields, found ${this.field + 1}`);
      if (role === ROLE_PIXELS && this.pixelCount !== this.rowSize) {
        this.fail(`file ends mid-row (truncated?): expected ${this.rowSize} pixel values, found ${this.pixelCount}`);
      }
      this.endField(role, this.pixelCount);
      this.endRow();
    }
    if (this.n === 0) this.fail("file has a header but no rows", 1);
    return { pixels: this.pixels.toArray(), labels: this.labels.toArray(), groups: this.groups.toArray() };
  }
}

/** Parse a FER2013-style CSV (plain or gzip) into images tagged by their `Usage` value. */
export async function parseFerCsv(path: string, opts: CsvParseOptions): Promise<SourceImages> {
  const file = opts.displayName ?? path;
  const [height, width, channels] = opts.input;
  let gz: boolean;
  let totalBytes: number;
  try {
    // A FIFO would block the open, /dev/zero would never end: regular files only.
    const why = await notRegular(path);
    if (why !== null) throw new Error(why);
    gz = await isGzipFile(path);
    const fh = await open(path, "r");
    totalBytes = (await fh.stat()).size;
    await fh.close();
  } catch (e) {
    throw new DataError(`cannot read file: ${(e as Error).message}`, { file });
  }
  const parser = new FerCsvParser(file, height * width * channels, opts.numClasses, opts.maxPixelBytes ?? maxSourceBytes());
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  raw.on("data", (chunk) => {
    bytesRead += chunk.length;
    opts.onProgress?.(bytesRead, totalBytes);
  });
  const stream: Readable = gz ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gz) raw.on("error", (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) parser.feed(chunk as Buffer);
  } catch (e) {
    raw.destroy();
    if (e instanceof DataError) throw e;
    const msg = (e as Error).message;
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (gz && (code.startsWith("Z_") || /unexpected end|incorrect|invalid/i.test(msg))) {
      throw new DataError(`gzip data is truncated or corrupt (${msg}) after line ${parser.n + 1}`, { file });
    }
    throw new DataError(`cannot read file: ${msg}`, { file });
  }
  const { pixels, labels, groups } = parser.finish();
  return {
    n: parser.n,
    height,
    width,
    channels,
    pixels,
    labels,
    groups,
    groupNames: parser.groupNames,
    groupFirstRow: parser.groupFirstRow,
    conversions: { colourToGrey: 0, greyToColour: 0, resized: 0 },
  };
}
