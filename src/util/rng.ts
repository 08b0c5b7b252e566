/**
 * A small, fast, seeded PRNG (sfc32, 128-bit state) so every random choice in ferc (splits,
 * synthetic faces, shuffles, augmentation) is reproducible from one seed, and a run can be
 * resumed exactly from `getState()`.
 *
 * Why not Math.random: it cannot be seeded. Why sfc32: passes PractRand/BigCrush, 4 x uint32
 * state that serialises as plain JSON, and only 32-bit integer ops (fast in V8).
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). `n` must be a positive integer. */
  int(n: number): number;
  /** Standard normal (mean 0, std 1), Box-Muller. Stateless apart from the generator itself. */
  normal(): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(arr: T[]): T[];
  shuffle<A extends { length: number; [i: number]: number }>(arr: A): A;
  /** The 4 x uint32 generator state; `createRngFromState(state)` continues the exact sequence. */
  getState(): number[];
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
  }

  /** Next raw uint32. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.nextU32() / 4294967296;
  }

  int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    // Float multiply is unbiased enough for n << 2^32 (bias < n / 2^32) and much cheaper than rejection.
    return Math.floor(this.next() * n);
  }

  normal(): number {
    // Box-Muller without caching the second value, so the state is exactly the 4 words.
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffle<T>(arr: T[]): T[];
  shuffle<A extends { length: number; [i: number]: number }>(arr: A): A;
  shuffle(arr: { length: number; [i: number]: unknown }): unknown {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  getState(): number[] {
    return [this.a, this.b, this.c, this.d];
  }
}

/** A generator seeded from any number (integers recommended; non-integers are truncated to 32 bits). */
export function createRng(seed: number): Rng {
  // splitmix32 expands one seed into 4 well-mixed words; then discard 12 outputs to decorrelate
  // nearby seeds (the usual sfc32 warm-up).
  let s = (Math.trunc(seed) | 0) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const rng = new Sfc32(splitmix(), splitmix(), splitmix(), splitmix());
  for (let i = 0; i < 12; i++) rng.nextU32();
  return rng;
}

/** Resume a generator from `getState()`. Throws on a malformed state. */
export function createRngFromState(state: readonly number[]): Rng {
  if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new RangeError(`createRngFromState: expected 4 uint32 words, got ${JSON.stringify(state)}`);
  }
  return new Sfc32(state[0]!, state[1]!, state[2]!, state[3]!);
}
