/** `ferc explain CODE`: a diagnostic code's message form, meaning and example, from src/codes.ts. */
import { CODES, isDiagnosticCode } from "../../codes.js";
import { hintFor } from "../../diagnostics.js";
import { explainText } from "../../render/codes.js";
import { UsageError, type ParsedArgs } from "../args.js";

export async function runExplain(args: ParsedArgs): Promise<number> {
  const given = args.positionals[0]!;
  // f0404 and 404 mean F0404: codes are read back from logs and typed by hand.
  const code = /^\d{3,4}$/.test(given) ? `F${given.padStart(4, "0")}` : given.toUpperCase();
  if (!isDiagnosticCode(code)) {
    const hint = hintFor(code, Object.keys(CODES));
    throw new UsageError(`unknown code "${given}"${hint ? ` (${hint})` : ""}; codes run F0001 to F0904 (docs/codes.md lists them)`);
  }
  process.stdout.write(`${explainText(code)}\n`);
  return 0;
}
