/**
 * Entities as columns: one table per entity kind, each column in the shape DuckDB's data chunks take.
 * This is how entities travel from a parser thread to the writer (numbers in typed arrays that are
 * transferred, not copied; text dictionary-encoded so each distinct value crosses once) and what the
 * DuckDB appender consumes, so the per-row JavaScript work (getters, hashing, validation) happens where
 * the batch is encoded — in the parser thread when there is one — and the writer thread is left with
 * native appends and memory copies.
 *
 * Invariants: every column of a table has `rows` entries; text codes index `dict` (-1 is NULL); enum
 * codes index the column's vocabulary (`ENUM_NULL` is NULL); `nulls[i] === 1` marks a NULL number.
 */
import type { StackFrame, TraceEntity, TraceEntityKind } from '../model/index.js';
import type { ColumnSpec, EntityTableSpec } from './column-spec.js';
import { checkEntityFile } from './entity-file.js';
import { tableSpec } from './entity-tables.js';
import type { Row } from './telemetry-store.js';

export const ENUM_NULL = 255;

export type EncodedColumn =
  | { readonly type: 'text'; readonly dict: string[]; readonly codes: Int32Array }
  | { readonly type: 'enum'; readonly codes: Uint8Array }
  | { readonly type: 'int'; readonly values: Int32Array; readonly nulls: Uint8Array | null }
  /** DOUBLE, and MS (integer epoch milliseconds, checked on encode). */
  | { readonly type: 'double' | 'ms'; readonly values: Float64Array; readonly nulls: Uint8Array | null }
  | { readonly type: 'bool'; readonly values: Uint8Array; readonly nulls: Uint8Array | null }
  /** TEXT[]: every row's items in one dictionary-encoded run; row i's are `codes[offsets[i]..offsets[i+1])`. */
  | {
      readonly type: 'text-list';
      readonly offsets: Int32Array;
      readonly dict: string[];
      readonly codes: Int32Array;
      readonly nulls: Uint8Array | null;
    }
  /** FRAMES, as plain values (rare and small), with NULLs as DuckDB returns them. */
  | { readonly type: 'list'; readonly values: unknown[] };

export interface EncodedTable {
  readonly kind: TraceEntityKind;
  readonly rows: number;
  /** In `tableSpec(kind).columns` order. */
  readonly columns: EncodedColumn[];
}

export interface ColumnBatch {
  readonly tables: EncodedTable[];
}

/** The typed arrays of a batch, to pass as `postMessage`'s transfer list. */
export function transferables(batch: ColumnBatch): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const table of batch.tables) {
    for (const c of table.columns) {
      if (c.type === 'text' || c.type === 'enum') out.push(c.codes.buffer as ArrayBuffer);
      else if (c.type === 'text-list') {
        out.push(c.offsets.buffer as ArrayBuffer, c.codes.buffer as ArrayBuffer);
        if (c.nulls) out.push(c.nulls.buffer as ArrayBuffer);
      } else if (c.type !== 'list') {
        out.push(c.values.buffer as ArrayBuffer);
        if (c.nulls) out.push(c.nulls.buffer as ArrayBuffer);
      }
    }
  }
  return out;
}

/**
 * Encodes one file's entities, batch after batch. Per text column it learns whether looking values up
 * pays: a column whose values are mostly new (ids) stops hashing them after its first batch and only
 * folds repeats of the previous row (run ids come in runs).
 */
export class ColumnBatchEncoder {
  private readonly hashText = new Map<string, boolean>();

  constructor(private readonly fileId: string) {}

  encode(entities: readonly TraceEntity[]): ColumnBatch {
    const byKind = new Map<TraceEntityKind, TraceEntity[]>();
    for (const entity of entities) {
      checkEntityFile(entity, this.fileId);
      const list = byKind.get(entity.kind);
      if (list === undefined) byKind.set(entity.kind, [entity]);
      else list.push(entity);
    }
    const tables: EncodedTable[] = [];
    for (const [kind, list] of byKind) {
      const spec = tableSpec(kind);
      tables.push({ kind, rows: list.length, columns: spec.columns.map((c) => this.column(spec, c, list)) });
    }
    return { tables };
  }

  private column(spec: EntityTableSpec, column: ColumnSpec<TraceEntity>, list: readonly TraceEntity[]): EncodedColumn {
    const n = list.length;
    const get = column.get;
    switch (column.type) {
      case 'TEXT': {
        const key = `${spec.table}.${column.name}`;
        const hash = this.hashText.get(key) ?? true;
        const encoded = encodeText(list, get, hash);
        if (hash && !this.hashText.has(key)) this.hashText.set(key, encoded.hits >= encoded.column.dict.length);
        return encoded.column;
      }
      case 'ENUM': {
        const values = column.values ?? [];
        if (values.length >= ENUM_NULL) throw new Error(`${spec.table}.${column.name}: too many enum values`);
        const codes = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = get(list[i]!);
          if (v === null || v === undefined) codes[i] = ENUM_NULL;
          else {
            const code = values.indexOf(v as string);
            if (code < 0)
              throw new Error(`${spec.table}.${column.name}: "${String(v)}" is not one of ${values.join(', ')}`);
            codes[i] = code;
          }
        }
        return { type: 'enum', codes };
      }
      case 'INT':
        return numbers('int', new Int32Array(n), list, get, column.name);
      case 'DOUBLE':
        return numbers('double', new Float64Array(n), list, get, column.name);
      case 'MS': {
        const encoded = numbers('ms', new Float64Array(n), list, get, column.name);
        for (let i = 0; i < n; i++) {
          const v = encoded.values[i]!;
          if (!encoded.nulls?.[i] && !Number.isSafeInteger(v))
            throw new Error(`${column.name} must be integer epoch ms, got ${String(v)}`);
        }
        return encoded;
      }
      case 'BOOL': {
        const bit = (e: TraceEntity) => {
          const v = get(e);
          return v === null || v === undefined ? v : v ? 1 : 0;
        };
        return numbers('bool', new Uint8Array(n), list, bit, column.name);
      }
      case 'TEXT[]':
        return encodeTextList(list, get, `${spec.table}.${column.name}`);
      case 'FRAMES':
        return { type: 'list', values: list.map((e) => (get(e) as StackFrame[]).map(frameRow)) };
    }
  }
}

