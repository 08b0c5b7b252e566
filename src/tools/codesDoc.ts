/**
 * `npm run codes:doc`: writes docs/codes.md from the code table (src/codes.ts). A test compares
 * the file with what this would write, so an edited row without a regenerated page fails.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { codesMarkdown } from "../render/codes.js";

/** Where the page lives, from src/tools or dist/tools alike. */
export const CODES_DOC = fileURLToPath(new URL("../../docs/codes.md", import.meta.url));

function main(): void {
  writeFileSync(CODES_DOC, codesMarkdown());
  process.stderr.write(`${CODES_DOC}: written\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
