/**
 * The SQL of an extend write on PostgreSQL (`BeginFileOptions.extend`), in the writer's transaction: dropped and
 * duplicate ids are looked up through the tables' `id` indexes (once the tables are analyzed: on a table bulk-loaded
 * since the last ANALYZE the planner may read the file's rows instead); the next `ord` of each kind appended to is
 * the max over the file's rows of that kind, the one read that grows with the file (about 15 ms per 50,000 rows).
 * No row of the file is rewritten.
 */
import type { PoolClient } from 'pg';
import { tableSpec } from '../entity-tables.js';
import { DuplicateEntityError, dropIdsByKind, dropLinesByKind } from '../extend-refs.js';
import type { EntityRef, IdentifiedKind } from '../telemetry-store.js';

/** Deletes the file's entities `drop` names; names of entities not stored are skipped. */
export async function pgDeleteDropped(client: PoolClient, fileId: string, drop: readonly EntityRef[]): Promise<void> {
  for (const [kind, ids] of dropIdsByKind(drop)) {
    await client.query(`DELETE FROM ${tableSpec(kind).table} WHERE file_id = $1 AND id = ANY($2::text[])`, [
      fileId,
      ids,
    ]);
  }
  for (const [kind, lines] of dropLinesByKind(drop)) {
    const { table, lineColumn } = tableSpec(kind);
    await client.query(`DELETE FROM ${table} WHERE file_id = $1 AND ${lineColumn} = ANY($2::int[])`, [fileId, lines]);
  }
}

/** The `ord` after the file's last stored row of `table` (0 when it has none). */
export async function pgNextOrd(client: PoolClient, table: string, fileId: string): Promise<number> {
  const result = await client.query(`SELECT coalesce(max(ord) + 1, 0) AS next FROM ${table} WHERE file_id = $1`, [
    fileId,
  ]);
  return Number(result.rows[0]?.next ?? 0);
}

/** Throws DuplicateEntityError when one of `ids` (appended in this write) is the id of a row stored before it. */
export async function pgCheckNoStoredDuplicate(
  client: PoolClient,
  fileId: string,
  kind: IdentifiedKind,
  ids: readonly string[],
  firstOrd: number,
): Promise<void> {
  const result = await client.query(
    `SELECT id FROM ${tableSpec(kind).table} WHERE file_id = $1 AND id = ANY($2::text[]) AND ord < $3 LIMIT 1`,
    [fileId, ids, firstOrd],
  );
  const id = result.rows[0]?.id;
  if (id !== undefined) throw new DuplicateEntityError(fileId, kind, String(id));
}

/** Deletes the file's record (files, print, diagnostics) so the committed FileInfo replaces it. */
export async function pgDeleteFileRecord(client: PoolClient, fileId: string): Promise<void> {
  for (const table of ['diagnostics', 'file_prints', 'files']) {
    await client.query(`DELETE FROM ${table} WHERE file_id = $1`, [fileId]);
  }
}
