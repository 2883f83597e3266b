/**
 * `handlerRunFacts` of the DuckDB store: one query joins each handler run with its beat, its sequence run and
 * the longest handler time within its beat, in (file_id, line, ord) order, streamed chunk by chunk. DuckDB does
 * the joins and window with its own memory limit (spilling to disk); JavaScript sees one chunk at a time. Same
 * facts, same order as `factsOf` (handler-run-facts.ts) on the same entities.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DurationSource, HandlerRun } from '../../model/index.js';
import type { HandlerRunFact } from '../handler-run-facts.js';
import { textReader, type ValueOf } from './duckdb-entity-reader.js';

const SQL = `
WITH h AS (
  SELECT *, row_number() OVER (ORDER BY file_id, line, ord) AS pos FROM handler_runs
), longest AS (
  SELECT beat_run_id, greatest(0, max(duration_ms)) AS ms FROM handler_runs
  WHERE beat_run_id IS NOT NULL AND duration_ms IS NOT NULL AND NOT settled_after_beat
  GROUP BY beat_run_id
)
SELECT h.id, h.handler, h.plugin_id, h.sequence_name, h.status::VARCHAR AS status, h.settled_ms, h.duration_ms,
  h.duration_source::VARCHAR AS duration_source, h.settled_after_beat,
  r.sequence_name AS run_sequence_name, r.sequence_id AS run_sequence_id,
  b.id IS NOT NULL AS has_beat, b.duration_ms AS beat_duration_ms,
  b.duration_source::VARCHAR AS beat_duration_source, b.start_ms AS beat_start_ms, l.ms AS beat_longest_ms,
  b.id IS NOT NULL AND h.pos = min(h.pos) OVER (PARTITION BY h.beat_run_id) AS first_of_beat, h.session_id
FROM h
LEFT JOIN beat_runs b ON b.id = h.beat_run_id
LEFT JOIN sequence_runs r ON r.id = h.sequence_run_id
LEFT JOIN longest l ON l.beat_run_id = b.id
ORDER BY h.pos`;

const plain: ValueOf = (vector, i) => vector.getItem(i);
const ms: ValueOf = (vector, i) => {
  const v = vector.getItem(i);
  return v === null ? null : Number(v);
};

export async function* readHandlerRunFacts(connection: DuckDBConnection): AsyncGenerator<HandlerRunFact[]> {
  const result = await connection.stream(SQL);
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
    textReader(), // session_id: few distinct values
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
        sessionId: at(17, i) as string,
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
      });
    }
    yield batch;
  }
}
