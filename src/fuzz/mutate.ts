/**
 * Deterministic mutations of `.fer` texts for robustness testing: truncations at every token
 * boundary, and seeded byte/char/token/line edits. Everything here is a pure function of its
 * inputs and a seed, so a failure can be replayed from (spec, seed, index).
 */
import type { Signature } from "../schema/signature.js";
import { allSections } from "../sections/registry.js";
import { ferLexer } from "../syntax/lexer.js";

/** mulberry32: a tiny seeded PRNG (not crypto), enough to make mutations reproducible. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

export interface TokenPos {
  readonly start: number;
  readonly end: number;
  readonly image: string;
}

/** Tokens of the text, comments included (their positions are where truncations cut). */
export function tokensOf(text: string): TokenPos[] {
  const lexed = ferLexer.tokenize(text);
  const all = [...lexed.tokens, ...(lexed.groups["comments"] ?? [])];
  return all.map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length, image: t.image })).sort((a, b) => a.start - b.start);
}

/** Every offset where a token starts or ends, plus 0 and the end: the prefixes a user would type. */
export function tokenBoundaries(text: string): number[] {
  const set = new Set<number>([0, text.length]);
  for (const t of tokensOf(text)) {
    set.add(t.start);
    set.add(t.end);
  }
  return [...set].sort((a, b) => a - b);
}

/** Prefixes at every token boundary, and at `samples` pseudo-random byte offsets (UTF-8). */
export function truncations(text: string, samples: number, seed = 1): string[] {
  const out = new Set<string>();
  for (const b of tokenBoundaries(text)) out.add(text.slice(0, b));
  const bytes = Buffer.from(text, "utf8");
  const rng = new Rng(seed);
  for (let i = 0; i < samples; i++) out.add(decode(bytes.subarray(0, rng.int(bytes.length + 1))));
  return [...out];
}

const decoder = new TextDecoder("utf-8", { fatal: false });
const decode = (b: Uint8Array): string => decoder.decode(b);

/** Characters and fragments worth inserting: the language's punctuation and some trouble. */
const INSERTS = [
  "{", "}", "[", "]", ",", ";", "=", "\n", " ", "\t", '"', "#", "//", "x", "0", "-", ".", "e", "%",
  "\u0000", "\r", "\r\n", "\u00a0", "\ufeff", "\u202e", "\u2028", "😀", "\ud800", "é", "\\", "@", "'", "<=", ">=", "==",
  "1e308", "1e999", "99999999999999999999", "-1", "0x0", "48x48x1", "3x3", "deg", "rad",
];

/**
 * Words of the language, for token insertion and replacement: every section, statement, option,
 * alias and allowed word from the registries the checker reads (so a new setting is fuzzed the
 * day it lands), plus names and metrics that only appear as values.
 */
export const VOCAB: readonly string[] = languageWords();

function languageWords(): string[] {
  const words = new Set<string>();
  const signature = (sig: Signature | undefined): void => {
    for (const o of sig?.options ?? []) {
      words.add(o.name);
      for (const a of o.aliases ?? []) words.add(a);
      if (o.type.t === "enum") for (const v of o.type.values) words.add(v);
      if (o.type.t === "bool") ["on", "off"].forEach((w) => words.add(w));
    }
  };
  for (const section of allSections()) {
    words.add(section.name);
    for (const st of section.statements) {
      words.add(st.head);
      signature(st.signature);
      for (const w of st.words ?? []) words.add(w);
    }
  }
  for (const w of ["val.loss", "val.acc", "block1.conv1", "stage1.res1", "filters", "rate", "of", "with", "as"]) words.add(w);
  return [...words];
}

export type MutationKind = "flip" | "insert" | "delete" | "duplicate" | "swap-tokens" | "replace-token" | "splice-lines" | "delete-line" | "byte-flip";

export const MUTATION_KINDS: readonly MutationKind[] = ["flip", "insert", "delete", "duplicate", "swap-tokens", "replace-token", "splice-lines", "delete-line", "byte-flip"];

