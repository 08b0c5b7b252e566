/**
 * tfjs draws every unseeded random number (weight initialisers, dropout masks) from
 * `Math.random()` (it seeds its own alea generator with it). Swapping `Math.random` for a seeded
 * stream while those synchronous sections run makes initialisation and dropout repeatable, and
 * the stream's state is saved in checkpoints so a resumed run draws the same masks.
 * Only synchronous code runs inside, so nothing else in the process sees the swap.
 */
import type { Rng } from "../util/rng.js";

export function withSeededRandom<T>(rng: Rng, fn: () => T): T {
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
