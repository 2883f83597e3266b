/**
 * `StoreSummary` as SQL aggregates on PostgreSQL: the DuckDB store's queries (duckdb/duckdb-summary.ts), with the
 * subquery alias PostgreSQL 15 requires. Must agree with `summarize()`; the store contract compares them.
 */
import type { Pool } from 'pg';
import type { StoreSummary } from '../../model/index.js';
import { sortedDistinct } from '../summarize.js';
import type { Row } from '../telemetry-store.js';

const COUNTS_SQL = `SELECT
  (SELECT count(*) FROM files) AS files,
  (SELECT coalesce(sum(lines), 0) FROM files) AS lines,
  (SELECT coalesce(sum(lines_recognized), 0) FROM files) AS lines_recognized,
  (SELECT coalesce(sum(lines_unknown), 0) FROM files) AS lines_unknown,
  (SELECT count(*) FROM sessions) AS sessions,
  (SELECT count(*) FROM plugin_mounts) AS plugin_mount_attempts,
  (SELECT count(*) FROM plugin_mounts WHERE status = 'succeeded') AS plugin_mounts_succeeded,
  (SELECT count(*) FROM plugin_mounts WHERE status = 'failed') AS plugin_mounts_failed,
  (SELECT count(*) FROM (
    SELECT DISTINCT session_id, CASE WHEN sequence_id IS NOT NULL THEN 'id:' || sequence_id ELSE 'name:' || sequence_name END
    FROM sequence_registrations WHERE sequence_id IS NOT NULL OR sequence_name IS NOT NULL
  ) AS registered) AS sequences_registered,
  (SELECT count(*) FROM subscriptions) AS subscriptions,
  (SELECT count(*) FROM sequence_runs) AS sequence_runs,
  (SELECT count(*) FROM sequence_runs WHERE status = 'completed') AS sequence_runs_completed,
  (SELECT count(*) FROM sequence_runs WHERE status = 'failed') AS sequence_runs_failed,
  (SELECT count(*) FROM movement_runs WHERE status = 'completed') AS movement_runs_completed,
  (SELECT count(*) FROM beat_runs) AS beat_runs,
  (SELECT count(*) FROM beat_runs WHERE status = 'completed') AS beat_runs_completed,
  (SELECT count(*) FROM beat_runs WHERE status = 'failed') AS beat_runs_failed,
  (SELECT count(*) FROM handler_errors) AS handler_errors,
  (SELECT count(*) FROM baton_diffs) AS baton_diffs,
  (SELECT count(*) FROM gaps) AS gaps,
  (SELECT coalesce(sum(end_ms - start_ms), 0) FROM sessions WHERE start_ms IS NOT NULL AND end_ms IS NOT NULL)
    AS time_span_ms,
  (SELECT count(*) FROM diagnostics) AS diagnostics`;

async function column(pool: Pool, sql: string): Promise<string[]> {
  return (await pool.query<Row>(sql)).rows.map((row) => Object.values(row)[0] as string);
}

export async function pgSummary(pool: Pool): Promise<StoreSummary> {
  const row = (await pool.query<Row>(COUNTS_SQL)).rows[0] ?? {};
  const n = (key: string) => Number(row[key] ?? 0);
  const handlers = await column(
    pool,
    'SELECT DISTINCT handler FROM handler_runs UNION SELECT DISTINCT handler FROM handler_errors',
  );
  const sequences = await column(pool, "SELECT DISTINCT sequence_name FROM sequence_runs WHERE sequence_name <> ''");
  return {
    files: n('files'),
    lines: n('lines'),
    linesRecognized: n('lines_recognized'),
    linesUnknown: n('lines_unknown'),
    sessions: n('sessions'),
    pluginMountAttempts: n('plugin_mount_attempts'),
    pluginMountsSucceeded: n('plugin_mounts_succeeded'),
    pluginMountsFailed: n('plugin_mounts_failed'),
    sequencesRegistered: n('sequences_registered'),
    subscriptions: n('subscriptions'),
    sequenceRuns: n('sequence_runs'),
    sequenceRunsCompleted: n('sequence_runs_completed'),
    sequenceRunsFailed: n('sequence_runs_failed'),
    movementRunsCompleted: n('movement_runs_completed'),
    beatRuns: n('beat_runs'),
    beatRunsCompleted: n('beat_runs_completed'),
    beatRunsFailed: n('beat_runs_failed'),
    handlerErrors: n('handler_errors'),
    batonDiffs: n('baton_diffs'),
    handlersSeen: sortedDistinct(handlers),
    sequencesSeen: sortedDistinct(sequences),
    gaps: n('gaps'),
    timeSpanMs: n('time_span_ms'),
    diagnostics: n('diagnostics'),
  };
}
