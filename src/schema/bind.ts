/**
 * Binding a statement's arguments to a signature (src/schema/signature.ts): positional slots,
 * keyword options (`stride 2`, `stride=2`), bare enum values (`relu`) and `as NAME`. Every problem
 * becomes a diagnostic and binding carries on, so one statement can report several mistakes.
 */
import { diagnostic, didYouMean, hintFor, type Diagnostic, type Span } from "../diagnostics.js";
import type { OptionValue } from "../ir.js";
import type { OptionSpec, Signature } from "./signature.js";
import type { Arg, Statement, Value } from "../syntax/ast.js";
import { coerce, describeValue } from "./coerce.js";

export interface Bound {
  /** Valid options, defaults filled in. */
  readonly options: Record<string, OptionValue>;
  /** Where each written option came from (for later cross-option diagnostics). */
  readonly spans: Record<string, Span>;
  /** Every required option is present and every written one was valid. */
  readonly complete: boolean;
  /** `as NAME`, when allowed and written. */
  readonly name?: { readonly value: string; readonly span: Span };
  /**
   * When not complete: the options whose value is unknown because of the mistakes (a rejected
   * value, a missing required option, the option a misspelt word most likely meant). Lets the
   * checker still infer a shape that does not depend on them (`conv 3x3 8 rleu` is 46x46x8
   * whatever the activation), so later layers and expectations are checked in the same pass.
   */
  readonly unsure: readonly string[];
  /** A mistake that cannot be pinned on an option (an extra value, an unplaceable word). */
  readonly opaque: boolean;
}

export interface BindOptions {
  /** Accept `as NAME` (layers). */
  readonly allowName?: boolean;
}

export function bindStatement(label: string, sig: Signature, stmt: Statement, ds: Diagnostic[], bo: BindOptions = {}): Bound {
  return bindArgs(label, sig, stmt.args, stmt.head.span, ds, bo);
}

export function bindArgs(
  label: string,
  sig: Signature,
  args: readonly Arg[],
  at: Span,
  ds: Diagnostic[],
  bo: BindOptions = {},
): Bound {
  const options: Record<string, OptionValue> = {};
  const spans: Record<string, Span> = {};
  let complete = true;
  let opaque = false;
  const unsure = new Set<string>();
  let name: Bound["name"];
  const positional = sig.options.filter((o) => o.positional);
  const written = new Set<string>();

  const set = (spec: OptionSpec, value: Value | undefined, span: Span): void => {
    if (written.has(spec.name)) {
      ds.push(diagnostic("F0107", `${label}: ${spec.name} is given twice`, span, "remove one of them"));
      complete = false;
      unsure.add(spec.name);
      return;
    }
    written.add(spec.name);
    spans[spec.name] = span;
    const r = value === undefined ? { ok: true as const, value: true } : coerce(label, spec, value, ds);
    if (r.ok) options[spec.name] = r.value;
    else {
      complete = false;
      unsure.add(spec.name);
    }
  };

  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.key) {
      const spec = findOption(sig, a.key.name);
      if (spec) set(spec, a.value, a.span);
      else {
        unknown(label, sig, a.key.name, a.key.span, ds);
        complete = false;
        const meant = meantOption(sig, a.key.name);
        if (meant) unsure.add(meant.name);
        else opaque = true;
      }
      continue;
    }
    const v = a.value;
    if (v.kind === "word") {
      if (bo.allowName && v.name === "as") {
        const next = args[i + 1];
        if (next && !next.key && next.value.kind === "word") {
          name = { value: next.value.name, span: next.value.span };
          i++;
        } else {
          ds.push(diagnostic("F0108", `${label}: "as" needs a layer name`, v.span, "write e.g. `as fc1`"));
          complete = false;
        }
        continue;
      }
      const spec = findOption(sig, v.name);
      if (spec) {
        const next = args[i + 1];
        const nextFree = next !== undefined && !next.key ? next.value : undefined;
        if (spec.type.t === "bool") {
          if (nextFree?.kind === "word" && BOOL_NAMES.has(nextFree.name)) {
            set(spec, nextFree, joinArg(a, next!));
            i++;
          } else set(spec, undefined, v.span);
        } else if (nextFree !== undefined && !(nextFree.kind === "word" && findOption(sig, nextFree.name))) {
          set(spec, nextFree, joinArg(a, next!));
          i++;
        } else {
          ds.push(diagnostic("F0108", `${label}: ${spec.name} needs a value`, v.span, `write e.g. \`${spec.name} ${example(spec)}\``));
          complete = false;
          unsure.add(spec.name);
        }
        continue;
      }
      const bare = sig.options.find((o) => o.bare && o.type.t === "enum" && o.type.values.includes(v.name));
      if (bare) {
        set(bare, v, v.span);
        continue;
      }
      const slot = nextSlot(positional, written);
      if (slot && (slot.type.t === "word" || slot.type.t === "enum")) {
        set(slot, v, v.span);
        continue;
      }
      unknown(label, sig, v.name, v.span, ds);
      complete = false;
      const meant = meantOption(sig, v.name);
      // A word alone with no likely meaning stood for a flag or an enum value written alone.
      const alone = sig.options.filter((o) => !written.has(o.name) && ((o.bare && o.type.t === "enum") || o.type.t === "bool"));
      for (const o of meant ? [meant] : alone) unsure.add(o.name);
      // `strid 2`: a misspelt keyword takes its value with it, rather than leaving `2` behind
      // as a second error ("unexpected number 2") for the same slip.
      const keyword = didYouMean(v.name, sig.options.flatMap((o) => [o.name, ...(o.aliases ?? [])]));
      const after = args[i + 1];
      if (keyword !== undefined && findOption(sig, keyword)?.type.t !== "bool" && after && !after.key && after.value.kind !== "word") i++;
      continue;
    }
    const slot = nextSlot(positional, written);
    if (slot) set(slot, v, v.span);
    else {
      // A value written before the statement came from a repeat variable's list: the mistake
      // is where the variable is used (the argument's own span), the same in every iteration.
      if (v.span.offset < at.offset) {
        const hint = "to set an option from a repeat variable, write the option name before it (`stride s`, `stride=s`)";
        ds.push(diagnostic("F0112", `${label}: unexpected ${describeValue(v)} (a repeat variable's value)`, a.span, hint));
      } else ds.push(diagnostic("F0112", `${label}: unexpected ${describeValue(v)}`, v.span, `usage: ${usageHint(label, sig)}`));
      complete = false;
      opaque = true;
    }
  }

  for (const o of sig.options) {
    if (options[o.name] !== undefined || written.has(o.name)) continue;
    if (o.default !== undefined) options[o.name] = o.default;
    else if (o.required) {
      ds.push(diagnostic("F0108", `${label} needs ${o.positional ? o.name.toUpperCase() : o.name}`, at, `usage: ${usageHint(label, sig)}`));
      complete = false;
      unsure.add(o.name);
    }
  }
  const bound = { options, spans, complete, unsure: [...unsure], opaque };
  return name ? { ...bound, name } : bound;
}

