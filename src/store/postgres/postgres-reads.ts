/**
 * The reads of the PostgreSQL store: entities, places, handler-run facts and run parts, with the same results
 * in the same order as the DuckDB store (duckdb/duckdb-entity-reader.ts, duckdb-handler-facts.ts,
 * duckdb-run-parts.ts); the store contract checks them. Facts and parts are read in keyset batches on
 * (file_id, line, ord), so one query never sorts a whole large table. Values arrive with the store's type
 * parsers (postgres-store.ts): bigint and numeric as numbers, text[] as arrays, jsonb parsed.
 */
import type { Pool } from 'pg';
import type { BeatRun, DurationSource, HandlerError, HandlerRun, MovementRun, SequenceRun } from '../../model/index.js';
import type { EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES } from '../entity-tables.js';
import { FACT_BATCH, type HandlerRunFact } from '../handler-run-facts.js';
import { interner } from '../interner.js';
import { RUN_BATCH, type RunParts } from '../run-parts.js';
import type { EntityPlace, EntityQuery, Row } from '../telemetry-store.js';
import { inTransaction } from './postgres-transaction.js';

const columnsOf = (spec: EntityTableSpec): string => spec.columns.map((c) => `"${c.name}"`).join(', ');

/** Rows per query of `entities()`: the driver's rows of one batch are alive at a time, beside the entities. */
export const PG_ENTITY_BATCH = 8_192;

/**
 * The rows of `spec`'s table (those starting before `query.before`) in (file_id, line, ord) order, `batch` rows
 * per query, each query resuming after the last row of the one before (keyset pagination on the table's
 * `_place` index): the server never sorts the whole table and the client never holds its rows at once.
 */
export async function* pgEntityBatches(
  pool: Pool,
  spec: EntityTableSpec,
  query: EntityQuery = {},
  batch = PG_ENTITY_BATCH,
): AsyncGenerator<Row[]> {
  const line = `"${spec.lineColumn}"`;
  const { before, from, fileIds } = query;
  const bound: unknown[] = before ? [before.fileId, Math.trunc(before.line)] : [];
  const beforeSql = before ? `(file_id < $1 OR (file_id = $1 AND ${line} < $2))` : 'true';
  const filesSql = fileIds ? ` AND file_id = ANY($${bound.push(fileIds)})` : '';
  const fromSql = from
    ? ` AND (file_id > $${bound.push(from.fileId)} OR (file_id = $${bound.length} AND ${line} >= $${bound.push(Math.trunc(from.line))}))`
    : '';
  const n = bound.length;
  const afterSql = `(file_id, ${line}, ord) > ($${n + 1}, $${n + 2}, $${n + 3})`;
  const select = `SELECT ${columnsOf(spec)}, file_id, ${line} AS place_line, ord AS place_ord FROM ${spec.table}`;
  const order = `ORDER BY file_id, ${line}, ord LIMIT ${Math.trunc(batch)}`;
  let key: unknown[] | null = null;
  for (;;) {
    const sql: string = `${select} WHERE ${beforeSql}${filesSql}${fromSql}${key ? ` AND ${afterSql}` : ''} ${order}`;
    const rows: Row[] = (await pool.query<Row>(sql, key ? [...bound, ...key] : bound)).rows;
    if (rows.length === 0) return;
    const last: Row = rows[rows.length - 1]!;
    key = [last['file_id'], last['place_line'], last['place_ord']];
    yield rows;
    if (rows.length < batch) return;
  }
}

/** Every entity of `spec`'s table (those starting before `query.before`), in (file_id, line, ord) order. */
export async function pgReadEntities<E>(
  pool: Pool,
  spec: EntityTableSpec,
  query: EntityQuery = {},
  batch = PG_ENTITY_BATCH,
): Promise<E[]> {
  const out: E[] = [];
  for await (const rows of pgEntityBatches(pool, spec, query, batch)) {
    for (const row of rows) out.push(spec.fromRow(row, row['file_id'] as string) as E);
  }
  return out;
}

/** Where the `n`-th (0-based) row of `spec`'s table (of file `fileId` only, when given) in (file_id, line, ord) order starts. */
export async function pgPlaceOf(
  pool: Pool,
  spec: EntityTableSpec,
  n: number,
  fileId?: string,
): Promise<EntityPlace | undefined> {
  const line = `"${spec.lineColumn}"`;
  const where = fileId === undefined ? '' : ' WHERE file_id = $2';
  const sql = `SELECT file_id, ${line} AS line FROM ${spec.table}${where} ORDER BY file_id, ${line}, ord LIMIT 1 OFFSET $1`;
  const params = fileId === undefined ? [Math.trunc(n)] : [Math.trunc(n), fileId];
  const row = (await pool.query<Row>(sql, params)).rows[0];
  return row === undefined ? undefined : { fileId: row['file_id'] as string, line: Number(row['line']) };
}

