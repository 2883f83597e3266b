/**
 * `runParts` of the DuckDB store, in batches of RUN_BATCH sequence runs: the next runs in (file_id, start_line,
 * ord) order (keyset: each batch starts after the last key of the one before), then the beats, movements and
 * handler errors naming those runs. Every query is bounded by one batch, so DuckDB's memory does not grow with
 * the store (one query sorting all runs or beats needed more than its memory limit on large stores), at the cost
 * of one scan of each part table per batch. Same parts, same order as `runPartsOf`.
 */
import { type DuckDBConnection, type DuckDBValue, listValue } from '@duckdb/node-api';
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../../model/index.js';
import type { ColumnSpec, EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES } from '../entity-tables.js';
import { RUN_BATCH, type RunParts } from '../run-parts.js';
import type { Row } from '../telemetry-store.js';
import { readerOf, textReader } from './duckdb-entity-reader.js';

/** Rows of `sql` as entities of `spec`: its columns, then `file_id`, then any extra columns (handed to `extra`). */
export async function readRows<E>(
  connection: DuckDBConnection,
  spec: EntityTableSpec,
  sql: string,
  values: DuckDBValue[],
  extra?: (values: unknown[]) => void,
): Promise<E[]> {
  const columns = spec.columns as readonly ColumnSpec<unknown>[];
  const readers = columns.map(readerOf);
  const fileIds = textReader();
  const result = await connection.stream(sql, values);
  const out: E[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return out;
    const vectors = Array.from({ length: chunk.columnCount }, (_, k) => chunk.getColumnVector(k));
    for (let i = 0; i < chunk.rowCount; i++) {
      const row: Row = {};
      for (let k = 0; k < columns.length; k++) row[columns[k]!.name] = readers[k]!(vectors[k]!, i);
      out.push(spec.fromRow(row, fileIds(vectors[columns.length]!, i) as string) as E);
      if (extra) extra(vectors.slice(columns.length + 1).map((v) => v.getItem(i)));
    }
  }
}

function columnsOf(spec: EntityTableSpec): string {
  return spec.columns.map((c) => `"${c.name}"`).join(', ');
}

/** Rows after the key (file_id, line, ord) `$1, $2, $3`, in that order. */
export function afterKey(line: string): string {
  return `(file_id > $1 OR (file_id = $1 AND (${line} > $2 OR (${line} = $2 AND ord > $3))))`;
}

/** The entities of `kind` naming the runs `ids` (`$1`), in (file_id, line, ord) order, grouped by run id. */
async function partsOf<E extends { readonly sequenceRunId: string | null }>(
  connection: DuckDBConnection,
  kind: 'beat-run' | 'movement-run' | 'handler-error',
  ids: readonly string[],
): Promise<Map<string, E[]>> {
  const spec = ENTITY_TABLES[kind] as EntityTableSpec;
  const line = `"${spec.lineColumn}"`;
  const sql = `SELECT ${columnsOf(spec)}, file_id FROM ${spec.table} WHERE sequence_run_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY file_id, ${line}, ord`;
  const out = new Map<string, E[]>();
  for (const e of await readRows<E>(connection, spec, sql, [listValue([...new Set(ids)])])) {
    const list = out.get(e.sequenceRunId!);
    if (list) list.push(e);
    else out.set(e.sequenceRunId!, [e]);
  }
  return out;
}

/** `batchSize`: runs per batch (smaller in tests, to cross batch boundaries). */
export async function* readRunParts(connection: DuckDBConnection, batchSize = RUN_BATCH): AsyncGenerator<RunParts[]> {
  const spec = ENTITY_TABLES['sequence-run'] as EntityTableSpec;
  const first = `SELECT ${columnsOf(spec)}, file_id, start_line, ord FROM sequence_runs`;
  const order = `ORDER BY file_id, start_line, ord LIMIT ${Math.trunc(batchSize)}`;
  let key: DuckDBValue[] | null = null;
  for (;;) {
    let last: unknown[] = [];
    const runs: SequenceRun[] =
      key === null
        ? await readRows(connection, spec, `${first} ${order}`, [], (v) => (last = v))
        : await readRows(connection, spec, `${first} WHERE ${afterKey('start_line')} ${order}`, key, (v) => (last = v));
    if (runs.length === 0) return;
    const fileId = runs[runs.length - 1]!.span.fileId;
    key = [fileId, last[0] as number, last[1] as number];
    const ids = runs.map((r) => r.id);
    const beats = await partsOf<BeatRun>(connection, 'beat-run', ids);
    const movements = await partsOf<MovementRun>(connection, 'movement-run', ids);
    const errors = await partsOf<HandlerError>(connection, 'handler-error', ids);
    yield runs.map((run) => ({
      run,
      beats: beats.get(run.id) ?? [],
      movements: movements.get(run.id) ?? [],
      errors: errors.get(run.id) ?? [],
    }));
    if (runs.length < batchSize) return;
  }
}
