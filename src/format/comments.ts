/**
 * Attaching comments to statements. The parser keeps comments apart from the tree (with spans),
 * so fmt decides who owns each one before it reorders anything; a comment then moves with its
 * statement. The rules, in order:
 *   - a comment after code on its line trails the last thing before it on that line: the
 *     statement ending there (`dense 7 softmax # out`, `} # end`) or an opening brace (`model { # x`);
 *   - a comment on its own line leads the next statement in the same block;
 *   - one with no statement after it in its block dangles at the end of that block (or file).
 */
import type { Block, Comment, Document, Statement } from "../syntax/ast.js";

export interface Attached {
  readonly leading: Comment[];
  readonly trailing: Comment[];
  /** After the opening brace of this statement's block. */
  readonly open: Comment[];
  /** At the end of this statement's block, after its last statement. */
  readonly dangling: Comment[];
}

export interface CommentMap {
  readonly of: (s: Statement) => Attached;
  /** Comments after the last top-level statement. */
  readonly end: readonly Comment[];
}

const EMPTY: Attached = { leading: [], trailing: [], open: [], dangling: [] };

export function attachComments(doc: Document, text: string): CommentMap {
  const map = new Map<Statement, Attached>();
  const get = (s: Statement): Attached => {
    let a = map.get(s);
    if (!a) map.set(s, (a = { leading: [], trailing: [], open: [], dangling: [] }));
    return a;
  };
  const end: Comment[] = [];
  const all = flatten(doc.statements);

  for (const c of doc.comments) {
    if (!ownLine(text, c.span.offset)) {
      const owner = trailingOwner(all, c);
      if (owner) {
        (owner.kind === "open" ? get(owner.stmt).open : get(owner.stmt).trailing).push(c);
        continue;
      }
    }
    // Own-line (or unplaceable) comment: the innermost block around it decides its neighbours.
    const host = innermostBlockStatement(all, c.span.offset);
    const siblings = host?.block?.statements ?? doc.statements;
    const next = siblings.find((s) => s.span.offset > c.span.offset);
    if (next) get(next).leading.push(c);
    else if (host) get(host).dangling.push(c);
    else end.push(c);
  }
  return { of: (s) => map.get(s) ?? EMPTY, end };
}

/** True when only whitespace precedes `offset` on its line. */
function ownLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === "\n") return true;
    if (ch !== " " && ch !== "\t" && ch !== "\r") return false;
  }
  return true;
}

function flatten(ss: readonly Statement[], out: Statement[] = []): Statement[] {
  for (const s of ss) {
    out.push(s);
    if (s.block) flatten(s.block.statements, out);
  }
  return out;
}

const endOffset = (s: { span: { offset: number; length: number } }) => s.span.offset + s.span.length;

function trailingOwner(all: readonly Statement[], c: Comment): { stmt: Statement; kind: "after" | "open" } | undefined {
  let best: { stmt: Statement; kind: "after" | "open"; at: number } | undefined;
  for (const s of all) {
    if (s.span.endLine === c.span.line && endOffset(s) <= c.span.offset) {
      // The latest end wins: of `a; b # c` that is b, of `split { x } # c` the outer split.
      if (!best || endOffset(s) > best.at) best = { stmt: s, kind: "after", at: endOffset(s) };
    }
    const open: Block["open"] | undefined = s.block?.open;
    if (open && open.line === c.span.line && open.offset < c.span.offset) {
      if (!best || open.offset + 1 > best.at) best = { stmt: s, kind: "open", at: open.offset + 1 };
    }
  }
  if (best) return { stmt: best.stmt, kind: best.kind };
  // A comment inside a multi-line argument list: keep it on the statement's first line.
  const around = [...all].reverse().find((s) => s.span.offset < c.span.offset && endOffset(s) > c.span.offset);
  return around ? { stmt: around, kind: around.block ? "open" : "after" } : undefined;
}

/** The deepest statement whose block's braces enclose `offset`. */
function innermostBlockStatement(all: readonly Statement[], offset: number): Statement | undefined {
  let found: Statement | undefined;
  for (const s of all) {
    const b = s.block;
    if (b && b.open.offset < offset && offset < b.span.offset + b.span.length) found = s; // later = deeper
  }
  return found;
}
