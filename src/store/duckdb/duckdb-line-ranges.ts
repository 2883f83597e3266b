/**
 * Cuts a table into (file_id, line range) batches of about `size` rows, in (file_id, line) order, for reads that
 * must not hold a whole large table in DuckDB's memory: a range on (file_id, line) is answered from the zone maps
 * without sorting, and one small query (rows per file, lowest and highest line) sets every range. Ranges assume
 * rows spread evenly over a file's lines, so a batch holds about `size` rows, more where a file is dense.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** `[file_id, first line, line after the last]` per batch; every row of `table` is in exactly one. */
export async function lineRanges(
  connection: DuckDBConnection,
  table: string,
  line: string,
  size: number,
): Promise<[string, number, number][]> {
  const files = await connection.runAndReadAll(
    `SELECT file_id, min(${line})::BIGINT, max(${line})::BIGINT, count(*)::BIGINT FROM ${table} GROUP BY file_id ORDER BY file_id`,
  );
  const out: [string, number, number][] = [];
  for (const [fileId, lo, hi, n] of files.getRowsJS() as [string, bigint, bigint, bigint][]) {
    const first = Number(lo);
    const end = Number(hi) + 1;
    const step = Math.max(1, Math.ceil((end - first) / Math.max(1, Math.ceil(Number(n) / size))));
    for (let from = first; from < end; from += step) out.push([fileId, from, Math.min(end, from + step)]);
  }
  return out;
}
