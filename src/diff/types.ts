/** The result of a semantic diff: plain JSON data, so `--format json` prints it as is. */
import type { Diagnostic } from "../diagnostics.js";
import type { ParamTotals, Shape } from "../ir.js";

/** A JSON value as found in the IR (numbers, strings, booleans, arrays, objects). */
export type DiffValue = number | string | boolean | null | readonly DiffValue[] | { readonly [k: string]: DiffValue };

/** A non-layer setting, by its IR path: `train.batch`, `augment.rotateDeg`, `dataset.split.val`. */
export interface SettingChange {
  readonly path: string;
  /** Absent when the setting did not exist on that side (e.g. `train.earlyStop`). */
  readonly old?: DiffValue;
  readonly new?: DiffValue;
}

export interface OptionChange {
  readonly option: string;
  readonly old?: DiffValue;
  readonly new?: DiffValue;
}

export interface LayerChange {
  /**
   * added / removed: the layer exists on one side only. changed: its options (or name) were
   * edited. affected: nothing was edited on it, but its shape or parameter count changed because
   * of an edit upstream (the checker's consequence of another change).
   */
  readonly status: "added" | "removed" | "changed" | "affected";
  /** The new name (the old one for a removed layer). */
  readonly name: string;
  /** Set when a matched layer has a different name on the old side. */
  readonly oldName?: string;
  readonly kind: string;
  /** Nesting depth inside containers (residual branches), for indentation. */
  readonly depth: number;
  readonly options: readonly OptionChange[];
  /** Output shapes (absent on the side where the layer does not exist). */
  readonly oldShape?: Shape;
  readonly newShape?: Shape;
  readonly oldParams: number;
  readonly newParams: number;
}

export interface SideInfo {
  /** What the user named: a path, `HEAD~1`, `main:specs/x.fer`. */
  readonly label: string;
  /** The spec's name when it checked. */
  readonly spec?: string;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Errors from `expect` assertions that no longer hold. Such a side is still diffed (with
   * the IR checked without its expect section), since stale counts are what a review is for.
   */
  readonly failedExpect?: readonly Diagnostic[];
}

export interface DiffResult {
  /** Both sides checked without errors; otherwise only `old`/`new` diagnostics are meaningful. */
  readonly ok: boolean;
  /** ok and no semantic difference at all (pure reformatting, comments, reordered settings). */
  readonly equivalent: boolean;
  readonly old: SideInfo;
  readonly new: SideInfo;
  readonly settings: readonly SettingChange[];
  readonly layers: readonly LayerChange[];
  readonly totals?: { readonly old: ParamTotals; readonly new: ParamTotals };
  /** Model output shape, when it changed. */
  readonly output?: { readonly old: Shape; readonly new: Shape };
}