function encodeText(
  list: readonly TraceEntity[],
  get: (e: TraceEntity) => unknown,
  hash: boolean,
): { column: EncodedColumn & { type: 'text' }; hits: number } {
  const n = list.length;
  const dict: string[] = [];
  const codes = new Int32Array(n);
  const index = hash ? new Map<string, number>() : null;
  let previous: string | null = null;
  let previousCode = -1;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const v = get(list[i]!) as string | null | undefined;
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    if (v === previous) {
      codes[i] = previousCode;
      continue;
    }
    let code = index?.get(v);
    if (code === undefined) {
      code = dict.length;
      dict.push(v);
      index?.set(v, code);
    } else hits++;
    codes[i] = code;
    previous = v;
    previousCode = code;
  }
  return { column: { type: 'text', dict, codes }, hits };
}

/** List items are few and repetitive (baton keys, handler names): always looked up. */
function encodeTextList(
  list: readonly TraceEntity[],
  get: (e: TraceEntity) => unknown,
  name: string,
): EncodedColumn & { type: 'text-list' } {
  const n = list.length;
  const offsets = new Int32Array(n + 1);
  const items: number[] = [];
  const dict: string[] = [];
  const index = new Map<string, number>();
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = get(list[i]!) as readonly string[] | null | undefined;
    if (v === null || v === undefined) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
    } else {
      for (const item of v) {
        if (typeof item !== 'string') throw new Error(`${name}: list item ${String(item)} is not text`);
        let code = index.get(item);
        if (code === undefined) {
          code = dict.push(item) - 1;
          index.set(item, code);
        }
        items.push(code);
      }
    }
    offsets[i + 1] = items.length;
  }
  return { type: 'text-list', offsets, dict, codes: Int32Array.from(items), nulls };
}

function numbers<T extends 'int' | 'double' | 'ms' | 'bool', A extends Int32Array | Float64Array | Uint8Array>(
  type: T,
  values: A,
  list: readonly TraceEntity[],
  get: (e: TraceEntity) => unknown,
  name: string,
): { type: T; values: A; nulls: Uint8Array | null } {
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < list.length; i++) {
    const v = get(list[i]!);
    if (v === null || v === undefined) {
      nulls ??= new Uint8Array(list.length);
      nulls[i] = 1;
    } else {
      values[i] = v as number;
      // A fraction or an overflow in an Int32Array would be stored silently changed (NaN is kept).
      if (values[i] !== v && !Number.isNaN(v)) throw new Error(`${name}: ${String(v)} does not fit a ${type} column`);
    }
  }
  return { type, values, nulls };
}

const frameRow = (f: StackFrame) => ({
  fn: f.fn ?? null,
  file: f.file,
  line: f.line ?? null,
  column: f.column ?? null,
});

/** Back to entities, through each table's `fromRow`: exactly what a DuckDB round trip gives. */
export function decodeColumnBatch(batch: ColumnBatch, fileId: string): TraceEntity[] {
  const out: TraceEntity[] = [];
  for (const table of batch.tables) {
    const spec = tableSpec(table.kind);
    for (let i = 0; i < table.rows; i++) {
      const row: Row = {};
      spec.columns.forEach((column, c) => {
        row[column.name] = cell(table.columns[c]!, column, i);
      });
      out.push(spec.fromRow(row, fileId));
    }
  }
  return out;
}

function cell(encoded: EncodedColumn, column: ColumnSpec<TraceEntity>, i: number): unknown {
  switch (encoded.type) {
    case 'text':
      return encoded.codes[i]! < 0 ? null : encoded.dict[encoded.codes[i]!];
    case 'enum':
      return encoded.codes[i] === ENUM_NULL ? null : column.values?.[encoded.codes[i]!];
    case 'text-list': {
      if (encoded.nulls?.[i]) return null;
      const items: string[] = [];
      for (let k = encoded.offsets[i]!; k < encoded.offsets[i + 1]!; k++) items.push(encoded.dict[encoded.codes[k]!]!);
      return items;
    }
    case 'list':
      return encoded.values[i];
    case 'bool':
      return encoded.nulls?.[i] ? null : encoded.values[i] === 1;
    default:
      return encoded.nulls?.[i] ? null : encoded.values[i];
  }
}
