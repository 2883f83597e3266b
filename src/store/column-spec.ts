/**
 * How one entity kind maps to one table: the column list, each column naming the entity field it holds,
 * drives the DDL, the chunk appender and the row reader, so the three cannot drift apart. Every table also starts with `file_id` and `ord`
 * (see `duckdb/duckdb-schema.ts`), which the writer fills, not the entity.
 */
import type { StackFrame, TraceEntity } from '../model/index.js';
import type { Row } from './telemetry-store.js';

/**
 * Storage types. `MS` is epoch milliseconds as BIGINT (integers only: a fractional value is refused
 * on append rather than rounded). `INT` is 32-bit. `ENUM` holds one of the column's fixed `values`
 * (a model union such as `RunStatus`): compact, compared as text in SQL, and appended without a
 * string copy per row. `TEXT[]` is `VARCHAR[]`; `FRAMES` is a list of stack-frame structs.
 */
export type ColumnType = 'TEXT' | 'ENUM' | 'MS' | 'INT' | 'DOUBLE' | 'BOOL' | 'TEXT[]' | 'FRAMES';

/**
 * A field of the entity, as a dotted path: `'startMs'`, or one level down into an object field
 * (`'span.startLine'`, `'change.added'`). Arrays are whole values (`'handlers'`, `'stack'`).
 */
export type FieldPath<E> = {
  [K in keyof E & string]: NonNullable<E[K]> extends readonly unknown[]
    ? K
    : NonNullable<E[K]> extends object
      ? `${K}.${keyof NonNullable<E[K]> & string}`
      : K;
}[keyof E & string];

export interface ColumnSpec<E> {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  /** The entity field the column holds; `get` reads it, the table's `fromRow` writes it back. */
  readonly path: string;
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
  /**
   * Rebuilds the entity from a row read with the JS converter (BIGINT arrives as bigint). Derived from
   * `columns` by `entityTable`, so the writer and the reader cannot drift apart.
   */
  readonly fromRow: (row: Row, fileId: string) => E;
  /** `fromRow` from the row's values in `columns` order (an array a reader fills in place: no object per row). */
  readonly fromValues: (values: readonly unknown[], fileId: string) => E;
}

function getter(path: string): (entity: unknown) => unknown {
  const [head, sub] = path.split('.') as [string, string | undefined];
  if (sub === undefined) return (e) => (e as Record<string, unknown>)[head];
  return (e) => ((e as Record<string, Record<string, unknown>>)[head] as Record<string, unknown>)[sub];
}

/**
 * Column builder: `col('start_line', 'INT!', 'span.startLine')`; a `!` suffix on the type marks NOT NULL
 * (the reader then returns the value as is; a nullable column reads NULL as `null`).
 */
export function col<E>(name: string, type: ColumnType | `${ColumnType}!`, path: FieldPath<E>): ColumnSpec<E> {
  const notNull = type.endsWith('!');
  return { name, type: (notNull ? type.slice(0, -1) : type) as ColumnType, notNull, path, get: getter(path) };
}

/** An ENUM column over every member of the union `T`; a missing member is a type error. */
export function enumCol<E, T extends string>(
  name: string,
  values: readonly T[],
  path: FieldPath<E>,
  notNull = true,
): ColumnSpec<E> {
  return { name, type: 'ENUM', notNull, path, get: getter(path), values };
}

/**
 * A table spec whose row reader is derived from its columns. `fileId`: where the entity keeps the id of
 * its file, which is the row's `file_id` column rather than one of `columns` (`'span.fileId'`, or
 * `'fileId'` placed after the first column as the model declares it); absent when the entity has none.
 */
