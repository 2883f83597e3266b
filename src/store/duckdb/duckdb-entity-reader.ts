/**
 * Reads one entity table chunk by chunk (`connection.stream`), straight from DuckDB's column vectors, into the
 * same entities `EntityTableSpec.fromRow` builds (through `fromValues`, from one array of the row's values refilled
 * per row: an object per row cost ~15 % of reading). The package's `getRowObjectsJS()` over a materialized result
 * held the whole result, every row object and every entity at once, and spent most of its time converting
 * values (9 s for 170,000 beat runs); here one chunk (2,048 rows) is alive at a time besides the entities.
 * Repeated text (file, session, sequence, event, handler and plugin names) is interned per column, so a million
 * beats share a few strings instead of each holding its own copy; a column with more distinct values than
 * INTERN_LIMIT (ids) stops being interned (interner.ts).
 */
import type {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBListValue,
  DuckDBResult,
  DuckDBStructValue,
  DuckDBVector,
} from '@duckdb/node-api';
import type { ColumnSpec, EntityTableSpec } from '../column-spec.js';
import { interner } from '../interner.js';
import { sqlString } from '../sql-string.js';
import type { EntityPlace, EntityQuery } from '../telemetry-store.js';
import { groupFiles } from './duckdb-line-ranges.js';
import { asNameEnum } from './duckdb-name-enums.js';

/** One column's reader: the value of row `i` of its vector as the JS converter would give it. */
export type ValueOf = (vector: DuckDBVector, i: number) => unknown;

export function textReader(): ValueOf {
  const intern = interner();
  return (vector, i) => {
    const value = vector.getItem(i) as string | null;
    return value === null ? null : intern(value);
  };
}

const plain: ValueOf = (vector, i) => vector.getItem(i);

/**
 * The chunks of a streamed result, each next one fetched while the caller reads the current: DuckDB computes it
 * on its own threads meanwhile, so on two cores running the query and reading its rows in JS overlap instead of
 * taking turns (they took turns for about half of a large store's analysis).
 */
export async function* chunksOf(result: DuckDBResult): AsyncGenerator<DuckDBDataChunk> {
  let next = result.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk === null || chunk.rowCount === 0) return;
      next = result.fetchChunk();
      yield chunk;
    }
  } finally {
    // A reader that stopped early (or threw) leaves one fetch running: it settles before the generator is done,
    // so the connection is never closed under it; its failure is nobody's to handle.
    await next.catch(() => undefined);
  }
}

/** One column of an entity table as a query selects it: its SQL expression, and whether that casts it to an ENUM. */
export interface SelectedColumn {
  readonly spec: ColumnSpec<unknown>;
  readonly sql: string;
  readonly asEnum: boolean;
}

/**
 * The select list of an entity table's columns and the reader of its rows. node-api reads each VARCHAR value over
 * 12 bytes with a native call into a new external buffer (~2 µs and garbage per value: most of the time of reading
 * 50,000 beats), so the plain text columns (ids, titles, errors; not ENUM casts) and lists of text are selected
 * together as one JSON array per row, `json_array(a, b, …)`, and parsed in JS: one native call per row instead of one
 * per value. JSON carries every string exactly (quotes, control characters, NUL) and null. Fewer than two such columns are
 * read as they are.
 */
export class EntityRows {
  /** The SQL select list, columns aliased by their names. */
  readonly select: string;
  /** Result columns the select list takes, from the first. */
  readonly width: number;
  private readonly direct: { readonly at: number; readonly read: ValueOf }[] = [];
  private readonly packed: {
    readonly at: number;
    readonly list: boolean;
    readonly intern: (value: string) => string;
  }[] = [];
  /** The last row read by `values`, in column order: refilled by each call. */
  private readonly row: unknown[];

  constructor(columns: readonly SelectedColumn[]) {
    const pack = columns.filter((c) => (c.spec.type === 'TEXT' || c.spec.type === 'TEXT[]') && !c.asEnum);
    const packing = pack.length >= 2;
    const list: string[] = [];
    for (const [at, c] of columns.entries()) {
      if (packing && pack.includes(c)) continue;
      list.push(`${c.sql} AS "${c.spec.name}"`);
      this.direct.push({ at, read: readerOf(c.spec) });
    }
    if (packing) {
      list.push(`json_array(${pack.map((c) => c.sql).join(', ')})`);
      for (const c of pack) {
        this.packed.push({ at: columns.indexOf(c), list: c.spec.type === 'TEXT[]', intern: interner() });
      }
    }
    this.row = new Array(columns.length).fill(null);
    this.select = list.join(', ');
    this.width = list.length;
  }

