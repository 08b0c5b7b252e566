/** Turning one syntax value into an option value of a declared type, with range and unit checks. */
import { diagnostic, hintFor, type Diagnostic } from "../diagnostics.js";
import type { OptionValue } from "../ir.js";
import { BOOL_WORDS, type OptionSpec, type ValueType } from "./signature.js";
import type { NumberValue, Value } from "../syntax/ast.js";

export type Coerced = { readonly ok: true; readonly value: OptionValue } | { readonly ok: false };
const bad: Coerced = { ok: false };

export function describeValue(v: Value): string {
  switch (v.kind) {
    case "number":
      return `number ${v.raw}${v.unit ?? ""}`;
    case "dims":
      return `size ${v.raw}`;
    case "string":
      return `string ${JSON.stringify(v.value)}`;
    case "word":
      return `word "${v.name}"`;
    case "list":
      return "list";
  }
}

export function coerce(label: string, spec: OptionSpec, v: Value, ds: Diagnostic[]): Coerced {
  const t = spec.type;
  const what = `${label}: ${spec.name}`;
  const wrong = (expected: string): Coerced => {
    ds.push(diagnostic("F0201", `${what} expects ${expected}, got ${describeValue(v)}`, v.span));
    return bad;
  };
  switch (t.t) {
    case "int": {
      if (v.kind !== "number") return wrong("a whole number");
      if (!noUnit(what, v, ds)) return bad;
      if (!Number.isInteger(v.value)) return wrong("a whole number");
      return inRange(what, v, v.value, t, ds);
    }
    case "number": {
      if (v.kind !== "number") return wrong("a number");
      const n = withUnit(what, v, t, ds);
      return n === undefined ? bad : inRange(what, v, n, t, ds);
    }
    case "size": {
      if (v.kind === "number") {
        if (!noUnit(what, v, ds)) return bad;
        if (!Number.isInteger(v.value) || v.value < 1) return range(what, v, "a positive whole number", ds);
        return { ok: true, value: [v.value, v.value] };
      }
      if (v.kind !== "dims") return wrong("a size like 3 or 3x3");
      if (v.dims.length !== 2) return wrong("a 2-D size like 3x3");
      if (v.dims.some((d) => d < 1)) return range(what, v, "positive sizes", ds);
      return { ok: true, value: [...v.dims] };
    }
    case "enum": {
      const word = v.kind === "word" ? v.name : v.kind === "string" ? v.value : undefined;
      if (word === undefined) return wrong(`one of ${t.values.join(", ")}`);
      if (t.values.includes(word)) return { ok: true, value: word };
      ds.push(diagnostic("F0203", `${what} "${word}" is not one of ${t.values.join(", ")}`, v.span, hintFor(word, t.values) ?? `use ${t.values.join(" or ")}`));
      return bad;
    }
    case "bool": {
      if (v.kind === "word" && v.name in BOOL_WORDS) return { ok: true, value: BOOL_WORDS[v.name]! };
      return wrong("on or off");
    }
    case "word":
      if (v.kind === "word") return { ok: true, value: v.name };
      if (v.kind === "string") return { ok: true, value: v.value };
      return wrong("a name");
    case "string":
      if (v.kind === "string") return { ok: true, value: v.value };
      return wrong('a quoted string like "data/fer2013.csv"');
    case "numbers": {
      if (v.kind !== "list") return wrong("a list like [1, 2, 3]");
      const out: number[] = [];
      let okAll = true;
      for (const item of v.items) {
        if (item.kind !== "number" || item.unit !== undefined) {
          ds.push(diagnostic("F0201", `${what} expects numbers in the list, got ${describeValue(item)}`, item.span));
          okAll = false;
        } else if (t.min !== undefined && item.value < t.min) {
          ds.push(diagnostic("F0202", `${what} values must be at least ${t.min}, got ${item.raw}`, item.span));
          okAll = false;
        } else out.push(item.value);
      }
      return okAll ? { ok: true, value: out } : bad;
    }
  }
}

function noUnit(what: string, v: NumberValue, ds: Diagnostic[]): boolean {
  if (v.unit === undefined) return true;
  ds.push(diagnostic("F0204", `${what} takes no unit, got ${v.raw}${v.unit}`, v.span, `write ${v.raw}`));
  return false;
}

/** Applies the unit (deg/rad conversion, % → fraction); undefined when the unit does not fit. */
function withUnit(what: string, v: NumberValue, t: Extract<ValueType, { t: "number" }>, ds: Diagnostic[]): number | undefined {
  if (v.unit === undefined) return v.value;
  if (t.unit === "angle" && (v.unit === "deg" || v.unit === "rad")) {
    const target = t.angleIn ?? "deg";
    if (v.unit === target) return v.value;
    return target === "deg" ? (v.value * 180) / Math.PI : (v.value * Math.PI) / 180;
  }
  if (t.unit === "percent" && v.unit === "%") return v.value / 100;
  const allowed = t.unit === "angle" ? "deg or rad" : t.unit === "percent" ? "%" : "no unit";
  ds.push(diagnostic("F0204", `${what} takes ${allowed}, got ${v.raw}${v.unit}`, v.span, t.unit ? undefined : `write ${v.raw}`));
  return undefined;
}

function inRange(what: string, v: Value, n: number, t: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }, ds: Diagnostic[]): Coerced {
  const lowOk = t.min === undefined || (t.exclusiveMin ? n > t.min : n >= t.min);
  const highOk = t.max === undefined || (t.exclusiveMax ? n < t.max : n <= t.max);
  if (lowOk && highOk) return { ok: true, value: n };
  const lo = t.min === undefined ? "" : `${t.exclusiveMin ? "(" : "["}${t.min}`;
  const hi = t.max === undefined ? "" : `${t.max}${t.exclusiveMax ? ")" : "]"}`;
  const expected = lo && hi ? `in ${lo}, ${hi}` : lo ? (t.exclusiveMin ? `greater than ${t.min}` : `at least ${t.min}`) : t.exclusiveMax ? `less than ${t.max}` : `at most ${t.max}`;
  return range(what, v, expected, ds, n);
}

function range(what: string, v: Value, expected: string, ds: Diagnostic[], n?: number): Coerced {
  const got = n !== undefined && v.kind === "number" && n !== v.value ? `${formatNum(n)} (${v.raw}${v.unit ?? ""})` : v.kind === "number" ? `${v.raw}${v.unit ?? ""}` : v.kind === "dims" ? v.raw : describeValue(v);
  ds.push(diagnostic("F0202", `${what} must be ${expected}, got ${got}`, v.span));
  return bad;
}

const formatNum = (n: number): string => String(Number(n.toPrecision(6)));
