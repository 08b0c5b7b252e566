import { FercError } from "../errors.js";

/**
 * Every problem with input data is a DataError that names where it is: `file:row` for CSV rows
 * (row = 1-based line number in the CSV, the header is line 1), or a path for image files and
 * directories. The loader never skips bad input silently; it stops at the first problem.
 */
export class DataError extends FercError {
  readonly kind = "spec";
  /** The file or directory at fault. */
  readonly file: string;
  /** 1-based line number in a CSV file, when the problem is in one row. */
  readonly row?: number;
  /** The offending path inside a folder source (an image file or class directory). */
  readonly path?: string;
  /** The message without the `file:row:` prefix. */
  readonly detail: string;

  constructor(detail: string, where: { file: string; row?: number; path?: string }) {
    const prefix = where.path ?? (where.row === undefined ? where.file : `${where.file}:${where.row}`);
    super(`${prefix}: ${detail}`);
    this.name = "DataError";
    this.file = where.file;
    this.detail = detail;
    if (where.row !== undefined) this.row = where.row;
    if (where.path !== undefined) this.path = where.path;
  }
}