  /**
   * Row `i` of a chunk whose first `width` column vectors are `vectors`, as its values in column order (what
   * `EntityTableSpec.fromValues` reads), in one array every call refills.
   */
  values(vectors: readonly DuckDBVector[], i: number): readonly unknown[] {
    const { direct, packed, row } = this;
    for (let k = 0; k < direct.length; k++) row[direct[k]!.at] = direct[k]!.read(vectors[k]!, i);
    if (packed.length > 0) {
      const values = JSON.parse(vectors[direct.length]!.getItem(i) as string) as (string | (string | null)[] | null)[];
      for (let k = 0; k < packed.length; k++) {
        const { at, list, intern } = packed[k]!;
        const v = values[k]!;
        if (v === null) row[at] = null;
        else if (list) row[at] = (v as (string | null)[]).map((item) => (item === null ? null : intern(item)));
        else row[at] = intern(v as string);
      }
    }
    return row;
  }
}

export function readerOf(c: ColumnSpec<unknown>): ValueOf {
  switch (c.type) {
    case 'TEXT':
    case 'ENUM':
      return textReader();
    case 'TEXT[]': {
      const intern = interner();
      return (vector, i) => {
        const list = vector.getItem(i) as DuckDBListValue | null;
        return list === null ? null : list.items.map((item) => (item === null ? null : intern(item as string)));
      };
    }
    case 'FRAMES':
      return (vector, i) => {
        const list = vector.getItem(i) as DuckDBListValue | null;
        return list === null ? null : list.items.map((f) => (f as DuckDBStructValue).entries);
      };
    default:
      return plain;
  }
}

/**
 * Every entity of `spec`'s table, in (file_id, line, ord) order: one query per large file, so its file id is not read
 * back on every row, and one per group of consecutive small files (up to GROUP_ROWS rows), whose file id comes back
 * as an ENUM: a query costs a few ms however few rows it returns, and a folder of hundreds of small consoles read one
 * query per file and table spent most of an analysis waiting on them.
 */
export async function readEntities<E>(
  connection: DuckDBConnection,
  spec: EntityTableSpec,
  query: EntityQuery = {},
): Promise<E[]> {
  const { before, from, fileIds } = query;
  if (fileIds?.length === 0) return [];
  const where = [
    before ? `file_id <= ${sqlString(before.fileId)}` : null,
    from ? `file_id >= ${sqlString(from.fileId)}` : null,
    fileIds ? `file_id IN (${fileIds.map(sqlString).join(', ')})` : null,
  ].filter((w) => w !== null);
  const files = await connection.runAndReadAll(
    `SELECT file_id, count(*)::BIGINT FROM ${spec.table}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY file_id ORDER BY file_id`,
  );
  const out: E[] = [];
  const fileRows = files.getRowsJS() as [string, bigint][];
  if (fileRows.length === 0) return out;
  const rows = new EntityRows(await selectedColumns(connection, spec, ''));
  // First and last line read, inclusive, of the files `from` and `before` cut; null for no bound.
  const lines = (fileId: string) => ({
    first: from !== undefined && fileId === from.fileId ? from.line : null,
    last: before !== undefined && fileId === before.fileId ? before.line - 1 : null,
  });
  const counted = fileRows.map(([fileId, count]) => ({ fileId, rows: Number(count) }));
  for (const group of groupFiles(counted, GROUP_ROWS)) {
    const fileId = group[0]!.fileId;
    if (group.length === 1) await readFileEntities(connection, spec, rows, fileId, lines(fileId), out);
    else
      await readFilesEntities(
        connection,
        spec,
        rows,
        group.map((f) => f.fileId),
        lines,
        out,
      );
  }
  return out;
}

/** Rows a query of several small files returns at most (a larger file is read alone). */
const GROUP_ROWS = 65_536;

