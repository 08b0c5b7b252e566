import { describe, expect, it } from "vitest";
import { createRng, createRngFromState } from "../../src/util/rng.js";

describe("rng", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const sa = Array.from({ length: 10 }, () => a.next());
    const sb = Array.from({ length: 10 }, () => b.next());
    const sc = Array.from({ length: 10 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it("next() is in [0,1) with mean ~0.5; int(n) in range", () => {
    const r = createRng(1);
    let sum = 0;
    for (let i = 0; i < 100000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 100000 - 0.5)).toBeLessThan(0.01);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[r.int(7)]++;
    for (const k of counts) expect(Math.abs(k - 10000)).toBeLessThan(500);
    expect(() => r.int(0)).toThrow();
  });

  it("normal() has mean 0, std 1", () => {
    const r = createRng(7);
    let s = 0, s2 = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(s2 / n - (s / n) ** 2) - 1)).toBeLessThan(0.02);
  });

  it("shuffle is a permutation, deterministic, works on typed arrays", () => {
    const arr = Array.from({ length: 100 }, (_, i) => i);
    createRng(3).shuffle(arr);
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const t = Uint32Array.from({ length: 100 }, (_, i) => i);
    createRng(3).shuffle(t);
    expect(Array.from(t)).toEqual(arr);
  });

  it("resumes exactly from getState()", () => {
    const r = createRng(99);
    for (let i = 0; i < 37; i++) r.next();
    const state = r.getState();
    const resumed = createRngFromState(JSON.parse(JSON.stringify(state)));
    for (let i = 0; i < 50; i++) expect(resumed.next()).toBe(r.next());
    expect(resumed.normal()).toBe(r.normal());
    expect(() => createRngFromState([1, 2, 3])).toThrow();
  });
});
