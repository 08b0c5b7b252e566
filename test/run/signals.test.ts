import { describe, expect, it } from "vitest";
import { stopOnSignals } from "../../src/run/signals.js";

describe("stopOnSignals", () => {
  it("first SIGINT aborts (stop after the batch), a second one calls onSecond", () => {
    let forced = 0;
    const s = stopOnSignals(() => forced++);
    try {
      expect(s.signal.aborted).toBe(false);
      process.emit("SIGINT", "SIGINT");
      expect(s.signal.aborted).toBe(true);
      expect(s.received()).toBe("SIGINT");
      expect(forced).toBe(0);
      process.emit("SIGTERM", "SIGTERM");
      expect(forced).toBe(1);
    } finally {
      s.dispose();
    }
    expect(process.listenerCount("SIGINT")).toBe(0);
  });
});
