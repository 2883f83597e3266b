/**
 * Cuts a table into batches of about `size` rows in (file_id, line) order, for reads that must not hold a whole
 * large table in DuckDB's memory: a large file is cut into line ranges, answered from the zone maps without
 * sorting; consecutive small files share a batch, since every query has a fixed cost (a few ms to prepare, bind
 * and scan) that a folder of hundreds of small consoles otherwise paid per file and per query kind (an analysis of
 * 400 consoles of 256 KiB spent ~30 s in DuckDB). One small query (rows per file, lowest and highest line) sets
 * every range. Ranges assume rows spread evenly over a file's lines, so a batch holds about `size` rows, more
 * where a file is dense.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * A batch: the rows from (`fromFile`, `fromLine`) inclusive to (`toFile`, `toLine`) exclusive in (file_id, line)
 * order. One file's line range, or whole consecutive files (`toLine` past the last file's last line).
 */
export interface PlaceRange {
  readonly fromFile: string;
  readonly fromLine: number;
  readonly toFile: string;
  readonly toLine: number;
}

/**
 * Consecutive files grouped, in order, so that a group holds at most `size` rows, except a file of more than `size`
 * rows, which is a group of its own.
 */
export function groupFiles<F extends { readonly rows: number }>(files: readonly F[], size: number): F[][] {
  const out: F[][] = [];
  let group: F[] = [];
  let rows = 0;
  for (const f of files) {
    if (group.length > 0 && rows + f.rows > size) {
      out.push(group);
      group = [];
      rows = 0;
    }
    group.push(f);
    rows += f.rows;
  }
  if (group.length > 0) out.push(group);
  return out;
}

/** Every row of `table` is in exactly one range; ranges in (file_id, line) order. */
export async function lineRanges(
  connection: DuckDBConnection,
  table: string,
  line: string,
  size: number,
): Promise<PlaceRange[]> {
  const files = await connection.runAndReadAll(
    `SELECT file_id, min(${line})::BIGINT, max(${line})::BIGINT, count(*)::BIGINT FROM ${table} GROUP BY file_id ORDER BY file_id`,
  );
  const stats = (files.getRowsJS() as [string, bigint, bigint, bigint][]).map(([fileId, lo, hi, count]) => ({
    fileId,
    first: Number(lo),
    end: Number(hi) + 1,
    rows: Number(count),
  }));
  const out: PlaceRange[] = [];
  for (const group of groupFiles(stats, size)) {
    const { fileId, first, end, rows } = group[0]!;
    if (rows > size) {
      const step = Math.max(1, Math.ceil((end - first) / Math.ceil(rows / size)));
      for (let from = first; from < end; from += step)
        out.push({ fromFile: fileId, fromLine: from, toFile: fileId, toLine: Math.min(end, from + step) });
    } else out.push({ fromFile: fileId, fromLine: first, toFile: group.at(-1)!.fileId, toLine: group.at(-1)!.end });
  }
  return out;
}

/**
 * The SQL condition selecting `range`'s rows of a table (`alias`: its alias with the dot, or ''; `line`: its line
 * column), and the parameters it takes as $1 …. Within one file the line bounds alone, which the zone maps answer.
 * `upTo` false: the rows of the range's files from its start on, without its end line (a run's parts may lie after
 * the line where the range's last run starts); its placeholders are numbered as the whole condition's, so the two
 * can share one parameter list.
 */
export function rangeCondition(
  range: PlaceRange,
  alias: string,
  line: string,
  upTo = true,
): { readonly sql: string; readonly params: (string | number)[] } {
  const f = `${alias}file_id`;
  const l = `${alias}${line}`;
  const { fromFile, fromLine, toFile, toLine } = range;
  if (fromFile === toFile) {
    const sql = `${f} = $1 AND ${l} >= $2${upTo ? ` AND ${l} < $3` : ''}`;
    return { sql, params: [fromFile, fromLine, toLine] };
  }
  return {
    sql: `${f} BETWEEN $1 AND $3 AND (${f} <> $1 OR ${l} >= $2)${upTo ? ` AND (${f} <> $3 OR ${l} < $4)` : ''}`,
    params: [fromFile, fromLine, toFile, toLine],
  };
}
