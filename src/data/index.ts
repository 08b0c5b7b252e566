/** The data pipeline: sources (CSV, image folder, synthetic), cache, cleaning, preprocessing, augmentation. */
export { DataError } from "./errors.js";
export type { Conversions, DataReport, LoadedDataset, PerSplit, ProgressFn, SourceImages, Split, SplitName } from "./types.js";
export { loadDataset, resolveSource, PARSER_VERSION, type LoadOptions } from "./load.js";
export { parseFerCsv, isGzipFile, type CsvParseOptions } from "./csv.js";
export { readImageFolder, type FolderOptions } from "./folder.js";
export { generateSynthetic, SYNTHETIC_POOLS, type SyntheticOptions } from "./synthetic.js";
export { applySplitRules, checkGroupsSelected, FRACTION_SPLIT_SEED } from "./split.js";
export { dropBlank, dropDuplicates, isBlank, type DuplicateResult } from "./clean.js";
export { defaultCacheDir, readCache, writeCache, cacheFilePath } from "./cache.js";
export { contentHash } from "./hash.js";
export { fitPreprocess, applyPreprocess, type PreprocessStats, type ChannelStats } from "./preprocess.js";
export { augmentBatch, sampleAffine, inverseAffine, warpAffine, randomErase, IDENTITY_AFFINE, type AffineParams } from "./augment.js";
export { formatDataReport } from "./report.js";
