/** Telling an ensemble file from a spec: it starts with `ensemble NAME`. Only the parser is loaded. */
import type { Document } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";

export function isEnsembleDocument(doc: Document): boolean {
  return doc.statements[0]?.head.name === "ensemble";
}

export const isEnsembleText = (text: string): boolean => isEnsembleDocument(parse(text).document);
