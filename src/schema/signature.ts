/**
 * How a statement's arguments are described: one table of options per statement, each with its
 * type, range and default. The same description drives argument binding (src/schema/bind.ts),
 * diagnostics and the generated docs, so a layer kind or setting declares its syntax once.
 *
 * An option can be written three ways:
 *   positional   `conv 3x3 16`        (options with `positional: true`, filled in declaration order)
 *   keyword      `stride 2`, `stride=2`, and for booleans bare `restore-best` or `bias off`
 *   bare enum    `relu`, `same`       (options with `bare: true`: any of their values alone)
 */
import type { OptionValue } from "../ir.js";

export type ValueType =
  /** Whole number within [min, max]. */
  | { readonly t: "int"; readonly min?: number; readonly max?: number }
  /**
   * Real number within the range; `exclusiveMin`/`exclusiveMax` make the bounds open.
   * `unit` says which unit suffixes are meaningful: `angle` accepts deg and rad and converts to
   * `angleIn`; `percent` accepts `%` (divided by 100). Any other suffix is F0204.
   */
  | {
      readonly t: "number";
      readonly min?: number;
      readonly max?: number;
      readonly exclusiveMin?: boolean;
      readonly exclusiveMax?: boolean;
      readonly unit?: "angle" | "percent";
      readonly angleIn?: "deg" | "rad";
    }
  /** `3x3` or `3` (square): a pair of positive ints. */
  | { readonly t: "size" }
  /** One of a fixed set of words. */
  | { readonly t: "enum"; readonly values: readonly string[] }
  /** `on`/`off`/`true`/`false`/`yes`/`no`; the option name alone means true. */
  | { readonly t: "bool" }
  /** A free word (a metric name, a layer name). */
  | { readonly t: "word" }
  | { readonly t: "string" }
  /** `[1, 2, 3]` of reals >= min. */
  | { readonly t: "numbers"; readonly min?: number };

export interface OptionSpec {
  readonly name: string;
  readonly type: ValueType;
  /** Filled in when the option is not written; absent + not required = stays absent. */
  readonly default?: OptionValue;
  readonly required?: boolean;
  readonly positional?: boolean;
  /** Enum values may be written alone (`relu` for `activation relu`). */
  readonly bare?: boolean;
  /** Other spellings of the keyword (`lr` for `learning-rate`). */
  readonly aliases?: readonly string[];
  readonly doc: string;
}

export interface Signature {
  readonly options: readonly OptionSpec[];
}

export type Options = Readonly<Record<string, OptionValue>>;

/** Typed readers for bound options; binding has already validated and defaulted them. */
export const optNum = (o: Options, k: string): number => {
  const v = o[k];
  return typeof v === "number" ? v : Number.NaN;
};
export const optStr = (o: Options, k: string): string => {
  const v = o[k];
  return typeof v === "string" ? v : "";
};
export const optBool = (o: Options, k: string): boolean => o[k] === true;
export const optPair = (o: Options, k: string): readonly [number, number] => {
  const v = o[k];
  if (Array.isArray(v) && v.length === 2) return [v[0] as number, v[1] as number];
  return typeof v === "number" ? [v, v] : [Number.NaN, Number.NaN];
};

/**
 * Strict readers, for code that runs on a complete binding (a kind's builder, its ONNX export):
 * the binder has filled in every declared option, so a key that is absent or of the wrong type is
 * a misspelt or undeclared option, and throws naming it rather than reading as NaN or "".
 */
export function numberOption(o: Options, k: string): number {
  const v = o[k];
  if (typeof v !== "number") throw new Error(`option ${k}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}
export function pairOption(o: Options, k: string): readonly [number, number] {
  const v = o[k];
  if (typeof v === "number") return [v, v];
  if (typeof v === "object" && v.length === 2) return [v[0]!, v[1]!];
  throw new Error(`option ${k}: expected a size, got ${JSON.stringify(v)}`);
}
export function boolOption(o: Options, k: string): boolean {
  const v = o[k];
  if (typeof v !== "boolean") throw new Error(`option ${k}: expected on or off, got ${JSON.stringify(v)}`);
  return v;
}
export function wordOption<const T extends string>(o: Options, k: string, values: readonly T[]): T {
  const v = o[k];
  const found = values.find((x) => x === v);
  if (found === undefined) throw new Error(`option ${k}: expected one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
  return found;
}

export const BOOL_WORDS: Readonly<Record<string, boolean>> = { on: true, off: false, true: true, false: false, yes: true, no: false };

/** A one-line usage string generated from the signature: `conv KERNEL FILTERS [stride KxK] ...`. */
export function usage(head: string, sig: Signature): string {
  const parts = [head];
  for (const o of sig.options) {
    if (o.positional) parts.push(o.required ? o.name.toUpperCase() : `[${o.name.toUpperCase()}]`);
    else if (o.bare && o.type.t === "enum") parts.push(o.type.values.length <= 4 ? `[${o.type.values.join("|")}]` : `[${o.name.toUpperCase()}]`);
    else if (o.type.t === "bool") parts.push(o.default === true ? `[${o.name} on|off]` : `[${o.name}]`);
    else parts.push(`[${o.name} ${metaFor(o)}]`);
  }
  return parts.join(" ");
}

function metaFor(o: OptionSpec): string {
  switch (o.type.t) {
    case "enum":
      return o.type.values.join("|");
    case "size":
      return "KxK";
    case "int":
      return "N";
    case "number":
      return "X";
    case "numbers":
      return "[X, ...]";
    case "string":
      return '"TEXT"';
    default:
      return "NAME";
  }
}