/** One seeded mutation of `text`; `others` are texts to splice lines from. */
export function mutateOnce(text: string, rng: Rng, others: readonly string[], kind: MutationKind = rng.pick(MUTATION_KINDS)): string {
  const n = text.length;
  const at = rng.int(n + 1);
  switch (kind) {
    case "flip": {
      if (n === 0) return rng.pick(INSERTS);
      const c = rng.next() < 0.5 ? rng.pick(INSERTS) : String.fromCharCode(rng.int(128));
      return text.slice(0, Math.min(at, n - 1)) + c + text.slice(Math.min(at, n - 1) + 1);
    }
    case "insert": {
      const what = rng.next() < 0.6 ? rng.pick(INSERTS) : ` ${rng.pick(VOCAB)} `;
      return text.slice(0, at) + what + text.slice(at);
    }
    case "delete":
      return text.slice(0, at) + text.slice(Math.min(n, at + 1 + rng.int(rng.next() < 0.8 ? 4 : 60)));
    case "duplicate": {
      const len = 1 + rng.int(rng.next() < 0.7 ? 8 : 120);
      return text.slice(0, at + len) + text.slice(at, at + len) + text.slice(at + len);
    }
    case "swap-tokens": {
      const ts = tokensOf(text);
      if (ts.length < 2) return text;
      let [a, b] = [rng.pick(ts), rng.pick(ts)];
      if (a.start > b.start) [a, b] = [b, a];
      if (a.end > b.start) return text;
      return text.slice(0, a.start) + b.image + text.slice(a.end, b.start) + a.image + text.slice(b.end);
    }
    case "replace-token": {
      const ts = tokensOf(text);
      if (ts.length === 0) return text;
      const t = rng.pick(ts);
      const by = rng.next() < 0.7 ? rng.pick(VOCAB) : rng.pick(INSERTS);
      return text.slice(0, t.start) + by + text.slice(t.end);
    }
    case "splice-lines": {
      const lines = text.split("\n");
      const src = others.length ? rng.pick(others).split("\n") : lines;
      const from = rng.int(src.length);
      const taken = src.slice(from, from + 1 + rng.int(4));
      const into = rng.int(lines.length + 1);
      const replace = rng.next() < 0.5 ? 0 : rng.int(3);
      lines.splice(into, replace, ...taken);
      return lines.join("\n");
    }
    case "delete-line": {
      const lines = text.split("\n");
      lines.splice(rng.int(lines.length), 1);
      return lines.join("\n");
    }
    case "byte-flip": {
      const bytes = Buffer.from(text, "utf8");
      if (bytes.length === 0) return text;
      const i = rng.int(bytes.length);
      bytes[i] = bytes[i]! ^ (1 << rng.int(8));
      return decode(bytes);
    }
  }
}

/** `count` mutants of `text`, each 1-3 stacked mutations, deterministic in `seed`. */
export function mutants(text: string, count: number, seed: number, others: readonly string[] = []): string[] {
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = text;
    const k = 1 + (rng.next() < 0.7 ? 0 : rng.int(3));
    for (let j = 0; j < k; j++) t = mutateOnce(t, rng, others);
    out.push(t);
  }
  return out;
}

/**
 * Delta debugging, simplified: repeatedly drop chunks (halves, quarters, ... single chars) and
 * keep any smaller text on which `stillFails` holds. Returns a locally minimal failing text.
 */
export function shrinkText(text: string, stillFails: (t: string) => boolean, budget = 2000): string {
  let cur = text;
  let tries = 0;
  for (let chunk = Math.max(1, Math.floor(cur.length / 2)); chunk >= 1 && tries < budget; ) {
    let progress = false;
    for (let i = 0; i < cur.length && tries < budget; ) {
      const cand = cur.slice(0, i) + cur.slice(i + chunk);
      tries++;
      if (cand !== cur && stillFails(cand)) {
        cur = cand;
        progress = true;
      } else i += chunk;
    }
    if (!progress) chunk = Math.floor(chunk / 2);
    else chunk = Math.min(chunk, Math.max(1, Math.floor(cur.length / 2)));
  }
  return cur;
}
