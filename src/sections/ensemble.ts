/**
 * An ensemble file: a `.fer` document that starts with `ensemble NAME` instead of `spec NAME` and
 * names its members in a `members { }` block: trained run records (`run "PATH"`) and specs to
 * train, once per seed (`spec "PATH" seeds [1, 2, 3]`). Paths are relative to the file's
 * directory, as a spec's data source is. `ferc check` reads the members (src/ensemble/file.ts),
 * `ferc ensemble` trains what it must and writes the ensemble record.
 *
 *   ensemble vgg-wide-trio
 *   members {
 *     run "../runs/vgg-wide-20261201-105427"
 *     spec "../specs/vgg-wide.fer" seeds [1, 2]
 *   }
 */
import { diagnostic, type Span } from "../diagnostics.js";
import type { Signature } from "../schema/signature.js";
import { kw, list, num, stmt, str } from "../schema/build.js";
import type { SectionInfo, SectionSchema, StatementSchema } from "../schema/section.js";

export type EnsembleMemberIR =
  /** A trained run record, used as it is. */
  | { readonly kind: "run"; readonly path: string; readonly span: Span }
  /** A spec, trained once per seed (its own seed when none are given). */
  | { readonly kind: "spec"; readonly path: string; readonly seeds?: readonly number[]; readonly span: Span };

export interface EnsembleFileIR {
  readonly name: string;
  readonly members: readonly EnsembleMemberIR[];
}

/** The members block's IR under construction. */
export interface MembersDraft {
  members: EnsembleMemberIR[];
}

const PATH_OPTION = { name: "path", type: { t: "string" }, required: true, positional: true } as const;

export const RUN_MEMBER_SIG: Signature = {
  options: [{ ...PATH_OPTION, doc: "a trained run record (its directory), used as it is: its best checkpoint, its preprocessing and test-time views" }],
};

export const SPEC_MEMBER_SIG: Signature = {
  options: [
    { ...PATH_OPTION, doc: "a spec file, trained by ferc ensemble" },
    { name: "seeds", type: { t: "numbers", min: 0 }, doc: "train it once per seed, each a member (default: once, with the spec's own seed)" },
  ],
};

type Member = StatementSchema<MembersDraft, EnsembleFileIR>;

const MEMBER_STATEMENTS: readonly Member[] = [
  {
    head: "run",
    signature: RUN_MEMBER_SIG,
    repeatable: true,
    toIR: (ir, s, b) => {
      if (b) ir.members.push({ kind: "run", path: b.options["path"] as string, span: s.span });
    },
  },
  {
    head: "spec",
    signature: SPEC_MEMBER_SIG,
    repeatable: true,
    toIR: (ir, s, b, cx) => {
      if (!b) return;
      const seeds = b.options["seeds"] as readonly number[] | undefined;
      const at = b.spans["seeds"] ?? s.span;
      if (seeds !== undefined) {
        if (seeds.length === 0) return void cx.ds.push(diagnostic("F0202", "seeds needs at least one seed", at, "e.g. seeds [1, 2, 3]"));
        const bad = seeds.find((x) => !Number.isInteger(x) || x > 2 ** 31 - 1);
        if (bad !== undefined) return void cx.ds.push(diagnostic("F0202", `seed ${bad} is not a whole number in 0..${2 ** 31 - 1}`, at));
        const twice = seeds.find((x, i) => seeds.indexOf(x) !== i);
        if (twice !== undefined) return void cx.ds.push(diagnostic("F0202", `seed ${twice} is given twice: the same spec and seed train the same member`, at));
      }
      ir.members.push({ kind: "spec", path: b.options["path"] as string, ...(seeds !== undefined ? { seeds } : {}), span: s.span });
    },
  },
];

export const ENSEMBLE_MEMBERS: SectionSchema<MembersDraft, EnsembleFileIR> = {
  name: "members",
  summary: "an ensemble file's members, in order: trained run records and specs to train",
  sorted: false,
  statements: MEMBER_STATEMENTS,
  defaults: () => ({ members: [] }),
  fromIR: (ir) => ir.members.map((m) => (m.kind === "run" ? stmt("run", [str(m.path)]) : stmt("spec", [str(m.path), ...(m.seeds ? [kw("seeds", list(m.seeds.map((x) => num(x))))] : [])]))),
};

/** The sections of an ensemble file, for the vocabulary reference. */
export const ENSEMBLE_NAME: SectionInfo = { name: "ensemble", summary: "an ensemble file's name, in place of spec NAME: ensemble vgg-wide-trio (its record is runs/NAME-<timestamp>/)", sorted: false, statements: [] };
