/**
 * Every section of a spec, in canonical order: the checker's section list, fmt's order, the
 * YAML form, the fuzzer's vocabulary and grammar/vocabulary.md all come from this table.
 * Adding a setting is one statement in its section's file; adding a section, its file plus one
 * line here.
 */
import { LAYER_KINDS } from "../layers/registry.js";
import { AUGMENT } from "./augment.js";
import { DATASET } from "./dataset.js";
import { EXPECT } from "./expect.js";
import { PREPROCESS } from "./preprocess.js";
import type { SectionInfo, StatementInfo } from "../schema/section.js";
import { SWEEP } from "./sweep.js";
import { TRAIN } from "./train.js";

export interface TopSection {
  readonly info: SectionInfo;
  /** A spec without it is refused (F0104). */
  readonly required: boolean;
  /**
   * name: `spec NAME`, no block; settings: a block of statements; layers: a block of layer
   * statements in written order (a list in the YAML form).
   */
  readonly form: "name" | "settings" | "layers";
}

const SPEC: SectionInfo = { name: "spec", summary: "the spec's name: spec vgg-small", sorted: false, statements: [] };

/** `repeat N [as NAME] [with VAR = [...] ...] { ... }` beside the layer kinds. */
const REPEAT: StatementInfo = {
  head: "repeat",
  usage: "repeat N [as NAME] [with VAR = [V1, ...] ...]",
  doc: "the block N times, named NAME1, NAME2, ... (default block); each VAR takes its list's i-th value in iteration i",
  words: ["as", "with"],
  block: true,
};

const MODEL: SectionInfo = {
  name: "model",
  summary: "the layer stack, in order",
  sorted: false,
  statements: [...LAYER_KINDS.map((k): StatementInfo => ({ head: k.kind, signature: k.signature, ...(k.container ? { block: true } : {}), repeatable: true })), { ...REPEAT, repeatable: true }],
};

export const SECTIONS: readonly TopSection[] = [
  { info: SPEC, required: true, form: "name" },
  { info: DATASET, required: true, form: "settings" },
  { info: PREPROCESS, required: false, form: "settings" },
  { info: AUGMENT, required: false, form: "settings" },
  { info: MODEL, required: true, form: "layers" },
  { info: TRAIN, required: true, form: "settings" },
  { info: EXPECT, required: false, form: "settings" },
  { info: SWEEP, required: false, form: "settings" },
];

export const SECTION_NAMES: readonly string[] = SECTIONS.map((s) => s.info.name);

export const topSection = (name: string): TopSection | undefined => SECTIONS.find((s) => s.info.name === name);

/** The section nested under `path` (`["dataset", "split"]`), or the top-level one for a one-name path. */
export function sectionAt(path: readonly string[]): SectionInfo | undefined {
  let s = topSection(path[0] ?? "")?.info;
  for (const head of path.slice(1)) s = s?.statements.find((st) => st.head === head)?.section;
  return s;
}

/** Every section with its nested ones, depth first (`dataset`, `split`, `clean`, ...). */
export function allSections(): SectionInfo[] {
  const out: SectionInfo[] = [];
  const visit = (s: SectionInfo): void => {
    out.push(s);
    for (const st of s.statements) if (st.section) visit(st.section);
  };
  for (const t of SECTIONS) visit(t.info);
  return out;
}
