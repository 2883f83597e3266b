/**
 * Bulk insert of one entity kind through DuckDB's appender, from column-encoded batches
 * (`column-batch.ts`), a data chunk (up to 2048 rows) at a time. Fixed-width columns are copied into
 * the chunk's vectors in one native call each; VARCHAR columns and the items of VARCHAR lists go
 * through `fillVarcharColumn` (a native call per distinct long value only); stack frames go through the
 * node API's vectors. Rows land in the connection's open transaction.
 */
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  DuckDBVector,
  ENUM,
  INTEGER,
  LIST,
  listValue,
  STRUCT,
  structValue,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { TraceEntity } from '../../model/index.js';
import { ENUM_NULL, type EncodedColumn, type EncodedTable } from '../column-batch.js';
import type { ColumnSpec, EntityTableSpec } from '../column-spec.js';
import { fillVarcharColumn, setValidity, VarcharDictionary, withNull } from './duckdb-varchar-column.js';

/**
 * Rows after which the appender's buffer goes into the transaction. DuckDB's appender buffers 204,800
 * rows on its own, outside the memory limit, per table: with five tables and two files written at
 * once that was ~300 MB of a 300 MB log's peak RSS. Flushed data is under the limit (and spills);
 * flushing every 16 Ki rows cost no measurable time.
 */
const FLUSH_ROWS = 16_384;

const FRAME = STRUCT({ fn: VARCHAR, file: VARCHAR, line: INTEGER, column: INTEGER });

function duckdbType(column: ColumnSpec<TraceEntity>): DuckDBType {
  switch (column.type) {
    case 'TEXT':
      return VARCHAR;
    case 'ENUM':
      return ENUM(column.values ?? []);
    case 'MS':
      return BIGINT;
    case 'INT':
      return INTEGER;
    case 'DOUBLE':
      return DOUBLE;
    case 'BOOL':
      return BOOLEAN;
    case 'TEXT[]':
      return LIST(VARCHAR);
    case 'FRAMES':
      return LIST(FRAME);
  }
}

interface FrameRow {
  fn: string | null;
  file: string;
  line: number | null;
  column: number | null;
}

export class ChunkAppender {
  private readonly types: DuckDBType[];
  private readonly chunkRows = DuckDBVector.standardSize();
  /** The file id, as a one-entry dictionary every row points at. */
  private readonly fileIdColumn: VarcharDictionary;
  /** The next row's `ord`: rows appended so far, after the file's stored rows when it is extended. */
  private ord: number;
  /** Rows appended since the appender last handed its buffer to the transaction. */
  private unflushed = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly spec: EntityTableSpec,
    fileId: string,
    /** The first row's `ord`: past every stored row of the file in this table. */
    firstOrd = 0,
  ) {
    this.ord = firstOrd;
    this.types = [VARCHAR, INTEGER, ...spec.columns.map(duckdbType)];
    this.fileIdColumn = new VarcharDictionary([fileId]);
  }

  append(table: EncodedTable): void {
    const ords = new Int32Array(table.rows);
    for (let i = 0; i < table.rows; i++) ords[i] = this.ord + i;
    this.appendRows(table, this.fileIdColumn, new Int32Array(table.rows), ords);
    this.ord += table.rows;
  }

  /**
   * Rows of several files at once (a group's: `concatTables`), each row's file id `fileIds.dict[fileIdCodes[i]]`
   * and its `ord` given.
   */
  appendRows(table: EncodedTable, fileIds: VarcharDictionary, fileIdCodes: Int32Array, ords: Int32Array): void {
    if (table.kind !== this.spec.kind) throw new Error(`${table.kind} rows appended to ${this.spec.table}`);
    const dictionaries = table.columns.map((c) =>
      c.type === 'text' || c.type === 'text-list' ? new VarcharDictionary(c.dict) : null,
    );
    for (let from = 0; from < table.rows; from += this.chunkRows) {
      const n = Math.min(this.chunkRows, table.rows - from);
      const chunk = DuckDBDataChunk.create(this.types, n);
      fillVarcharColumn(vectorOf(chunk, 0), fileIds, fileIdCodes, from, n);
      copyInto(chunk, 1, ords.subarray(from, from + n));
      table.columns.forEach((column, c) => {
        this.fill(chunk, c + 2, column, dictionaries[c] ?? null, from, n);
      });
      this.appender.appendDataChunk(chunk);
    }
    this.unflushed += table.rows;
    if (this.unflushed >= FLUSH_ROWS) {
      this.appender.flushSync();
      this.unflushed = 0;
    }
  }

  /** Flushes buffered rows into the transaction and releases the appender. */
  close(): void {
    this.appender.closeSync();
  }

  /** Drops rows not yet flushed; the caller rolls back what was. */
  discard(): void {
    this.appender.clear();
    this.appender.closeSync();
  }

  private fill(
    chunk: DuckDBDataChunk,
    index: number,
    column: EncodedColumn,
    dictionary: VarcharDictionary | null,
    from: number,
    n: number,
  ): void {
    switch (column.type) {
      case 'text':
        fillVarcharColumn(vectorOf(chunk, index), dictionary!, column.codes, from, n);
        return;
      case 'enum': {
        const codes = column.codes.subarray(from, from + n);
        copyInto(chunk, index, codes, (i) => codes[i] === ENUM_NULL);
        return;
      }
      case 'ms': {
        const values = new BigInt64Array(n);
        const nulls = column.nulls?.subarray(from, from + n);
        for (let i = 0; i < n; i++) if (!nulls?.[i]) values[i] = BigInt(column.values[from + i]!);
        copyInto(chunk, index, values, nulls && ((i) => nulls[i] === 1));
        return;
      }
      case 'int':
      case 'double':
      case 'bool': {
        const nulls = column.nulls?.subarray(from, from + n);
        copyInto(chunk, index, column.values.subarray(from, from + n), nulls && ((i) => nulls[i] === 1));
        return;
      }
      case 'text-list':
        fillTextList(vectorOf(chunk, index), dictionary!, column, from, n);
        return;
      case 'list': {
        const vector = chunk.getColumnVector(index);
        for (let i = 0; i < n; i++) vector.setItem(i, frameList(column.values[from + i] as FrameRow[]));
        vector.flush();
        return;
      }
    }
  }
}

