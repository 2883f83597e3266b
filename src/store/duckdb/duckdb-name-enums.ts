/**
 * Name columns (file, session, sequence, plugin, event and handler names) read as ENUMs. node-api reads a VARCHAR
 * value over 12 bytes with a native call and a new buffer per row, which made reading large stores mostly string
 * decoding (and garbage); an ENUM value is an index into the type's values, read with neither. A query casts a
 * name column to an ENUM of the values the column holds in the store, listed once per read.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../sql-string.js';

/** Text columns that hold a few repeated names, never ids. */
const NAME_COLUMNS = new Set([
  'file_id',
  'session_id',
  'sequence_name',
  'sequence_id',
  'plugin_id',
  'event',
  'handler',
  'title',
  'name',
]);

/** Distinct values a column is cast to an ENUM with; a column holding more stays text. */
export const ENUM_LIMIT = 4096;

/**
 * `expression` (column `column` of `table`, or a value taken from it) as an ENUM of the distinct values the column
 * holds; `expression` itself when the column is not a name column, holds no value or more than ENUM_LIMIT.
 */
export async function asNameEnum(
  connection: DuckDBConnection,
  table: string,
  column: string,
  expression: string,
): Promise<string> {
  if (!NAME_COLUMNS.has(column)) return expression;
  const rows = (
    await connection.runAndReadAll(
      `SELECT DISTINCT "${column}" FROM ${table} WHERE "${column}" IS NOT NULL LIMIT ${ENUM_LIMIT + 1}`,
    )
  ).getRowsJS();
  if (rows.length === 0 || rows.length > ENUM_LIMIT) return expression;
  return `${expression}::ENUM(${rows.map((r) => sqlString(String(r[0]))).join(', ')})`;
}