/** Rows after the key (file_id, line, ord) `$1, $2, $3`, in that order. */
const afterKey = (line: string) => `(file_id, ${line}, ord) > ($1, $2, $3)`;

/** A row's place as one text ordered as (file_id, line, ord): line and ord are non-negative 32-bit integers. */
const PLACE = (t: string) =>
  `(${t}.file_id || ' ' || lpad(${t}.line::text, 10, '0') || ' ' || lpad(${t}.ord::text, 10, '0')) COLLATE "C"`;

/** The facts of the next `batch` handler runs after the key `$1, $2, $3` (none: from the start). */
function factsSql(after: boolean, batch: number): string {
  return `
WITH batch AS MATERIALIZED (
  SELECT * FROM handler_runs ${after ? `WHERE ${afterKey('line')}` : ''} ORDER BY file_id, line, ord LIMIT ${Math.trunc(batch)}
), per_beat AS (
  SELECT beat_run_id,
    max(duration_ms) FILTER (WHERE duration_ms IS NOT NULL AND NOT settled_after_beat) AS longest,
    min(${PLACE('handler_runs')}) AS first_place
  FROM handler_runs WHERE beat_run_id IN (SELECT beat_run_id FROM batch) GROUP BY beat_run_id
), beats AS (
  SELECT id, duration_ms, duration_source, start_ms FROM beat_runs WHERE id IN (SELECT beat_run_id FROM batch)
), runs AS (
  SELECT id, sequence_name, sequence_id, plugin_id FROM sequence_runs WHERE id IN (SELECT sequence_run_id FROM batch)
)
SELECT h.id, h.handler, h.plugin_id, h.sequence_name, h.status, h.settled_ms, h.duration_ms,
  h.duration_source, h.settled_after_beat,
  r.sequence_name AS run_sequence_name, r.sequence_id AS run_sequence_id,
  b.id IS NOT NULL AS has_beat, b.duration_ms AS beat_duration_ms,
  b.duration_source AS beat_duration_source, b.start_ms AS beat_start_ms,
  CASE WHEN b.id IS NULL OR p.longest IS NULL THEN NULL ELSE greatest(0, p.longest) END AS beat_longest_ms,
  coalesce(b.id IS NOT NULL AND p.first_place = ${PLACE('h')}, false) AS first_of_beat,
  h.file_id, h.line, h.ord, h.session_id, h.event, r.plugin_id AS run_plugin_id
FROM batch h
LEFT JOIN beats b ON b.id = h.beat_run_id
LEFT JOIN runs r ON r.id = h.sequence_run_id
LEFT JOIN per_beat p ON p.beat_run_id = h.beat_run_id
ORDER BY h.file_id, h.line, h.ord`;
}

/** Handler runs per query; the facts are handed on FACT_BATCH at a time. */
export const PG_FACTS_QUERY_BATCH = 32_768;

/**
 * Runs one facts query with nested loops and JIT off, in a transaction of its own. The planner estimates the
 * keyset condition `(file_id, line, ord) > key` from `file_id` alone, so after the first batch of a file it expects
 * one row and joins the batch's 32,768 rows in nested loops, aggregating `per_beat` again for each row: at 86,000
 * handler runs the second query ran for over ten minutes. Hash joins do each batch in a few scans.
 */
async function factsQuery(pool: Pool, sql: string, values: unknown[]): Promise<Row[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SET LOCAL enable_nestloop = off');
    await client.query('SET LOCAL jit = off');
    return (await client.query<Row>(sql, values)).rows;
  });
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function* pgReadHandlerRunFacts(
  pool: Pool,
  batch = PG_FACTS_QUERY_BATCH,
): AsyncGenerator<HandlerRunFact[]> {
  let key: unknown[] | null = null;
  const factOf = factReader();
  for (;;) {
    const rows: Row[] = await factsQuery(pool, factsSql(key !== null, batch), key ?? []);
    if (rows.length === 0) return;
    const last: Row = rows[rows.length - 1]!;
    key = [last['file_id'], last['line'], last['ord']];
    for (let start = 0; start < rows.length; start += FACT_BATCH) {
      yield rows.slice(start, start + FACT_BATCH).map(factOf);
    }
    if (rows.length < batch) return;
  }
}

