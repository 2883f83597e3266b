/**
 * `runParts` of the DuckDB store in one pass: one query streams the sequence runs in (file_id, start_line, ord)
 * order, and one query per part table (beats, movements, handler errors) streams that table's rows joined with
 * their run's place, sorted by it and then by the part's own place; the runs and their parts are merged as they
 * arrive. Each table is read once and DuckDB sorts it within its memory limit (spilling beyond it), so neither
 * time nor memory depends on how many batches a store makes (the keyset batches this replaces scanned every part
 * table once per 16,384 runs and held each batch's entities: 63 s and +400 MB at 114,661 runs). JavaScript holds
 * one chunk per query and one batch of runs. Same parts, same order as `runPartsOf`; a part naming no stored run
 * is left out there too.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../../model/index.js';
import type { ColumnSpec, EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES } from '../entity-tables.js';
import { RUN_BATCH, type RunParts } from '../run-parts.js';
import type { Row } from '../telemetry-store.js';
import { readerOf, textReader } from './duckdb-entity-reader.js';

/** Streams a result's rows as entities of `spec` (its columns, `file_id`, then extra columns), a chunk at a time. */
class EntityCursor<E> {
  private readonly columns: readonly ColumnSpec<unknown>[];
  private readonly readers;
  private readonly fileIds = textReader();
  private chunk: DuckDBDataChunk | null = null;
  private vectors: ReturnType<DuckDBDataChunk['getColumnVector']>[] = [];
  private i = 0;
  private done = false;

  constructor(
    private readonly result: DuckDBResult,
    private readonly spec: EntityTableSpec,
  ) {
    this.columns = spec.columns as readonly ColumnSpec<unknown>[];
    this.readers = this.columns.map(readerOf);
  }

  /** The next row's entity and extra column values, or null after the last. */
  async next(): Promise<{ entity: E; extra: unknown[] } | null> {
    while (this.chunk === null || this.i >= this.chunk.rowCount) {
      if (this.done) return null;
      const chunk = await this.result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) {
        this.done = true;
        this.chunk = null;
        return null;
      }
      this.chunk = chunk;
      this.vectors = Array.from({ length: chunk.columnCount }, (_, k) => chunk.getColumnVector(k));
      this.i = 0;
    }
    const i = this.i++;
    const n = this.columns.length;
    const row: Row = {};
    for (let k = 0; k < n; k++) row[this.columns[k]!.name] = this.readers[k]!(this.vectors[k]!, i);
    const entity = this.spec.fromRow(row, this.fileIds(this.vectors[n]!, i) as string) as E;
    const extra: unknown[] = [];
    for (let k = n + 1; k < this.vectors.length; k++) extra.push(this.vectors[k]!.getItem(i));
    return { entity, extra };
  }
}

function columnsOf(spec: EntityTableSpec, table: string): string {
  return spec.columns.map((c) => `${table}."${c.name}"`).join(', ');
}

/**
 * Each sequence run's id and its rank `n` in (file_id, start_line, ord) order: the runs stream in that order and
 * each part stream sorts by it, so a part is matched to its run by a small integer rather than by its id text
 * (every text value longer than 12 bytes costs a native call to read).
 */
const RUN_ORDINALS =
  'SELECT id, file_id, start_line, ord, (row_number() OVER (ORDER BY file_id, start_line, ord, id))::INTEGER AS n FROM sequence_runs';

/** The rows of one part table naming a stored run, grouped by run in the runs' order, each group in its own order. */
class PartStream<E> {
  private pending: { entity: E; run: number } | null | undefined;

  private constructor(private readonly cursor: EntityCursor<E>) {}

  static async open<E>(
    connection: DuckDBConnection,
    kind: 'beat-run' | 'movement-run' | 'handler-error',
  ): Promise<PartStream<E>> {
    const spec = ENTITY_TABLES[kind] as EntityTableSpec;
    const line = `p."${spec.lineColumn}"`;
    const sql = `WITH r AS (${RUN_ORDINALS})
SELECT ${columnsOf(spec, 'p')}, p.file_id, r.n FROM ${spec.table} p JOIN r ON r.id = p.sequence_run_id
ORDER BY r.n, p.file_id, ${line}, p.ord`;
    return new PartStream(new EntityCursor<E>(await connection.stream(sql), spec));
  }

  /** The parts of run `n` (RUN_ORDINALS): the next rows while they name it (runs come in that order). */
  async partsOf(n: number): Promise<E[]> {
    const out: E[] = [];
    for (;;) {
      if (this.pending === undefined) {
        const row = await this.cursor.next();
        this.pending = row === null ? null : { entity: row.entity, run: row.extra[0] as number };
      }
      if (this.pending === null || this.pending.run !== n) return out;
      out.push(this.pending.entity);
      this.pending = undefined;
    }
  }
}

/**
 * `connect`: a new connection (a streamed result is cut off by the next query on its connection, and four stream
 * at once here); each is closed at the end. `batchSize`: runs per batch handed on (smaller in tests).
 */
export async function* readRunParts(
  connect: () => Promise<DuckDBConnection>,
  batchSize = RUN_BATCH,
): AsyncGenerator<RunParts[]> {
  const connections: DuckDBConnection[] = [];
  const open = async () => {
    const c = await connect();
    connections.push(c);
    return c;
  };
  try {
    const spec = ENTITY_TABLES['sequence-run'] as EntityTableSpec;
    const runs = new EntityCursor<SequenceRun>(
      await (await open()).stream(
        `WITH o AS (${RUN_ORDINALS}) SELECT ${columnsOf(spec, 'r')}, r.file_id, o.n FROM sequence_runs r JOIN o ON o.id = r.id ORDER BY o.n`,
      ),
      spec,
    );
    const beats = await PartStream.open<BeatRun>(await open(), 'beat-run');
    const movements = await PartStream.open<MovementRun>(await open(), 'movement-run');
    const errors = await PartStream.open<HandlerError>(await open(), 'handler-error');
    let batch: RunParts[] = [];
    for (let row = await runs.next(); row !== null; row = await runs.next()) {
      const n = row.extra[0] as number;
      batch.push({
        run: row.entity,
        beats: await beats.partsOf(n),
        movements: await movements.partsOf(n),
        errors: await errors.partsOf(n),
      });
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    for (const c of connections) c.closeSync();
  }
}
