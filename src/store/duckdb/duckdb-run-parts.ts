/**
 * `runParts` of the DuckDB store: four ordered streams, each on its own connection, merged in JavaScript. Runs
 * are numbered in (file_id, start_line, ord) order; beats, movements and errors are joined to that number and
 * sorted by it, then by their own (file_id, line, ord), so each stream is read once, in step with the runs,
 * and only the current chunks and one batch of runs are in memory. Same parts, same order as `runPartsOf`.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBVector } from '@duckdb/node-api';
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../../model/index.js';
import type { ColumnSpec, EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES } from '../entity-tables.js';
import { RUN_BATCH, type RunParts } from '../run-parts.js';
import type { Row } from '../telemetry-store.js';
import { readerOf, textReader, type ValueOf } from './duckdb-entity-reader.js';

const RUN_POSITIONS = `SELECT id, row_number() OVER (ORDER BY file_id, start_line, ord) AS pos FROM sequence_runs`;

function columnsOf(spec: EntityTableSpec, alias: string): string {
  return spec.columns.map((c) => `${alias}."${c.name}"`).join(', ');
}

/** Entities of one ordered query whose last two columns are `file_id` and the run position. */
class OrderedEntities<E> {
  private chunk: DuckDBDataChunk | null = null;
  private vectors: DuckDBVector[] = [];
  private row = 0;
  private done = false;
  private readonly readers: ValueOf[];
  private readonly fileIds = textReader();

  private constructor(
    private readonly result: DuckDBResult,
    private readonly spec: EntityTableSpec,
  ) {
    this.readers = (spec.columns as readonly ColumnSpec<unknown>[]).map(readerOf);
  }

  static async open<E>(connection: DuckDBConnection, spec: EntityTableSpec, sql: string): Promise<OrderedEntities<E>> {
    return new OrderedEntities<E>(await connection.stream(sql), spec);
  }

  /** Run position of the next row; undefined at the end. */
  async peekPos(): Promise<number | undefined> {
    if (!(await this.fill())) return undefined;
    return Number(this.vectors[this.spec.columns.length + 1]!.getItem(this.row));
  }

  /** The next row as an entity (call after `peekPos` said there is one). */
  take(): E {
    const columns = this.spec.columns;
    const row: Row = {};
    for (let k = 0; k < columns.length; k++) row[columns[k]!.name] = this.readers[k]!(this.vectors[k]!, this.row);
    const fileId = this.fileIds(this.vectors[columns.length]!, this.row) as string;
    this.row++;
    return this.spec.fromRow(row, fileId) as E;
  }

  private async fill(): Promise<boolean> {
    while (!this.done && (this.chunk === null || this.row >= this.chunk.rowCount)) {
      const chunk = await this.result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) {
        this.done = true;
        this.chunk = null;
        break;
      }
      this.chunk = chunk;
      this.vectors = Array.from({ length: chunk.columnCount }, (_, k) => chunk.getColumnVector(k));
      this.row = 0;
    }
    return !this.done;
  }

  /** Every row at run position `pos` (rows are sorted by position). */
  async takeAt(pos: number): Promise<E[]> {
    const out: E[] = [];
    for (;;) {
      const next = await this.peekPos();
      if (next === undefined || next > pos) return out;
      const entity = this.take();
      if (next === pos) out.push(entity);
    }
  }
}

/** `connections`: four, one per stream. */
export async function* readRunParts(connections: readonly DuckDBConnection[]): AsyncGenerator<RunParts[]> {
  const [c0, c1, c2, c3] = connections as [DuckDBConnection, DuckDBConnection, DuckDBConnection, DuckDBConnection];
  const runsSpec = ENTITY_TABLES['sequence-run'] as EntityTableSpec;
  const partsOf = (kind: 'beat-run' | 'movement-run' | 'handler-error') => {
    const spec = ENTITY_TABLES[kind] as EntityTableSpec;
    const line = `"${spec.lineColumn}"`;
    return {
      spec,
      sql: `SELECT ${columnsOf(spec, 't')}, t.file_id, r.pos FROM ${spec.table} t JOIN (${RUN_POSITIONS}) r ON r.id = t.sequence_run_id ORDER BY r.pos, t.file_id, t.${line}, t.ord`,
    };
  };
  const runs = await OrderedEntities.open<SequenceRun>(
    c0,
    runsSpec,
    `SELECT ${columnsOf(runsSpec, 's')}, s.file_id, row_number() OVER (ORDER BY s.file_id, s.start_line, s.ord) AS pos FROM sequence_runs s ORDER BY pos`,
  );
  const b = partsOf('beat-run');
  const m = partsOf('movement-run');
  const e = partsOf('handler-error');
  const beats = await OrderedEntities.open<BeatRun>(c1, b.spec, b.sql);
  const movements = await OrderedEntities.open<MovementRun>(c2, m.spec, m.sql);
  const errors = await OrderedEntities.open<HandlerError>(c3, e.spec, e.sql);
  let batch: RunParts[] = [];
  for (;;) {
    const pos = await runs.peekPos();
    if (pos === undefined) break;
    const run = runs.take();
    batch.push({
      run,
      beats: await beats.takeAt(pos),
      movements: await movements.takeAt(pos),
      errors: await errors.takeAt(pos),
    });
    if (batch.length === RUN_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
