/**
 * `handlerRunFacts` of the DuckDB store: every handler run joined in SQL with its beat, its sequence run, and its
 * beat's longest handler time and first handler run (over all of the beat's handler runs), streamed in
 * (file_id, line, ord) order; JavaScript sees one chunk at a time. Same facts, same order as `factsOf`
 * (handler-run-facts.ts).
 */
import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import type { DurationSource, HandlerRun } from '../../model/index.js';
import type { HandlerRunFact } from '../handler-run-facts.js';
import { chunksOf, textReader, type ValueOf } from './duckdb-entity-reader.js';
import { lineRanges, rangeCondition } from './duckdb-line-ranges.js';
import { asNameEnum } from './duckdb-name-enums.js';

/**
 * The facts of the handler runs of one range (duckdb-line-ranges.ts, written `<range>`), joined with their beat,
 * sequence run and their beat's longest and first handler run over all of the beat's runs. A batch is chosen by a
 * plain range on (file_id, line), which DuckDB answers from its zone maps without sorting the table; one query over
 * the whole table (joins, then a sort of every handler run) ran out of DuckDB's 384 MB at a 2 GiB log, and batches
 * chosen by `ORDER BY … LIMIT` after a key sorted the remaining table once per batch (time growing with its square).
 */
const BATCH_SQL_TEMPLATE = `
WITH batch AS MATERIALIZED (
  SELECT * FROM handler_runs WHERE <range>
), per_beat AS (
  SELECT beat_run_id,
    max(duration_ms) FILTER (WHERE duration_ms IS NOT NULL AND NOT settled_after_beat) AS longest,
    arg_min(id, {'f': file_id, 'l': line, 'o': ord}) AS first_id
  FROM handler_runs WHERE beat_run_id IN (SELECT beat_run_id FROM batch) GROUP BY beat_run_id
), beats AS (
  SELECT id, duration_ms, duration_source, start_ms FROM beat_runs WHERE id IN (SELECT beat_run_id FROM batch)
), runs AS (
  SELECT id, sequence_name, sequence_id, plugin_id FROM sequence_runs WHERE id IN (SELECT sequence_run_id FROM batch)
)
SELECT h.id, \${h.handler} AS handler, \${h.plugin_id} AS plugin_id, \${h.sequence_name} AS sequence_name,
  h.status, h.settled_ms, h.duration_ms,
  h.duration_source, h.settled_after_beat,
  \${r.sequence_name} AS run_sequence_name, \${r.sequence_id} AS run_sequence_id,
  b.id IS NOT NULL AS has_beat, b.duration_ms AS beat_duration_ms,
  b.duration_source AS beat_duration_source, b.start_ms AS beat_start_ms,
  CASE WHEN b.id IS NULL OR p.longest IS NULL THEN NULL ELSE greatest(0, p.longest) END AS beat_longest_ms,
  b.id IS NOT NULL AND p.first_id = h.id AS first_of_beat,
  \${h.session_id} AS session_id, \${h.event} AS event, \${r.plugin_id} AS run_plugin_id
FROM batch h
LEFT JOIN beats b ON b.id = h.beat_run_id
LEFT JOIN runs r ON r.id = h.sequence_run_id
LEFT JOIN per_beat p ON p.beat_run_id = h.beat_run_id
ORDER BY h.file_id, h.line, h.ord`;

/** The name columns of the SELECT, each read from `table` and written `${alias.column}` in the template. */
const NAME_COLUMNS = [
  ['h', 'handler_runs', 'handler'],
  ['h', 'handler_runs', 'plugin_id'],
  ['h', 'handler_runs', 'sequence_name'],
  ['h', 'handler_runs', 'session_id'],
  ['h', 'handler_runs', 'event'],
  ['r', 'sequence_runs', 'sequence_name'],
  ['r', 'sequence_runs', 'sequence_id'],
  ['r', 'sequence_runs', 'plugin_id'],
] as const;

/** The facts query with each name column read as an ENUM (duckdb-name-enums.ts): 4× less CPU for those columns. */
async function batchSql(connection: DuckDBConnection): Promise<string> {
  let sql = BATCH_SQL_TEMPLATE;
  for (const [alias, table, column] of NAME_COLUMNS) {
    sql = sql.replace(`\${${alias}.${column}}`, await asNameEnum(connection, table, column, `${alias}.${column}`));
  }
  return sql;
}

/** Handler runs per query, about (DuckDB's memory grows with it: 65,536 needed about 110 MB, 4,096 fit in 96 MB). */
export const FACTS_QUERY_BATCH = 32_768;

const plain: ValueOf = (vector, i) => vector.getItem(i);
const ms: ValueOf = (vector, i) => {
  const v = vector.getItem(i);
  return v === null ? null : Number(v);
};

/** The store's handler-run facts, one DuckDB chunk (up to 2,048) per batch. `batch`: smaller in tests. */
export async function* readHandlerRunFacts(
  connection: DuckDBConnection,
  batch = FACTS_QUERY_BATCH,
): AsyncGenerator<HandlerRunFact[]> {
  const sql = await batchSql(connection);
  for (const range of await lineRanges(connection, 'handler_runs', 'line', batch)) {
    const where = rangeCondition(range, '', 'line');
    yield* chunkFacts(
      await connection.stream(
        sql.replace('<range>', () => where.sql),
        where.params,
      ),
    );
  }
}

async function* chunkFacts(result: DuckDBResult): AsyncGenerator<HandlerRunFact[]> {
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
    textReader(), // event
    textReader(), // run_plugin_id
  ];
  for await (const chunk of chunksOf(result)) {
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
        event: at(18, i) as string,
        runPluginId: at(19, i) as string | null,
      });
    }
    yield batch;
  }
}
