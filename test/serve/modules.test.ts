/**
 * The modules `ferc serve` sends the page (server.ts LIB_MODULES, compiled in dist/) import
 * nothing at run time but each other: the browser has no node_modules and no Node built-ins,
 * and resolves every import under /lib/. The page itself runs them in test/serve/browser.test.ts.
 */
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LIB_MODULES } from "../../src/serve/server.js";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

describe("the page's modules", () => {
  it.each(LIB_MODULES)("%s imports only other page modules", (m) => {
    const text = readFileSync(join(DIST, m), "utf8");
    const specs = [...text.matchAll(/(?:^|;|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']/g)].map((x) => x[1] ?? x[2]!);
    for (const s of specs) {
      expect(s, `${m} imports ${s}`).toMatch(/^\.\.?\//);
      expect(LIB_MODULES as readonly string[]).toContain(normalize(join(dirname(m), s)));
    }
  });

  it("the detector, the crop rule, the preprocessing and the views are among them", () => {
    expect(LIB_MODULES).toEqual(expect.arrayContaining(["face/detector.js", "face/faces.js", "face/region.js", "face/views.js", "data/preprocess.js"]));
  });
});
