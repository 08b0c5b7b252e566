/**
 * Which spelling a spec file is in, by its name, and its syntax tree either way: `.fer` text or
 * `*.fer.yaml`. Both readers only build a syntax tree, so this sits below the checker
 * (src/check/any.ts checks either spelling with it).
 */
import { parse, type ParseResult } from "../syntax/parser.js";
import { fromYaml } from "./read.js";

export const isYamlFile = (file: string | undefined): boolean => file !== undefined && /\.ya?ml$/i.test(file);

export function parseAny(text: string, file?: string): ParseResult {
  return isYamlFile(file) ? fromYaml(text) : parse(text);
}
