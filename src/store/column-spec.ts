/**
 * How one entity kind maps to one table: the column list drives the DDL, the chunk appender and the
 * row reader, so the three cannot drift apart. Every table also starts with `file_id` and `ord`
 * (see `duckdb/duckdb-schema.ts`), which the writer fills, not the entity.
 */
import type { TraceEntity } from '../model/index.js';
import type { Row } from './telemetry-store.js';

/**
 * Storage types. `MS` is epoch milliseconds as BIGINT (integers only: a fractional value is refused
 * on append rather than rounded). `INT` is 32-bit. `ENUM` holds one of the column's fixed `values`
 * (a model union such as `RunStatus`): compact, compared as text in SQL, and appended without a
 * string copy per row. `TEXT[]` is `VARCHAR[]`; `FRAMES` is a list of stack-frame structs.
 */
export type ColumnType = 'TEXT' | 'ENUM' | 'MS' | 'INT' | 'DOUBLE' | 'BOOL' | 'TEXT[]' | 'FRAMES';

export interface ColumnSpec<E> {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly get: (entity: E) => unknown;
  /** Members of an `ENUM` column, in declaration order. */
  readonly values?: readonly string[];
}

export interface EntityTableSpec<E extends TraceEntity = TraceEntity> {
  readonly kind: E['kind'];
  readonly table: string;
  /** The column holding the entity's first line; `entities()` orders by (file_id, this, ord). */
  readonly lineColumn: string;
  readonly columns: readonly ColumnSpec<E>[];
  /** Rebuilds the entity from a row read with the JS converter (BIGINT arrives as bigint). */
  readonly fromRow: (row: Row, fileId: string) => E;
}

/** Column builder: `col('start_ms', 'MS', (e) => e.startMs)`; a `!` suffix on the type marks NOT NULL. */
export function col<E>(name: string, type: ColumnType | `${ColumnType}!`, get: (entity: E) => unknown): ColumnSpec<E> {
  const notNull = type.endsWith('!');
  return { name, type: (notNull ? type.slice(0, -1) : type) as ColumnType, notNull, get };
}

/** An ENUM column over every member of the union `T`; a missing member is a type error. */
export function enumCol<E, T extends string>(
  name: string,
  values: readonly T[],
  get: (entity: E) => T | null,
  notNull = true,
): ColumnSpec<E> {
  return { name, type: 'ENUM', notNull, get, values };
}

export function text(row: Row, name: string): string {
  return row[name] as string;
}

export function textOrNull(row: Row, name: string): string | null {
  return (row[name] as string | null) ?? null;
}

/** INTEGER and DOUBLE columns arrive as numbers, BIGINT (`MS`) ones as bigint. */
export function num(row: Row, name: string): number {
  return Number(row[name]);
}

export function numOrNull(row: Row, name: string): number | null {
  const value = row[name];
  return value === null || value === undefined ? null : Number(value);
}

export function bool(row: Row, name: string): boolean {
  return row[name] === true;
}

export function texts(row: Row, name: string): string[] {
  return (row[name] as string[] | null) ?? [];
}
