/**
 * Property fuzz with fast-check: token-level specs from the real vocabulary, deep nesting, huge
 * numbers, unicode trouble and very long lines, through the same oracle as the mutation test.
 * A short campaign for CI; `npm run fuzz -- --runs N` runs the long one (src/fuzz/campaign.ts).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { ARBITRARIES } from "../../src/fuzz/generators.js";
import { describeFailure, examine } from "../../src/fuzz/oracle.js";

const RUNS: Record<string, number> = { tokenSpec: 120, nesting: 20, hugeNumbers: 80, unicode: 100, longLines: 4 };

describe("property fuzz", () => {
  for (const [name, arb] of Object.entries(ARBITRARIES)) {
    it(`${name}: check, format and diff hold`, () => {
      fc.assert(
        fc.property(arb, ({ text, original }) => {
          const f = examine(text, original, { timeLimitMs: 5000 });
          if (f) throw new Error(describeFailure(f, 2000));
        }),
        { numRuns: RUNS[name] ?? 100, seed: 20261128 },
      );
    });
  }
});
