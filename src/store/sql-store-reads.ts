/**
 * What both SQL stores (DuckDB, PostgreSQL) read the same way, through their own `read`: files by path or id, files
 * with their content prints, superseded files, the summary as SQL aggregates over committed rows — it must agree with `summarize()` (the in-memory reference); the shared contract
 * tests compare them; definitions: docs/schema.md ("Summary") — and the stored files with their diagnostics.
 * The SQL is the dialect both accept (a subquery in FROM has an alias, as PostgreSQL 15 requires).
 */
import type { Diagnostic, FileInfo, StoreSummary, TextEncoding } from '../model/index.js';
import { sortedDistinct } from './summarize.js';
import type { KnownFile, PrintedFile, Row, SupersededFile } from './telemetry-store.js';

/** Runs one query (`$1`, `$2`, … bound to `values`) and returns its rows. */
export type ReadRows = (sql: string, values?: string[]) => Promise<readonly Row[]>;

/** The first row of `select` matching a file id and/or a path, by `order`; undefined when the query names neither. */
async function findRow(
  read: ReadRows,
  select: string,
  order: string,
  query: { path?: string; fileId?: string },
): Promise<Row | undefined> {
  const where: string[] = [];
  const values: string[] = [];
  if (query.fileId !== undefined) where.push(`file_id = $${values.push(query.fileId)}`);
  if (query.path !== undefined) where.push(`path = $${values.push(query.path)}`);
  if (where.length === 0) return undefined;
  return (await read(`${select} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT 1`, values))[0];
}

const knownFile = (row: Row): KnownFile => ({
  fileId: row['file_id'] as string,
  path: row['path'] as string,
  sizeBytes: Number(row['size_bytes']),
  mtimeMs: Number(row['mtime_ms']),
});

export async function findFileBySql(
  read: ReadRows,
  query: { path?: string; fileId?: string },
): Promise<KnownFile | undefined> {
  const row = await findRow(read, 'SELECT file_id, path, size_bytes, mtime_ms FROM files', 'file_id', query);
  return row === undefined ? undefined : knownFile(row);
}

export async function printedFilesBySql(read: ReadRows): Promise<PrintedFile[]> {
  const rows = await read(
    `SELECT f.file_id, f.path, f.size_bytes, f.mtime_ms, p.content_bytes, p.digest, p.heads
     FROM files f JOIN file_prints p USING (file_id) ORDER BY f.file_id`,
  );
  return rows.map((row) => ({
    ...knownFile(row),
    print: {
      contentBytes: Number(row['content_bytes']),
      digest: row['digest'] as string,
      heads: row['heads'] as string[],
    },
  }));
}

export async function findSupersededBySql(
  read: ReadRows,
  query: { path?: string; fileId?: string },
): Promise<SupersededFile | undefined> {
  const row = await findRow(read, 'SELECT * FROM superseded_files', 'path', query);
  return row === undefined ? undefined : supersededFile(row);
}

export async function supersededFilesBySql(read: ReadRows): Promise<SupersededFile[]> {
  return (await read('SELECT * FROM superseded_files ORDER BY path')).map(supersededFile);
}

const supersededFile = (row: Row): SupersededFile => ({ ...knownFile(row), by: row['by_file_id'] as string });

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
  (SELECT count(*) FROM handler_runs) AS handler_runs,
  (SELECT count(*) FROM handler_errors) AS handler_errors,
  (SELECT count(*) FROM baton_diffs) + (SELECT coalesce(sum(baton_unchanged), 0) FROM beat_runs) AS baton_diffs,
  (SELECT count(*) FROM gaps) AS gaps,
  (SELECT coalesce(sum(end_ms - start_ms), 0) FROM sessions WHERE start_ms IS NOT NULL AND end_ms IS NOT NULL)
    AS time_span_ms,
  (SELECT count(*) FROM diagnostics) AS diagnostics`;

const firstColumn = async (read: ReadRows, sql: string) => (await read(sql)).map((r) => Object.values(r)[0] as string);

export async function summaryBySql(read: ReadRows): Promise<StoreSummary> {
  const row = (await read(COUNTS_SQL))[0] ?? {};
  const n = (key: string) => Number(row[key] ?? 0);
  const handlers = await firstColumn(
    read,
    'SELECT DISTINCT handler FROM handler_runs UNION SELECT DISTINCT handler FROM handler_errors',
  );
  const sequences = await firstColumn(
    read,
    "SELECT DISTINCT sequence_name FROM sequence_runs WHERE sequence_name <> ''",
  );
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
    handlerRuns: n('handler_runs'),
    handlerErrors: n('handler_errors'),
    batonDiffs: n('baton_diffs'),
    handlersSeen: sortedDistinct(handlers),
    sequencesSeen: sortedDistinct(sequences),
    gaps: n('gaps'),
    timeSpanMs: n('time_span_ms'),
    diagnostics: n('diagnostics'),
  };
}

/** Every stored file in fileId order, with its diagnostics in line order. */
export async function filesBySql(read: ReadRows): Promise<FileInfo[]> {
  const diagnostics = new Map<string, Diagnostic[]>();
  for (const d of await read('SELECT * FROM diagnostics ORDER BY file_id, ord')) {
    const fileId = d['file_id'] as string;
    const list = diagnostics.get(fileId) ?? [];
    list.push({
      file: d['path'] as string,
      line: Number(d['line']),
      severity: d['severity'] as Diagnostic['severity'],
      message: d['message'] as string,
    });
    diagnostics.set(fileId, list);
  }
  return (await read('SELECT * FROM files ORDER BY file_id')).map((f) => ({
    fileId: f['file_id'] as string,
    path: f['path'] as string,
    sizeBytes: Number(f['size_bytes']),
    mtimeMs: Number(f['mtime_ms']),
    format: f['format'] as string,
    encoding: f['encoding'] as TextEncoding,
    gzip: f['gzip'] === true,
    lines: Number(f['lines']),
    linesRecognized: Number(f['lines_recognized']),
    linesUnknown: Number(f['lines_unknown']),
    diagnostics: diagnostics.get(f['file_id'] as string) ?? [],
  }));
}
