import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/cli/duration.js";

describe("parseDuration (--time-limit)", () => {
  it.each([
    ["90s", 90_000],
    ["45m", 2_700_000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    [" 10M ", 600_000],
  ])("%s = %i ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "90", "m", "1x", "1h 30m", "-5m", "0s", "1h30", "h1"])("rejects %j", (text) => expect(parseDuration(text)).toBeNull());
});
