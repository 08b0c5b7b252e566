/** Shapes of the data that flows from the sources through cleaning to the trainer. */

/** One split's images: raw 0..255 bytes in NHWC order plus one class index per image. */
export interface Split {
  readonly n: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** n * height * width * channels bytes, NHWC. */
  readonly pixels: Uint8Array;
  /** n class indices into `DatasetIR.classes`. */
  readonly labels: Uint8Array;
}

export type SplitName = "train" | "val" | "test";
export type PerSplit<T> = { train: T; val: T; test: T };

/**
 * Everything a source produced before splitting: images tagged with a `group` (the CSV `Usage`
 * value, the folder's top-level directory, or the synthetic pool). Groups are mapped to splits by
 * the spec's split rules afterwards, so one parse (and one cache entry) serves any split rules.
 */
export interface SourceImages {
  readonly n: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  /** Index into `groupNames` per image. */
  readonly groups: Uint8Array;
  readonly groupNames: readonly string[];
  /** Where each group was first seen (CSV line number), for error messages; -1 when unknown. */
  readonly groupFirstRow: readonly number[];
  readonly conversions: Conversions;
}

/** Documented, counted conversions a folder source applies instead of failing. */
export interface Conversions {
  /** Colour images converted to grey with ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B). */
  colourToGrey: number;
  /** Grey images replicated to 3 channels because the input declares 3. */
  greyToColour: number;
  /** Images whose size differed from the input, bilinearly resized. */
  resized: number;
}

export interface DataReport {
  /** Human description of the source, e.g. `csv /data/fer2013.csv.gz (sha256 1a2b3c...)`. */
  readonly source: string;
  readonly cache: "hit" | "miss" | "off";
  /** Images per split after splitting, before cleaning. */
  readonly before: PerSplit<number>;
  /** Images per split after cleaning (what the trainer sees). */
  readonly after: PerSplit<number>;
  readonly droppedBlank: PerSplit<number>;
  readonly droppedDuplicates: {
    /** Later copies of an image already in the same split. */
    readonly withinSplit: PerSplit<number>;
    /** Train images whose exact copy is in val or test (removed from train to avoid leakage). */
    readonly trainInValOrTest: number;
    /** Images that appear in both val and test (kept; reported for information). */
    readonly valTestShared: number;
  };
  readonly conversions: Conversions;
  /** The spec's `clean { test keep|clean }`: whether the drops applied to the test split. */
  readonly test: "kept whole" | "cleaned";
}

export interface LoadedDataset {
  readonly train: Split;
  readonly val: Split;
  readonly test: Split;
  readonly report: DataReport;
  /** sha256 (hex) of the source content (file bytes, folder files, or synthetic parameters). */
  readonly hash: string;
}

export type ProgressFn = (p: { phase: string; done: number; total?: number }) => void;
