/**
 * How much data a source may bring into memory. ferc holds a data set's pixels in memory (FER2013
 * is 35,887 images, 83 MB), so a source is capped: a 5 MB gzip that inflated to 4 GiB of valid
 * rows took 2.2 GB and wrote a 1 GB cache file, even with `--limit 100`. Past the cap the load
 * stops at once with a DataError that names the cap and how to raise it for a genuinely larger
 * data set (FERC_MAX_DATA_MB).
 */

/** Default cap on a source's pixels: 256 MiB, 3x FER2013 (116,508 images of 48x48x1). */
export const DEFAULT_MAX_DATA_MB = 256;

/** Largest image file read (a 16-megapixel JPEG or PNG is well under this). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

/** Most files a folder source may list (hashing lists them all before anything is read). */
export const MAX_FOLDER_FILES = 2_000_000;

/** The cap in bytes: FERC_MAX_DATA_MB when it is a positive number, else the default. */
export function maxSourceBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env["FERC_MAX_DATA_MB"]);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_DATA_MB) * 1024 * 1024);
}

/** The words of a DataError for a source over the cap. */
export function overCapMessage(images: number, rowSize: number, cap: number): string {
  const mb = (b: number) => `${Math.round(b / (1024 * 1024))} MiB`;
  return `more than ${images.toLocaleString("en-US")} images (${mb(images * rowSize)} of pixels at this input size): ferc holds a data set in memory and stops at ${mb(cap)}; set FERC_MAX_DATA_MB to allow more`;
}