const vectorOf = (chunk: DuckDBDataChunk, index: number) => duckdb.data_chunk_get_vector(chunk.chunk, index);

/**
 * Rows `[from, from + n)` of a TEXT[] column into a fresh LIST(VARCHAR) vector: the list entries
 * (`duckdb_list_entry`: uint64 offset, uint64 length, into the child vector) in one copy, the items
 * into the child as any VARCHAR column.
 */
function fillTextList(
  vector: duckdb.Vector,
  dictionary: VarcharDictionary,
  column: EncodedColumn & { type: 'text-list' },
  from: number,
  n: number,
): void {
  const { offsets } = column;
  const first = offsets[from]!;
  const items = offsets[from + n]! - first;
  const entries = new Uint32Array(n * 4); // little-endian: low words set, high words 0
  for (let i = 0; i < n; i++) {
    entries[i * 4] = offsets[from + i]! - first;
    entries[i * 4 + 2] = offsets[from + i + 1]! - offsets[from + i]!;
  }
  duckdb.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
  const nulls = column.nulls;
  if (nulls) setNulls(vector, n, (i) => nulls[from + i] === 1);
  duckdb.list_vector_reserve(vector, items);
  duckdb.list_vector_set_size(vector, items);
  if (items > 0) fillVarcharColumn(duckdb.list_vector_get_child(vector), dictionary, column.codes, first, items);
}

/** Copies fixed-width values into a fresh vector, then NULLs where `isNull` says so. */
function copyInto(
  chunk: DuckDBDataChunk,
  index: number,
  values: Int32Array | Float64Array | Uint8Array | BigInt64Array,
  isNull?: ((i: number) => boolean) | null,
): void {
  const vector = vectorOf(chunk, index);
  duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
  if (isNull) setNulls(vector, values.length, isNull);
}

/** Marks NULL the rows of a fresh `n`-row vector where `isNull` says so (no mask when none is). */
function setNulls(vector: duckdb.Vector, n: number, isNull: (i: number) => boolean): void {
  let mask: Uint8Array | null = null;
  for (let i = 0; i < n; i++) if (isNull(i)) mask = withNull(mask, i, n);
  if (mask) setValidity(vector, mask);
}

function frameList(frames: readonly FrameRow[]): DuckDBValue {
  return listValue(frames.map((f) => structValue({ fn: f.fn, file: f.file, line: f.line, column: f.column })));
}
