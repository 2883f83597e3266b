/**
 * `runParts` of the DuckDB store, a batch of sequence runs at a time: the runs of one file whose start line falls
 * in a range (duckdb-line-ranges.ts: answered from the zone maps, no sort of the table), then the beats, movements
 * and handler errors naming those runs. Every query is bounded by one batch, so DuckDB's memory does not grow with
 * the store: one query per part table over the whole store (joined with the runs and sorted) ran out of DuckDB's
 * 384 MB at a 2 GiB log, and batches chosen by `ORDER BY … LIMIT` after a key sorted the run table once per batch.
 * Runs are handed on RUN_BATCH at a time. Same parts, same order as `runPartsOf`.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../../model/index.js';
import type { EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES } from '../entity-tables.js';
import { RUN_BATCH, type RunParts } from '../run-parts.js';
import { chunksOf, EntityRows, selectedColumns, textReader } from './duckdb-entity-reader.js';
import { lineRanges, type PlaceRange, rangeCondition } from './duckdb-line-ranges.js';
import { asNameEnum } from './duckdb-name-enums.js';

/** Streams a result's rows as entities of `spec` (`rows`, then `file_id`), a chunk at a time. */
class EntityCursor<E> {
  private readonly fileIds = textReader();
  private readonly chunks: AsyncGenerator<DuckDBDataChunk>;
  private chunk: DuckDBDataChunk | null = null;
  private vectors: ReturnType<DuckDBDataChunk['getColumnVector']>[] = [];
  private i = 0;

  constructor(
    result: DuckDBResult,
    private readonly spec: EntityTableSpec,
    private readonly rows: EntityRows,
  ) {
    this.chunks = chunksOf(result);
  }

  /** Stops reading: waits for a chunk still being fetched (see `chunksOf`). */
  async close(): Promise<void> {
    await this.chunks.return(undefined);
  }

  /** The next row's entity, or null after the last. */
  async next(): Promise<E | null> {
    while (this.chunk === null || this.i >= this.chunk.rowCount) {
      const next = await this.chunks.next();
      if (next.done) {
        this.chunk = null;
        return null;
      }
      const chunk = next.value;
      this.chunk = chunk;
      this.vectors = Array.from({ length: chunk.columnCount }, (_, k) => chunk.getColumnVector(k));
      this.i = 0;
    }
    const i = this.i++;
    const fileId = this.fileIds(this.vectors[this.rows.width]!, i) as string;
    return this.spec.fromValues(this.rows.values(this.vectors, i), fileId) as E;
  }
}

/** What a query selects of `spec`'s rows (alias `alias`): its columns, name columns as ENUMs (duckdb-name-enums.ts), then `file_id`. */
interface TableSelect {
  readonly rows: EntityRows;
  /** The select list: `rows.select`, then `file_id`. */
  readonly select: string;
}

async function selectOf(connection: DuckDBConnection, spec: EntityTableSpec, alias: string): Promise<TableSelect> {
  const rows = new EntityRows(await selectedColumns(connection, spec, `${alias}.`));
  const fileId = await asNameEnum(connection, spec.table, 'file_id', `${alias}."file_id"`);
  return { rows, select: `${rows.select}, ${fileId} AS "file_id"` };
}

/** The entities of `kind` naming the runs of `range`, in (file_id, line, ord) order, by run id. */
async function partsOf<E extends { readonly sequenceRunId: string | null }>(
  connection: DuckDBConnection,
  kind: 'beat-run' | 'movement-run' | 'handler-error',
  columns: TableSelect,
  range: PlaceRange,
  lastLine: number | null,
): Promise<Map<string, E[]>> {
  const spec = ENTITY_TABLES[kind] as EntityTableSpec;
  const line = `"${spec.lineColumn}"`;
  const runs = rangeCondition(range, '', 'start_line');
  // A run's parts lie in its file at or after its start line, and a finished run's beats and movements start by its
  // end line: within one file, bounds the zone maps answer, so a batch reads its stretch of the part table, not all
  // of it (a range of whole small files is bounded by its files).
  const from = rangeCondition(range, 'p.', line, false).sql;
  const upper = lastLine === null || range.fromFile !== range.toFile ? '' : ` AND p.${line} <= ${lastLine}`;
  const sql = `SELECT ${columns.select} FROM ${spec.table} p
WHERE ${from}${upper} AND p.sequence_run_id IN (SELECT id FROM sequence_runs WHERE ${runs.sql})
ORDER BY p.file_id, p.${line}, p.ord`;
  const out = new Map<string, E[]>();
  const cursor = new EntityCursor<E>(await connection.stream(sql, runs.params), spec, columns.rows);
  try {
    for (let e = await cursor.next(); e !== null; e = await cursor.next()) {
      const list = out.get(e.sequenceRunId!);
      if (list) list.push(e);
      else out.set(e.sequenceRunId!, [e]);
    }
  } finally {
    await cursor.close();
  }
  return out;
}

/** Sequence runs per query, about: with their parts, what one query holds. */
export const RUNS_PER_QUERY = 4096;

/** `batchSize`: runs per batch handed on; `querySize`: runs per query, about (both smaller in tests). */
export async function* readRunParts(
  connection: DuckDBConnection,
  batchSize = RUN_BATCH,
  querySize = RUNS_PER_QUERY,
): AsyncGenerator<RunParts[]> {
  const spec = ENTITY_TABLES['sequence-run'] as EntityTableSpec;
  const runColumns = await selectOf(connection, spec, 'r');
  const partColumns: TableSelect[] = [];
  for (const kind of ['beat-run', 'movement-run', 'handler-error'] as const)
    partColumns.push(await selectOf(connection, ENTITY_TABLES[kind] as EntityTableSpec, 'p'));
  let batch: RunParts[] = [];
  for (const range of await lineRanges(connection, 'sequence_runs', 'start_line', querySize)) {
    const runs: SequenceRun[] = [];
    const where = rangeCondition(range, 'r.', 'start_line');
    const sql = `SELECT ${runColumns.select} FROM sequence_runs r WHERE ${where.sql} ORDER BY r.file_id, r.start_line, r.ord`;
    const cursor = new EntityCursor<SequenceRun>(await connection.stream(sql, where.params), spec, runColumns.rows);
    try {
      for (let run = await cursor.next(); run !== null; run = await cursor.next()) runs.push(run);
    } finally {
      await cursor.close();
    }
    if (runs.length === 0) continue;
    // An incomplete run's span ends where the log stopped telling about it, not after its beats: no bound then.
    const lastLine = runs.some((r) => r.status === 'incomplete') ? null : Math.max(...runs.map((r) => r.span.endLine));
    const beats = await partsOf<BeatRun>(connection, 'beat-run', partColumns[0]!, range, lastLine);
    const movements = await partsOf<MovementRun>(connection, 'movement-run', partColumns[1]!, range, lastLine);
    // A handler error can settle after its run's last line: no upper bound (the table is small).
    const errors = await partsOf<HandlerError>(connection, 'handler-error', partColumns[2]!, range, null);
    for (const run of runs) {
      batch.push({
        run,
        beats: beats.get(run.id) ?? [],
        movements: movements.get(run.id) ?? [],
        errors: errors.get(run.id) ?? [],
      });
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
