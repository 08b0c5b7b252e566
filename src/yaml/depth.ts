/**
 * The YAML form's nesting guard, the counterpart of the `.fer` parser's (src/syntax/parser.ts
 * balanceBrackets): the yaml package composes nodes recursively, so 3,000 nested lists overflowed
 * the stack ("internal YAML reader error: Maximum call stack size exceeded") and the empty result
 * then drew four "missing section" errors besides. Before anything is composed, the token tree of
 * the text (which the yaml package builds without recursion) is walked with an explicit stack; a
 * collection nested deeper than MAX_NESTING is reported with the `.fer` message and blanked out
 * (every character but line breaks becomes a space), so offsets, lines and columns stay those of
 * the file and the rest of it reads, and is checked, as written, with that value empty.
 */
import { Parser } from "yaml";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { MAX_NESTING } from "../syntax/parser.js";
import { spanIndex } from "./lines.js";

const COLLECTIONS = new Set(["block-map", "block-seq", "flow-collection"]);

interface TokenLike {
  readonly type?: unknown;
  readonly offset?: unknown;
  readonly source?: unknown;
}

/** Where a token tree ends in the text: the furthest end of any source token inside it. */
function extentEnd(root: unknown): number {
  let end = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      for (const v of x) stack.push(v);
      continue;
    }
    if (x === null || typeof x !== "object") continue;
    const t = x as TokenLike;
    if (typeof t.offset === "number" && typeof t.source === "string") end = Math.max(end, t.offset + t.source.length);
    for (const v of Object.values(x)) if (typeof v === "object" && v !== null) stack.push(v);
  }
  return end;
}

/** The collections one level inside a token (the values and keys of its items, a document's value). */
function children(t: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  if (t["type"] === "document" && t["value"]) out.push(t["value"]);
  for (const item of Array.isArray(t["items"]) ? (t["items"] as Record<string, unknown>[]) : []) {
    if (item?.["key"]) out.push(item["key"]);
    if (item?.["value"]) out.push(item["value"]);
  }
  return out;
}

export interface DepthCut {
  /** The text with every too-deep collection blanked (the input itself when none is). */
  readonly text: string;
  /** One F0003 per collection cut out. */
  readonly diagnostics: Diagnostic[];
}

/** `text` with its collections nested deeper than MAX_NESTING blanked out, and why. */
export function cutDeepNesting(text: string): DepthCut {
  const cuts: [number, number][] = [];
  const stack: [unknown, number][] = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    const t = node as Record<string, unknown>;
    const level = COLLECTIONS.has(t["type"] as string) ? depth + 1 : depth;
    if (level > MAX_NESTING && typeof t["offset"] === "number") {
      cuts.push([t["offset"], Math.max(t["offset"] + 1, extentEnd(t))]);
      continue;
    }
    for (const c of children(t)) stack.push([c, level]);
  }
  if (cuts.length === 0) return { text, diagnostics: [] };
  cuts.sort((a, b) => a[0] - b[0]);
  const spanOf = spanIndex(text);
  let out = "";
  let at = 0;
  const diagnostics: Diagnostic[] = [];
  for (const [start, end] of cuts) {
    if (start < at) continue;
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\n\r]/g, " ");
    at = end;
    diagnostics.push(diagnostic("F0003", `nesting deeper than ${MAX_NESTING} levels`, spanOf(start, 1), "flatten the structure; what is inside this collection was not checked"));
  }
  return { text: out + text.slice(at), diagnostics };
}