export const BOOL_NAMES: ReadonlySet<string> = new Set(["on", "off", "true", "false", "yes", "no"]);

export function findOption(sig: Signature, word: string): OptionSpec | undefined {
  return sig.options.find((o) => o.name === word || (o.aliases ?? []).includes(word));
}

const nextSlot = (slots: readonly OptionSpec[], written: ReadonlySet<string>): OptionSpec | undefined =>
  slots.find((s) => !written.has(s.name));

/** The option a misspelt word most likely stood for: by its keyword, or by one of its enum values. */
function meantOption(sig: Signature, word: string): OptionSpec | undefined {
  const guess = didYouMean(word, sig.options.flatMap((o) => [o.name, ...(o.aliases ?? []), ...(o.bare && o.type.t === "enum" ? o.type.values : [])]));
  if (guess === undefined) return undefined;
  return findOption(sig, guess) ?? sig.options.find((o) => o.bare && o.type.t === "enum" && o.type.values.includes(guess));
}

function unknown(label: string, sig: Signature, word: string, span: Span, ds: Diagnostic[]): void {
  const candidates = sig.options.flatMap((o) => [o.name, ...(o.bare && o.type.t === "enum" ? o.type.values : [])]);
  const hint = hintFor(word, candidates) ?? (candidates.length ? `${label} takes: ${candidates.join(", ")}` : `${label} takes no options`);
  ds.push(diagnostic("F0106", `${label}: unknown option "${word}"`, span, hint));
}

function joinArg(a: Arg, b: Arg): Span {
  return {
    offset: a.span.offset,
    length: b.span.offset + b.span.length - a.span.offset,
    line: a.span.line,
    column: a.span.column,
    endLine: b.span.endLine,
    endColumn: b.span.endColumn,
  };
}

function example(o: OptionSpec): string {
  switch (o.type.t) {
    case "enum":
      return o.type.values[0]!;
    case "size":
      return "2";
    case "int":
      return String(o.type.min ?? 1);
    default:
      return o.default !== undefined ? String(o.default) : "VALUE";
  }
}

function usageHint(label: string, sig: Signature): string {
  const head = label.split(" ")[0]!;
  return sig.options
    .map((o) => (o.positional ? o.name.toUpperCase() : o.bare ? `[${o.name}]` : `[${o.name} ...]`))
    .reduce((acc, p) => `${acc} ${p}`, head);
}
