/**
 * The SQL of an extend write on DuckDB (`BeginFileOptions.extend`), in the writer's transaction. DuckDB keeps no
 * index on these tables: each statement reads one or two columns of the file's rows (row groups of other files
 * are skipped by their zone maps on `file_id`) and rewrites none; about a millisecond per 100,000 rows.
 */
import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import type { EncodedTable } from '../column-batch.js';
import { tableSpec } from '../entity-tables.js';
import { DuplicateEntityError, dropIdsByKind } from '../extend-refs.js';
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
}

/** The `ord` after the file's last stored row of `table` (0 when it has none). */
export async function nextOrd(connection: DuckDBConnection, table: string, fileId: string): Promise<number> {
  const reader = await connection.runAndReadAll(
    `SELECT coalesce(max(ord) + 1, 0)::INTEGER FROM ${table} WHERE file_id = $1`,
    [fileId],
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** The ids of an encoded table's rows (its `id` column; none for a kind without one). */
export function idsOf(table: EncodedTable): string[] {
  const at = tableSpec(table.kind).columns.findIndex((c) => c.name === 'id');
  const column = table.columns[at];
  if (column === undefined || column.type !== 'text') return [];
  return Array.from(column.codes.subarray(0, table.rows), (code) => column.dict[code]!);
}

/**
 * Throws DuplicateEntityError when one of `ids` (appended in this write) is the id of a row of `kind` stored before
 * it (ord < `firstOrd`).
 */
export async function checkNoStoredDuplicate(
  connection: DuckDBConnection,
  fileId: string,
  kind: IdentifiedKind,
  ids: readonly string[],
  firstOrd: number,
): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT id FROM ${tableSpec(kind).table} WHERE file_id = $1 AND ord < $2
       AND id IN (SELECT unnest($3::VARCHAR[])) LIMIT 1`,
    [fileId, firstOrd, listValue([...ids])],
  );
  const id = reader.getRows()[0]?.[0];
  if (id !== undefined) throw new DuplicateEntityError(fileId, kind, String(id));
}

/** Deletes the file's record (files, print, diagnostics) so the committed FileInfo replaces it. */
export async function deleteFileRecord(connection: DuckDBConnection, fileId: string): Promise<void> {
  for (const table of ['diagnostics', 'file_prints', 'files']) {
    await connection.run(`DELETE FROM ${table} WHERE file_id = $1`, [fileId]);
  }
}
