/**
 * How much spec text ferc reads at all. A spec is a few kilobytes (the largest in specs/ is under
 * 4 KB, the resolved text of a 9.4M-parameter VGG about 10 KB); text far beyond that is a mistake
 * or an attack, and it is refused whole, with one diagnostic, before it can cost seconds and
 * gigabytes (4 MB of blank lines took 30 s and 3 GB; 1 MB of random bytes over a minute).
 * The same caps apply to `.fer` and `.fer.yaml`, to files and to text given to the library API.
 */
import { diagnostic, NO_SPAN, type Diagnostic } from "../diagnostics.js";

/** Characters of spec text (for a file: bytes, checked before it is read). */
export const MAX_SPEC_CHARS = 1024 * 1024;
/** Tokens of one `.fer` text (a line of a spec has about ten). */
export const MAX_TOKENS = 100_000;

const count = (n: number): string => n.toLocaleString("en-US");

/** F0904 for text longer than MAX_SPEC_CHARS (of `length` characters or bytes), else undefined. */
export function sizeLimit(length: number, unit: "characters" | "bytes" = "characters"): Diagnostic | undefined {
  if (length <= MAX_SPEC_CHARS) return undefined;
  return diagnostic("F0904", `the spec is ${count(length)} ${unit}, more than the ${count(MAX_SPEC_CHARS)} ferc reads`, NO_SPAN, "a spec is a few kilobytes: is this the right file?");
}

/** F0904 for a `.fer` text of more than MAX_TOKENS tokens. */
export function tokenLimit(tokens: number): Diagnostic | undefined {
  if (tokens <= MAX_TOKENS) return undefined;
  return diagnostic("F0904", `the spec has ${count(tokens)} tokens, more than the ${count(MAX_TOKENS)} ferc reads`, NO_SPAN, "a spec is a few kilobytes: is this the right file?");
}

/** True when a parse was refused whole: there is nothing to check, and checking nothing would only add noise. */
export const isRefused = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.code === "F0904");
