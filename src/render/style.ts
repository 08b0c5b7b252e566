/**
 * Terminal colour for everything ferc prints to people: diagnostics, the layer table, verdicts.
 * A Style is a set of wrappers, so a renderer writes the same text with or without colour.
 */

export interface Style {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly blue: (s: string) => string;
  readonly green: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export const PLAIN: Style = { red: plain, yellow: plain, blue: plain, green: plain, bold: plain, dim: plain };
export const COLOR: Style = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  green: wrap(32, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

/** Colour only for a terminal, unless NO_COLOR / FORCE_COLOR say otherwise. */
export function styleFor(stream: NodeJS.WriteStream): Style {
  if (process.env["NO_COLOR"]) return PLAIN;
  if (process.env["FORCE_COLOR"] && process.env["FORCE_COLOR"] !== "0") return COLOR;
  return stream.isTTY ? COLOR : PLAIN;
}
