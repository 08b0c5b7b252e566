/** The suite's worker count (test/setup/workers.ts): half the cores at most, fewer under load, at least one. */
import { describe, expect, it } from "vitest";
import { testWorkers } from "../setup/workers.js";

describe("test workers", () => {
  it("a quiet machine gets half its cores", () => {
    expect(testWorkers({}, 16, 0.2)).toBe(8);
    expect(testWorkers({}, 2, 0)).toBe(1);
  });

  it("a busy machine gets fewer, never none", () => {
    expect(testWorkers({}, 16, 12.5)).toBe(3);
    expect(testWorkers({}, 2, 4.8)).toBe(1);
  });

  it("FERC_TEST_WORKERS overrides; a value that is not a positive integer is ignored", () => {
    expect(testWorkers({ FERC_TEST_WORKERS: "3" }, 2, 4)).toBe(3);
    expect(testWorkers({ FERC_TEST_WORKERS: "0" }, 16, 0)).toBe(8);
    expect(testWorkers({ FERC_TEST_WORKERS: "many" }, 16, 0)).toBe(8);
  });
});
