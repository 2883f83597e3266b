/**
 * A stored file's record as SQL values, shared by the DuckDB and PostgreSQL writers (docs/schema.md `files`).
 */
import type { FileInfo } from '../model/index.js';

/** A `files` row's values, in the table's column order. */
export function fileRowValues(file: FileInfo): unknown[] {
  return [
    file.fileId,
    file.path,
    file.sizeBytes,
    file.mtimeMs,
    file.format,
    file.encoding,
    file.gzip,
    file.lines,
    file.linesRecognized,
    file.linesUnknown,
  ];
}

/** `($1, $2), ($3, $4)` for 2 rows of 2 columns: the VALUES of a multi-row INSERT. */
export function valuesPlaceholders(rows: number, columns: number): string {
  return Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`,
  ).join(', ');
}
