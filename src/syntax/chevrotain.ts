/**
 * Chevrotain, loaded from its single-file ESM bundle. The package's default entry is hundreds of
 * small modules (lodash-es included) that cost ~250 ms to load, most of `ferc check`'s start-up
 * budget; the bundle, shipped in the same package, loads in ~20 ms. The package's `exports` map
 * hides the bundle, so it is found next to the resolved entry; if that ever fails (another
 * layout, a test runner without import.meta.resolve) the normal entry is used.
 */
import type * as Chevrotain from "chevrotain";

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve("chevrotain");
    return (await import(new URL("../chevrotain.mjs", entry).href)) as typeof Chevrotain;
  } catch {
    return await import("chevrotain");
  }
}

const chevrotain = await load();
export const { createToken, Lexer, CstParser, EOF } = chevrotain;