/** Bounds on `line` (a quoted column) for `fileId`'s rows, as `lines` gives them; '' for none. */
function lineBounds(line: string, lines: { readonly first: number | null; readonly last: number | null }): string {
  return (
    (lines.first === null ? '' : ` AND ${line} >= ${Math.trunc(lines.first)}`) +
    (lines.last === null ? '' : ` AND ${line} <= ${Math.trunc(lines.last)}`)
  );
}

async function readFileEntities<E>(
  connection: DuckDBConnection,
  spec: EntityTableSpec,
  rows: EntityRows,
  fileId: string,
  /** First and last line read, inclusive; null for no bound. */
  lines: { readonly first: number | null; readonly last: number | null },
  out: E[],
): Promise<void> {
  const line = `"${spec.lineColumn}"`;
  const sql = `SELECT ${rows.select} FROM ${spec.table} WHERE file_id = $1${lineBounds(line, lines)} ORDER BY ${line}, ord`;
  for await (const chunk of chunksOf(await connection.stream(sql, [fileId]))) {
    const vectors = Array.from({ length: rows.width }, (_, k) => chunk.getColumnVector(k));
    for (let i = 0; i < chunk.rowCount; i++) out.push(spec.fromValues(rows.values(vectors, i), fileId) as E);
  }
}

/** The rows of several files in one query, each file's row telling its file id (an ENUM of `fileIds`). */
async function readFilesEntities<E>(
  connection: DuckDBConnection,
  spec: EntityTableSpec,
  rows: EntityRows,
  fileIds: readonly string[],
  lines: (fileId: string) => { readonly first: number | null; readonly last: number | null },
  out: E[],
): Promise<void> {
  const line = `"${spec.lineColumn}"`;
  const ids = fileIds.map(sqlString).join(', ');
  // Only the first file can start at a line (`from`), only the last end at one (`before`).
  const first = fileIds[0]!;
  const last = fileIds.at(-1)!;
  const bounds = [first, last]
    .map((id) => ({ id, bounds: lineBounds(line, lines(id)) }))
    .filter((b) => b.bounds !== '')
    .map((b) => ` AND (file_id <> ${sqlString(b.id)} OR (TRUE${b.bounds}))`)
    .join('');
  const sql = `SELECT ${rows.select}, file_id::ENUM(${ids}) AS "file" FROM ${spec.table}
WHERE file_id IN (${ids})${bounds} ORDER BY ${spec.table}.file_id, ${line}, ord`;
  const fileOf = textReader();
  for await (const chunk of chunksOf(await connection.stream(sql))) {
    const vectors = Array.from({ length: rows.width + 1 }, (_, k) => chunk.getColumnVector(k));
    const files = vectors[rows.width]!;
    for (let i = 0; i < chunk.rowCount; i++)
      out.push(spec.fromValues(rows.values(vectors, i), fileOf(files, i) as string) as E);
  }
}

/**
 * The columns of `spec`'s table as a query selects them (`alias`: the table's, with its dot, or ''): name columns as
 * ENUMs of the values they hold (duckdb-name-enums.ts), the others as they are.
 */
export async function selectedColumns(
  connection: DuckDBConnection,
  spec: EntityTableSpec,
  alias: string,
): Promise<SelectedColumn[]> {
  const columns: SelectedColumn[] = [];
  // One query at a time: the connection runs one.
  for (const c of spec.columns as readonly ColumnSpec<unknown>[]) {
    const plain = `${alias}"${c.name}"`;
    const sql = await asNameEnum(connection, spec.table, c.name, plain);
    columns.push({ spec: c, sql, asEnum: sql !== plain });
  }
  return columns;
}

/** Where the `n`-th (0-based) row of `spec`'s table (of file `fileId` only, when given) in (file_id, line, ord) order starts. */
export async function placeOfRow(
  connection: DuckDBConnection,
  spec: EntityTableSpec,
  n: number,
  fileId?: string,
): Promise<EntityPlace | undefined> {
  const line = `"${spec.lineColumn}"`;
  const where = fileId === undefined ? '' : ' WHERE file_id = $1';
  const sql = `SELECT file_id, ${line} FROM ${spec.table}${where} ORDER BY file_id, ${line}, ord LIMIT 1 OFFSET ${Math.trunc(n)}`;
  const row = (await connection.runAndReadAll(sql, fileId === undefined ? [] : [fileId])).getRowsJS()[0];
  return row === undefined ? undefined : { fileId: row[0] as string, line: Number(row[1]) };
}
