/**
 * The store's tables as Parquet files (zstd) for DuckDB, ClickHouse, Spark or pandas, written by DuckDB's own
 * `COPY … (FORMAT parquet)`: one folder per table, Hive-partitioned by UTC day (`day=2026-11-20/`) when the table
 * has a time (rows without one go to `day=__HIVE_DEFAULT_PARTITION__`, read back as NULL), one `data.parquet`
 * otherwise. The code index goes out as its views (`code_handlers` …), not as the stored JSON snapshot.
 * Columns are the store's (docs/schema.md); the partition column `day` lives in the folder names.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString } from '../sql-string.js';
import type { SqlStore } from '../telemetry-store.js';

/** A table exported, and the epoch-ms column its day comes from (null: not partitioned). */
export interface ParquetTable {
  readonly table: string;
  readonly dayFrom: string | null;
}

export const PARQUET_TABLES: readonly ParquetTable[] = [
  { table: 'files', dayFrom: null },
  { table: 'diagnostics', dayFrom: null },
  { table: 'sessions', dayFrom: 'start_ms' },
  { table: 'plugin_mounts', dayFrom: 'time_ms' },
  { table: 'sequence_registrations', dayFrom: 'time_ms' },
  { table: 'subscriptions', dayFrom: 'time_ms' },
  { table: 'publishes', dayFrom: 'time_ms' },
  { table: 'sequence_runs', dayFrom: 'start_ms' },
  { table: 'movement_runs', dayFrom: 'start_ms' },
  { table: 'beat_runs', dayFrom: 'start_ms' },
  { table: 'handler_runs', dayFrom: 'settled_ms' },
  { table: 'baton_diffs', dayFrom: 'time_ms' },
  { table: 'handler_errors', dayFrom: 'time_ms' },
  { table: 'gaps', dayFrom: 'start_ms' },
  { table: 'log_messages', dayFrom: 'time_ms' },
  { table: 'unknown_lines', dayFrom: null },
  { table: 'code_sequences', dayFrom: null },
  { table: 'code_beats', dayFrom: null },
  { table: 'code_handlers', dayFrom: null },
  { table: 'code_handler_tests', dayFrom: null },
  { table: 'code_tests', dayFrom: null },
  { table: 'code_topics', dayFrom: null },
  { table: 'code_problems', dayFrom: null },
];

export interface ParquetTableWritten extends ParquetTable {
  readonly rows: number;
  /** Folder of the table, relative to the export folder. */
  readonly path: string;
  /** Days written (`YYYY-MM-DD`, ascending), plus null when some rows have no time; [] when not partitioned. */
  readonly days: readonly (string | null)[];
}

/**
 * Writes every table of PARQUET_TABLES into `dir` (an existing folder, which must not hold these tables' folders
 * already: DuckDB refuses to overwrite). Runs on the store's read connection: a read-only store can export.
 */
export async function writeParquetTables(store: SqlStore, dir: string): Promise<ParquetTableWritten[]> {
  const written: ParquetTableWritten[] = [];
  for (const spec of PARQUET_TABLES) {
    const folder = join(dir, spec.table);
    const day = spec.dayFrom === null ? null : `strftime(epoch_ms(${spec.dayFrom}), '%Y-%m-%d')`;
    const days =
      day === null
        ? []
        : (await store.query(`SELECT DISTINCT ${day} AS day FROM ${spec.table} ORDER BY day NULLS LAST`)).map(
            (r) => (r['day'] as string | null) ?? null,
          );
    // An empty table still gets a file, so its columns can be read; DuckDB writes no partition for no rows.
    const copy =
      day === null || days.length === 0
        ? `COPY (SELECT * FROM ${spec.table}) TO ${sqlString(join(folder, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`
        : `COPY (SELECT *, ${day} AS day FROM ${spec.table}) TO ${sqlString(folder)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (day))`;
    if (day === null || days.length === 0) await mkdir(folder, { recursive: true });
    const [row] = await store.query(copy);
    written.push({ ...spec, rows: Number(row?.['Count'] ?? 0), path: `${spec.table}/`, days });
  }
  return written;
}
