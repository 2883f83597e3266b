/**
 * The upgrade of a schema version 1 store to version 2 (schema-version.ts), in place, inside the transaction that
 * opens it for writing: beat-level `No changes` DataBaton rows that name their beat are folded into that beat's row
 * (`baton_unchanged`, `baton_settled_ms`) and deleted, as ingest now folds them. `beat_runs` is rebuilt rather
 * than altered, so its columns keep the order a new store has (DuckDB's appender writes by position).
 */
import { tableSpec } from './entity-tables.js';
import type { SqlDialect } from './sql-dialect.js';

/** What differs between DuckDB and PostgreSQL in the upgrade: their SQL spellings, and how a table is copied. */
export interface UpgradeDialect extends SqlDialect {
  /** ORDER BY of the copy: the rows' stored order. */
  readonly order: string;
  /** Appended to DROP TABLE of the old table (PostgreSQL drops the views reading it, created again after). */
  readonly dropSuffix: string;
}

/** Beat-level rows the builder folds: no key changed, no preview, their beat found. */
const FOLDED = (length: UpgradeDialect['length']) =>
  `level = 'beat' AND beat_run_id IS NOT NULL AND coalesce(preview, '') = ''
  AND ${length('added')} + ${length('updated')} + ${length('removed')} = 0`;

/**
 * Statements of the upgrade, in order; `createBeatRuns` is the CREATE TABLE of version 2's `beat_runs` (no index).
 * The caller then runs its schema statements (indexes and views) and checks the new version.
 */
export function upgradeFromVersion1(dialect: UpgradeDialect, createBeatRuns: string): string[] {
  const spec = tableSpec('beat-run');
  const folded: Record<string, string> = { baton_unchanged: 'coalesce(f.n, 0)', baton_settled_ms: 'f.settled' };
  const names = ['file_id', 'ord', ...spec.columns.map((c) => c.name)];
  const values = names.map((n) => folded[n] ?? `b."${n}"`);
  return [
    'ALTER TABLE beat_runs RENAME TO beat_runs_v1',
    createBeatRuns,
    `INSERT INTO beat_runs (${names.map((n) => `"${n}"`).join(', ')})
SELECT ${values.join(', ')}
FROM beat_runs_v1 b LEFT JOIN (
  SELECT file_id, beat_run_id, CAST(count(*) AS INTEGER) AS n,
    (${dialect.listOf('time_ms', 'line DESC', 'time_ms IS NOT NULL')})[1] AS settled
  FROM baton_diffs WHERE ${FOLDED(dialect.length)} GROUP BY file_id, beat_run_id
) f ON f.file_id = b.file_id AND f.beat_run_id = b.id
ORDER BY ${dialect.order}`,
    `DROP TABLE beat_runs_v1${dialect.dropSuffix}`,
    `DELETE FROM baton_diffs WHERE ${FOLDED(dialect.length)}`,
    'UPDATE schema_version SET version = 2',
  ];
}
