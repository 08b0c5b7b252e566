/**
 * `.fer` → YAML (`*.fer.yaml`). The form, in short:
 *   - a block is a mapping `head: args` when its heads are unique and each statement fits, else
 *     a list of statements `- conv 3x3 16 relu` (model layers are always a list);
 *   - a statement with a block is `head args:` followed by the block;
 *   - plain scalars are `.fer` text (words, numbers with units, 3x3, lists, `key = value`),
 *     quoted scalars are strings (`source: "data/fer2013.csv"`);
 *   - an empty block is `{}`; what fits none of these is a `|-` literal holding `.fer` text.
 * Comments travel as YAML comments (`// x` as `#// x`, so the way back restores it).
 */
import type { Comment, Statement } from "../syntax/ast.js";
import type { CommentMap } from "../format/comments.js";
import { orderedChildren, orderedSections } from "../format/order.js";
import { printArg, printDocument, printHead } from "../format/print.js";
import { SECTIONS } from "../sections/registry.js";
import { isPlainSafe } from "./plain.js";

export interface EmitOptions {
  readonly comments?: CommentMap;
  readonly blankLineBefore?: (s: Statement) => boolean;
}

/** Sections whose statements are always a list: their order is their meaning. */
const LIST_SECTIONS = new Set(SECTIONS.filter((s) => s.form === "layers").map((s) => s.info.name));

export const yamlComment = (c: Comment): string => {
  const t = c.text.trimEnd();
  return t.startsWith("//") ? `#${t}` : t;
};

export function emitYaml(statements: readonly Statement[], opts: EmitOptions = {}): string {
  const e = new Emitter(opts.comments ?? { of: () => ({ leading: [], trailing: [], open: [], dangling: [] }), end: [] }, opts.blankLineBefore ?? (() => false));
  const sections = orderedSections(statements);
  const lines: string[] = [];
  const asMap = e.fitsMapping(sections, undefined);
  sections.forEach((s, i) => {
    if (i > 0) lines.push("");
    lines.push(...(asMap ? e.entry(s, 0, s.head.name) : e.item(s, 0, s.head.name)));
  });
  const end = e.comments.end.map(yamlComment);
  if (end.length) lines.push(...(lines.length ? [""] : []), ...end);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

class Emitter {
  constructor(
    readonly comments: CommentMap,
    private readonly blank: (s: Statement) => boolean,
  ) {}

  /** Mapping form needs unique heads, no `x = ...` statements, and entries that fit. */
  fitsMapping(ss: readonly Statement[], section: string | undefined): boolean {
    if (section !== undefined && LIST_SECTIONS.has(section)) return false;
    const heads = new Set<string>();
    for (const s of ss) {
      if (heads.has(s.head.name) || s.assign) return false;
      heads.add(s.head.name);
      if (s.block ? !isPlainSafe(printHead(s), true) : this.scalarValue(s) === undefined) return false;
    }
    return true;
  }

  /** The YAML value of a block-less statement in mapping form: plain args, a quoted string, or nothing. */
  private scalarValue(s: Statement): string | undefined {
    if (s.args.length === 0) return "";
    const only = s.args[0]!;
    if (s.args.length === 1 && !only.key && only.value.kind === "string") return JSON.stringify(only.value.value);
    const text = s.args.map(printArg).join(" ");
    return isPlainSafe(text) ? text : undefined;
  }

  private trailing(s: Statement): string {
    const t = this.comments.of(s).trailing;
    return t.length ? ` ${t.map(yamlComment).join(" ")}` : "";
  }

  private leading(s: Statement, pad: string, first: boolean): string[] {
    const lines = first || !this.blank(s) ? [] : [""];
    return [...lines, ...this.comments.of(s).leading.map((c) => pad + yamlComment(c))];
  }

  /** `head: value` or `head args:` + block, at `depth`. */
  entry(s: Statement, depth: number, section: string, first = true): string[] {
    const pad = "  ".repeat(depth);
    const lines = this.leading(s, pad, first);
    if (!s.block) {
      const v = this.scalarValue(s) ?? "";
      lines.push(`${pad}${s.head.name}:${v ? ` ${v}` : ""}${this.trailing(s)}`);
      return lines;
    }
    lines.push(...this.blockLines(`${pad}${printHead(s)}:`, s, depth, section));
    return lines;
  }

  /** `- statement` or `- head args:` + block, at `depth`. */
  item(s: Statement, depth: number, section: string, first = true): string[] {
    const pad = "  ".repeat(depth);
    const lines = this.leading(s, pad, first);
    const head = printHead(s);
    if (!s.block && isPlainSafe(head)) {
      lines.push(`${pad}- ${head}${this.trailing(s)}`);
      return lines;
    }
    if (s.block && isPlainSafe(head, true)) {
      // The item's mapping starts two columns in; its block two further.
      lines.push(...this.blockLines(`${pad}- ${head}:`, s, depth + 1, section));
      return lines;
    }
    // Escape hatch: `.fer` text verbatim (comments inside it are kept by fer itself).
    const text = printDocument([s]).trimEnd();
    lines.push(`${pad}- |-${this.trailing(s)}`, ...text.split("\n").map((l) => (l ? `${pad}    ${l}` : "")));
    return lines;
  }

  /** The key line, then the block's statements one level deeper, then its dangling comments. */
  private blockLines(keyLine: string, s: Statement, depth: number, section: string): string[] {
    const c = this.comments.of(s);
    const open = c.open.length ? ` ${c.open.map(yamlComment).join(" ")}` : "";
    const children = orderedChildren(s, section);
    const inner = "  ".repeat(depth + 1);
    // A comment after `}` has no line of its own in YAML; it goes with the block's last lines.
    const tail = [...c.dangling, ...c.trailing].map((x) => inner + yamlComment(x));
    if (children.length === 0) return [`${keyLine} {}${open}`, ...tail];
    const asMap = this.fitsMapping(children, section);
    const lines = [`${keyLine}${open}`];
    children.forEach((child, i) => {
      lines.push(...(asMap ? this.entry(child, depth + 1, section, i === 0) : this.item(child, depth + 1, section, i === 0)));
    });
    lines.push(...tail);
    return lines;
  }
}
