/**
 * `handlerRunFacts` of the DuckDB store: handler runs in (file_id, line, ord) order, FACTS_QUERY_BATCH per query
 * (keyset: each query starts after the last key of the one before), each joined in SQL with its beat, its
 * sequence run, and its beat's longest handler time and first handler run (over all of the beat's handler runs,
 * not only the batch's). Every query is bounded by one batch, so DuckDB's memory does not grow with the store;
 * JavaScript sees one chunk at a time. Same facts, same order as `factsOf` (handler-run-facts.ts).
 */
import type { DuckDBConnection, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { DurationSource, HandlerRun } from '../../model/index.js';
import type { HandlerRunFact } from '../handler-run-facts.js';
import { textReader, type ValueOf } from './duckdb-entity-reader.js';
import { afterKey } from './duckdb-run-parts.js';

/** A row's place as one text, ordered as (file_id, line, ord): line and ord are non-negative 32-bit integers. */
const PLACE = (t: string) =>
  `${t}.file_id || ' ' || lpad(${t}.line::VARCHAR, 10, '0') || ' ' || lpad(${t}.ord::VARCHAR, 10, '0')`;

/** The facts of the next `batch` handler runs after the key `$1, $2, $3` (none: from the start). */
function batchSql(after: boolean, batch: number): string {
  const where = after ? `WHERE ${afterKey('line')}` : '';
  return `
WITH batch AS MATERIALIZED (
  SELECT * FROM handler_runs ${where} ORDER BY file_id, line, ord LIMIT ${Math.trunc(batch)}
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
SELECT h.id, h.handler, h.plugin_id, h.sequence_name, h.status::VARCHAR AS status, h.settled_ms, h.duration_ms,
  h.duration_source::VARCHAR AS duration_source, h.settled_after_beat,
  r.sequence_name AS run_sequence_name, r.sequence_id AS run_sequence_id,
  b.id IS NOT NULL AS has_beat, b.duration_ms AS beat_duration_ms,
  b.duration_source::VARCHAR AS beat_duration_source, b.start_ms AS beat_start_ms,
  CASE WHEN b.id IS NULL OR p.longest IS NULL THEN NULL ELSE greatest(0, p.longest) END AS beat_longest_ms,
  b.id IS NOT NULL AND p.first_place = ${PLACE('h')} AS first_of_beat,
  h.file_id, h.line, h.ord, h.session_id, h.event, r.plugin_id AS run_plugin_id
FROM batch h
LEFT JOIN beats b ON b.id = h.beat_run_id
LEFT JOIN runs r ON r.id = h.sequence_run_id
LEFT JOIN per_beat p ON p.beat_run_id = h.beat_run_id
ORDER BY h.file_id, h.line, h.ord`;
}

/**
 * Handler runs per query: each query scans the handler, beat and run tables once and holds one batch. DuckDB's
 * memory grows with the batch, not the store (65,536 needed about 110 MB, 4,096 fit in 96 MB).
 */
export const FACTS_QUERY_BATCH = 32_768;

const plain: ValueOf = (vector, i) => vector.getItem(i);
const ms: ValueOf = (vector, i) => {
  const v = vector.getItem(i);
  return v === null ? null : Number(v);
};

/** `batch`: handler runs per query (smaller in tests, to cross batch boundaries). */
export async function* readHandlerRunFacts(
  connection: DuckDBConnection,
  batch = FACTS_QUERY_BATCH,
): AsyncGenerator<HandlerRunFact[]> {
  let key: DuckDBValue[] | null = null;
  for (;;) {
    let rows = 0;
    const result = await connection.stream(batchSql(key !== null, batch), key ?? []);
    for await (const facts of chunkFacts(result, (fileId, line, ord) => {
      key = [fileId, line, ord];
    })) {
      rows += facts.length;
      yield facts;
    }
    if (rows < batch) return;
  }
}

async function* chunkFacts(
  result: DuckDBResult,
  last: (fileId: string, line: number, ord: number) => void,
): AsyncGenerator<HandlerRunFact[]> {
  // In the SELECT's column order.
  const read: ValueOf[] = [
    plain, // id: unique, not interned
    textReader(),
    textReader(),
    textReader(),
    textReader(),
    ms,
    plain,
    textReader(),
    plain,
    textReader(),
    textReader(),
    plain,
    plain,
    textReader(),
    ms,
    plain,
    plain,
    plain, // file_id, line, ord: the key of the next query
    plain,
    plain,
    textReader(), // session_id: few distinct values
    textReader(), // event
    textReader(), // run_plugin_id
  ];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return;
    const v = read.map((_, k) => chunk.getColumnVector(k));
    const at = (k: number, i: number) => read[k]!(v[k]!, i);
    const batch: HandlerRunFact[] = [];
    for (let i = 0; i < chunk.rowCount; i++) {
      batch.push({
        id: at(0, i) as string,
        sessionId: at(20, i) as string,
        handler: at(1, i) as string,
        pluginId: at(2, i) as string | null,
        sequenceName: at(3, i) as string | null,
        status: at(4, i) as HandlerRun['status'],
        settledMs: at(5, i) as number | null,
        durationMs: at(6, i) as number | null,
        durationSource: at(7, i) as DurationSource,
        settledAfterBeat: at(8, i) as boolean,
        runSequenceName: at(9, i) as string | null,
        runSequenceId: at(10, i) as string | null,
        hasBeat: at(11, i) as boolean,
        beatDurationMs: at(12, i) as number | null,
        beatDurationSource: at(13, i) as DurationSource | null,
        beatStartMs: at(14, i) as number | null,
        beatLongestHandlerMs: at(15, i) as number | null,
        firstOfBeat: at(16, i) as boolean,
        event: at(21, i) as string,
        runPluginId: at(22, i) as string | null,
      });
    }
    const n = chunk.rowCount - 1;
    last(v[17]!.getItem(n) as string, v[18]!.getItem(n) as number, v[19]!.getItem(n) as number);
    yield batch;
  }
}