export function entityTable<E extends TraceEntity>(spec: {
  readonly kind: E['kind'];
  readonly table: string;
  readonly lineColumn: string;
  readonly fileId?: 'fileId' | 'span.fileId';
  readonly columns: readonly ColumnSpec<E>[];
}): EntityTableSpec<E> {
  const { kind, columns, fileId } = spec;
  return {
    kind,
    table: spec.table,
    lineColumn: spec.lineColumn,
    columns,
    fromRow: compileFromRow(kind, columns, fileId, (c) => `row[${JSON.stringify(c.name)}]`),
    fromValues: compileFromRow(kind, columns, fileId, (_, i) => `row[${i}]`),
  };
}

/**
 * `fromRow` for one table, compiled from its columns into a function that builds each entity as one object literal:
 * the same fields in the same order as setting them one column at a time would, but a fixed shape V8 builds in
 * place, where setting fields by computed name cost ~3.5 µs per row (a third of reading a large store's runs and
 * beats). Only the specs' own column names and paths go into the code, never data.
 */
function compileFromRow<E, R>(
  kind: string,
  columns: readonly ColumnSpec<E>[],
  fileId: 'fileId' | 'span.fileId' | undefined,
  /** The code reading column `c` (the `i`-th) from `row`. */
  valueIn: (c: ColumnSpec<E>, i: number) => string,
): (row: R, file: string) => E {
  /** The entity's fields in order: a top-level field's expression, or an object field's own fields in order. */
  const fields = new Map<string, string | Map<string, string>>([['kind', JSON.stringify(kind)]]);
  columns.forEach((c, i) => {
    const value = valueCode(`v${i}`, c);
    const dot = c.path.indexOf('.');
    if (dot < 0) fields.set(c.path, value);
    else {
      const head = c.path.slice(0, dot);
      // An object field is created by its first column; the span starts with its file id.
      let obj = fields.get(head) as Map<string, string> | undefined;
      if (obj === undefined) {
        obj = new Map(head === 'span' && fileId === 'span.fileId' ? [['fileId', 'file']] : []);
        fields.set(head, obj);
      }
      obj.set(c.path.slice(dot + 1), value);
    }
    if (i === 0 && fileId === 'fileId') fields.set('fileId', 'file');
  });
  const literal = (m: Map<string, string | Map<string, string>>): string =>
    `{ ${[...m].map(([k, v]) => `${JSON.stringify(k)}: ${typeof v === 'string' ? v : literal(v)}`).join(', ')} }`;
  const reads = columns.map((c, i) => `const v${i} = ${valueIn(c, i)};`).join('\n');
  const build = new Function('row', 'file', 'frames', `${reads}\nreturn ${literal(fields)};`) as (
    row: R,
    file: string,
    frames: typeof framesFromValue,
  ) => E;
  return (row, file) => build(row, file, framesFromValue);
}

/**
 * The code of column `c`'s value as the model holds it, from the variable `v` holding what the row has (INTEGER
 * and DOUBLE arrive as numbers, BIGINT (`MS`) as bigint; a nullable column reads NULL or a missing value as null).
 */
function valueCode(v: string, c: Pick<ColumnSpec<unknown>, 'type' | 'notNull'>): string {
  switch (c.type) {
    case 'TEXT':
    case 'ENUM':
      return c.notNull ? v : `(${v} ?? null)`;
    case 'MS':
    case 'INT':
    case 'DOUBLE':
      return c.notNull ? `Number(${v})` : `(${v} == null ? null : Number(${v}))`;
    case 'BOOL':
      return c.notNull ? `(${v} === true)` : `(${v} == null ? null : ${v} === true)`;
    case 'TEXT[]':
      return `(${v} ?? [])`;
    case 'FRAMES':
      return `(${v} == null ? [] : frames(${v}))`;
  }
}

interface FrameRow {
  readonly fn: string | null;
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
}

/** Optional frame fields are absent (not undefined) in the model, so NULL struct fields are dropped. */
function framesFromValue(frames: readonly FrameRow[]): StackFrame[] {
  return frames.map((f) => ({
    ...(f.fn === null ? {} : { fn: f.fn }),
    file: f.file,
    ...(f.line === null ? {} : { line: f.line }),
    ...(f.column === null ? {} : { column: f.column }),
  }));
}