/** A fact from its row, its repeated text interned per column as the DuckDB store's reader does (interner.ts). */
function factReader(): (r: Row) => HandlerRunFact {
  const text = () => {
    const intern = interner();
    return (v: unknown) => (v === null ? null : intern(v as string));
  };
  const session = text();
  const handler = text();
  const plugin = text();
  const sequence = text();
  const runSequence = text();
  const runSequenceId = text();
  const event = text();
  const runPlugin = text();
  return (r) => ({
    id: r['id'] as string,
    sessionId: session(r['session_id'])!,
    handler: handler(r['handler'])!,
    pluginId: plugin(r['plugin_id']),
    sequenceName: sequence(r['sequence_name']),
    status: r['status'] as HandlerRun['status'],
    settledMs: num(r['settled_ms']),
    durationMs: num(r['duration_ms']),
    durationSource: r['duration_source'] as DurationSource,
    settledAfterBeat: r['settled_after_beat'] as boolean,
    runSequenceName: runSequence(r['run_sequence_name']),
    runSequenceId: runSequenceId(r['run_sequence_id']),
    hasBeat: r['has_beat'] as boolean,
    beatDurationMs: num(r['beat_duration_ms']),
    beatDurationSource: r['beat_duration_source'] as DurationSource | null,
    beatStartMs: num(r['beat_start_ms']),
    beatLongestHandlerMs: num(r['beat_longest_ms']),
    firstOfBeat: r['first_of_beat'] as boolean,
    event: event(r['event'])!,
    runPluginId: runPlugin(r['run_plugin_id']),
  });
}

/** The entities of `kind` naming the runs `ids`, in (file_id, line, ord) order, grouped by run id. */
async function partsOf<E extends { readonly sequenceRunId: string | null }>(
  pool: Pool,
  kind: 'beat-run' | 'movement-run' | 'handler-error',
  ids: readonly string[],
): Promise<Map<string, E[]>> {
  const spec = ENTITY_TABLES[kind] as EntityTableSpec;
  const line = `"${spec.lineColumn}"`;
  const sql = `SELECT ${columnsOf(spec)}, file_id FROM ${spec.table} WHERE sequence_run_id = ANY($1::text[]) ORDER BY file_id, ${line}, ord`;
  const out = new Map<string, E[]>();
  for (const row of (await pool.query<Row>(sql, [[...new Set(ids)]])).rows) {
    const e = spec.fromRow(row, row['file_id'] as string) as unknown as E;
    const list = out.get(e.sequenceRunId!);
    if (list) list.push(e);
    else out.set(e.sequenceRunId!, [e]);
  }
  return out;
}

/** `batchSize`: runs per batch (smaller in tests, to cross batch boundaries). */
export async function* pgReadRunParts(pool: Pool, batchSize = RUN_BATCH): AsyncGenerator<RunParts[]> {
  const spec = ENTITY_TABLES['sequence-run'] as EntityTableSpec;
  const select = `SELECT ${columnsOf(spec)}, file_id, start_line, ord FROM sequence_runs`;
  const order = `ORDER BY file_id, start_line, ord LIMIT ${Math.trunc(batchSize)}`;
  let key: unknown[] | null = null;
  for (;;) {
    const sql: string = key === null ? `${select} ${order}` : `${select} WHERE ${afterKey('start_line')} ${order}`;
    const rows: Row[] = (await pool.query<Row>(sql, key ?? [])).rows;
    if (rows.length === 0) return;
    const last: Row = rows[rows.length - 1]!;
    key = [last['file_id'], last['start_line'], last['ord']];
    const runs = rows.map((row) => spec.fromRow(row, row['file_id'] as string) as SequenceRun);
    const ids = runs.map((r) => r.id);
    const beats = await partsOf<BeatRun>(pool, 'beat-run', ids);
    const movements = await partsOf<MovementRun>(pool, 'movement-run', ids);
    const errors = await partsOf<HandlerError>(pool, 'handler-error', ids);
    yield runs.map((run) => ({
      run,
      beats: beats.get(run.id) ?? [],
      movements: movements.get(run.id) ?? [],
      errors: errors.get(run.id) ?? [],
    }));
    if (rows.length < batchSize) return;
  }
}
