/**
 * Layer names come from the layer's place, never from a global counter, so editing one block
 * never renames layers elsewhere:
 *   top level          flatten1, dense1, dense2, bn1        (per-kind counter of the scope)
 *   repeat iteration i block<i>.conv1, block<i>.bn1, ...      (`repeat N as stage` → stage<i>.)
 *   residual           res1.conv1, res1.proj, res1.proj_bn, res1.act
 *   explicit           `dense 256 relu as fc1` → fc1 (inside a scope: block1.fc1)
 * An explicitly named layer still advances its kind's counter, so naming one layer does not
 * renumber its siblings. Repeat iterations continue counting across repeats in the same scope
 * (a second `repeat` starts at block4 after `repeat 3`).
 */
import { diagnostic, type Diagnostic, type Span } from "../diagnostics.js";

/** tfjs-layers accepts /^[A-Za-z0-9][-A-Za-z0-9._/]*$/; '/' is its own scope separator, so not here. */
export const LAYER_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export class Scope {
  private readonly counters = new Map<string, number>();
  constructor(readonly prefix: string) {}

  /** The next number for `stem` in this scope: conv → 1, 2, ...; block → 1, 2, ... */
  next(stem: string): number {
    const n = (this.counters.get(stem) ?? 0) + 1;
    this.counters.set(stem, n);
    return n;
  }

  child(segment: string): Scope {
    return new Scope(`${this.prefix}${segment}.`);
  }
}

/** The compiled model's input layer (src/compile/tfjs.ts). */
export const INPUT_LAYER_NAME = "input";
const RESERVED = new Set([INPUT_LAYER_NAME]);

/** Every name in the model, for uniqueness (F0113) and expect look-ups. */
export class NameTable {
  private readonly seen = new Map<string, Span>();

  claim(name: string, span: Span, ds: Diagnostic[]): void {
    if (RESERVED.has(name)) {
      ds.push(diagnostic("F0113", `layer name "${name}" is reserved for the model's input layer`, span, "choose another name"));
      return;
    }
    const first = this.seen.get(name);
    if (first) {
      ds.push(
        diagnostic("F0113", `layer name "${name}" is already used (line ${first.line})`, span, "give this layer another name with `as NAME`"),
      );
      return;
    }
    this.seen.set(name, span);
  }

  has(name: string): boolean {
    return this.seen.has(name);
  }

  names(): string[] {
    return [...this.seen.keys()];
  }
}
