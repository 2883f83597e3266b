/**
 * The SQL of an extend write on DuckDB (`BeginFileOptions.extend`), in the writer's transaction. DuckDB keeps no
 * index on these tables: each statement reads one or two columns of the file's rows (row groups of other files
 * are skipped by their zone maps on `file_id`) and rewrites none. Few statements: at a few milliseconds each,
 * their number, not the rows read, is most of an extend's cost.
 */
import { type DuckDBConnection, type DuckDBValue, listValue } from '@duckdb/node-api';
import type { TraceEntityKind } from '../../model/index.js';
import type { EncodedTable } from '../column-batch.js';
import { ENTITY_KINDS, tableSpec } from '../entity-tables.js';
import { DuplicateEntityError, dropIdsByKind, dropLinesByKind } from '../extend-refs.js';
import { sqlString } from '../sql-string.js';
import type { EntityRef, IdentifiedKind } from '../telemetry-store.js';

/** Deletes the file's entities `drop` names; names of entities not stored are skipped. */
export async function deleteDropped(
  connection: DuckDBConnection,
  fileId: string,
  drop: readonly EntityRef[],
): Promise<void> {
  for (const [kind, ids] of dropIdsByKind(drop)) {
    await connection.run(
      `DELETE FROM ${tableSpec(kind).table} WHERE file_id = $1 AND id IN (SELECT unnest($2::VARCHAR[]))`,
      [fileId, listValue(ids)],
    );
  }
  for (const [kind, lines] of dropLinesByKind(drop)) {
    const { table, lineColumn } = tableSpec(kind);
    await connection.run(
      `DELETE FROM ${table} WHERE file_id = $1 AND ${lineColumn} IN (SELECT unnest($2::INTEGER[]))`,
      [fileId, listValue(lines)],
    );
  }
}

/** Per entity kind, the `ord` after the file's last stored row (0 when it has none): one statement for all. */
export async function nextOrds(connection: DuckDBConnection, fileId: string): Promise<Map<TraceEntityKind, number>> {
  const columns = ENTITY_KINDS.map(
    (kind) => `(SELECT coalesce(max(ord) + 1, 0) FROM ${tableSpec(kind).table} WHERE file_id = $1)::INTEGER`,
  );
  const row = (await connection.runAndReadAll(`SELECT ${columns.join(', ')}`, [fileId])).getRows()[0] ?? [];
  return new Map(ENTITY_KINDS.map((kind, i) => [kind, Number(row[i] ?? 0)]));
}

/** The ids of an encoded table's rows (its `id` column; none for a kind without one). */
export function idsOf(table: EncodedTable): string[] {
  const at = tableSpec(table.kind).columns.findIndex((c) => c.name === 'id');
  const column = table.columns[at];
  if (column === undefined || column.type !== 'text') return [];
  return Array.from(column.codes.subarray(0, table.rows), (code) => column.dict[code]!);
}

/** What one kind's rows appended by an extend are checked with: their ids, and the first `ord` they were given. */
export interface AppendedIds {
  readonly firstOrd: number;
  readonly ids: string[];
}

/**
 * Throws DuplicateEntityError when an id appended in this write is the id of a row of its kind stored before it
 * (ord < its `firstOrd`): one statement for every kind.
 */
export async function checkNoStoredDuplicate(
  connection: DuckDBConnection,
  fileId: string,
  appended: ReadonlyMap<IdentifiedKind, AppendedIds>,
): Promise<void> {
  const values: DuckDBValue[] = [fileId];
  const selects: string[] = [];
  for (const [kind, { firstOrd, ids }] of appended) {
    if (ids.length === 0) continue;
    const [ord, list] = [values.push(firstOrd), values.push(listValue([...ids]))];
    selects.push(
      `SELECT ${sqlString(kind)} AS kind, id FROM ${tableSpec(kind).table}
       WHERE file_id = $1 AND ord < $${ord} AND id IN (SELECT unnest($${list}::VARCHAR[]))`,
    );
  }
  if (selects.length === 0) return;
  const row = (await connection.runAndReadAll(`${selects.join(' UNION ALL ')} LIMIT 1`, values)).getRows()[0];
  if (row !== undefined) throw new DuplicateEntityError(fileId, row[0] as IdentifiedKind, String(row[1]));
}

/** Deletes the file's record (files, print, diagnostics) so the committed FileInfo replaces it. */
export async function deleteFileRecord(connection: DuckDBConnection, fileId: string): Promise<void> {
  for (const table of ['diagnostics', 'file_prints', 'files']) {
    await connection.run(`DELETE FROM ${table} WHERE file_id = $1`, [fileId]);
  }
}
