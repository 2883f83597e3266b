/**
 * One file's write on a pooled client of its own, inside one PostgreSQL transaction:
 * BEGIN → lock the fileId and the files it replaces and supersedes → delete the file's earlier rows (an extend:
 * only the rows it drops) → a COPY per table and batch as entities arrive → delete the content it replaces and
 * the files it supersedes (recording those) → files, diagnostics and print rows → COMMIT. Other sessions see
 * nothing until COMMIT; ROLLBACK (abort, a failed commit) or a dying process (the server rolls back a
 * transaction whose connection is gone) leaves no row of the file.
 *
 * In a group (`TelemetryStore.writeFiles`), several files are written one after the other in one transaction the
 * group begins and ends: each file's steps are the same, without BEGIN and COMMIT.
 *
 * Several writers, in this process or in others, may write at once. Writers of the same fileId are serialised
 * by a transaction-scoped advisory lock: the second waits for the first to end, then deletes what the first
 * committed and writes its own, so a file is never lost nor stored twice. A transaction takes every lock it will
 * need (its files, the contents they replace, the files they supersede) at its start, in one statement and in
 * the order of the lock keys: two transactions that need some of the same files (a group here, a group of the
 * same logs in another ingest) then never each hold a lock the other waits for, so they cannot deadlock.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { FileInfo, StackFrame, TraceEntity, TraceEntityKind } from '../../model/index.js';
import { type ColumnBatch, decodeColumnBatch } from '../column-batch.js';
import type { ColumnSpec, EntityTableSpec } from '../column-spec.js';
import { checkEntityFile } from '../entity-file.js';
import { tableSpec } from '../entity-tables.js';
import { isIdentified, isIdentifiedKind } from '../extend-refs.js';
import { fileRowValues, valuesPlaceholders } from '../file-rows.js';
import type { BeginFileOptions, FileWriter } from '../telemetry-store.js';
import { copyField } from './copy-text.js';
import { pgCheckNoStoredDuplicate, pgDeleteDropped, pgDeleteFileRecord, pgNextOrd } from './postgres-extend.js';
import { PG_FILE_SCOPED_TABLES } from './postgres-schema.js';

/** Diagnostics rows per INSERT (6 parameters each: PostgreSQL takes at most 65,535 per statement). */
const MAX_ROWS_PER_INSERT = 1_000;

/** Deletes every row of a file, in the caller's transaction. */
export async function pgDeleteFileRows(client: PoolClient, fileId: string): Promise<void> {
  for (const table of PG_FILE_SCOPED_TABLES) await client.query(`DELETE FROM ${table} WHERE file_id = $1`, [fileId]);
}

/** Every fileId a write of `fileId` with `options` locks: its own, the content it replaces, the files it supersedes. */
export function fileIdsLocked(fileId: string, options: BeginFileOptions): string[] {
  const ids = [fileId, ...(options.supersedes ?? []).map((s) => s.fileId)];
  if (options.replaces) ids.push(options.replaces);
  return ids;
}

/**
 * Waits for (then holds until the transaction ends) the locks of `fileIds`, each shared by every writer of that
 * file. They are taken in one statement in the order of their keys (the subquery's order is the order the outer
 * query calls the lock function in), so that every transaction takes its locks in the same order.
 */
export async function lockFileIds(client: PoolClient, fileIds: readonly string[]): Promise<void> {
  await client.query(
    `SELECT pg_advisory_xact_lock(key) FROM (
       SELECT DISTINCT hashtextextended('beatscope file ' || id, 0) AS key FROM unnest($1::text[]) AS id ORDER BY key
     ) AS keys`,
    [fileIds],
  );
}

/** A column value as a query parameter: FRAMES as JSON text (with absent frame fields null), the rest as is. */
function parameter(c: ColumnSpec<TraceEntity>, entity: TraceEntity): unknown {
  const value = c.get(entity);
  if (value === undefined) return null;
  if (c.type === 'FRAMES') {
    return JSON.stringify(
      (value as StackFrame[]).map((f) => ({
        fn: f.fn ?? null,
        file: f.file,
        line: f.line ?? null,
        column: f.column ?? null,
      })),
    );
  }
  if (c.type === 'MS' && value !== null && !Number.isSafeInteger(value)) {
    throw new Error(`${c.name} must be integer epoch ms, got ${String(value)}`);
  }
  return value;
}

export class PostgresFileWriter implements FileWriter {
  /** Rows appended so far per table: the next row's `ord`. */
  private readonly ords = new Map<TraceEntityKind, number>();
  /**
   * Set when this write extends a stored file: per kind appended, the first `ord` this write gave it and the ids
   * it appended (checked at commit against the rows kept).
   */
  private extending: Map<TraceEntityKind, { readonly firstOrd: number; readonly ids: string[] }> | null = null;
  private done = false;
  /** Set when an append failed: the transaction is aborted and may only be rolled back. */
  private failure: unknown = undefined;

  private constructor(
    private readonly client: PoolClient,
    private readonly fileId: string,
    private readonly options: BeginFileOptions,
    private readonly release: (error?: unknown) => void,
    /** Written in a group's transaction: neither begun nor ended here, a failure is the group's to roll back. */
    private readonly grouped: boolean,
  ) {}

  /**
   * `release` is called once the transaction has ended, however it ended (with an error: drop the client). With
   * `grouped`, the group's transaction is open already (`TelemetryStore.writeFiles`).
   */
  static async begin(
    client: PoolClient,
    fileId: string,
    options: BeginFileOptions,
    release: (error?: unknown) => void,
    grouped = false,
  ): Promise<PostgresFileWriter> {
    if (grouped && options.extend) throw new Error(`file ${fileId}: an extend is not written in a group`);
    try {
      if (!grouped) await client.query('BEGIN');
    } catch (error) {
      release(error);
      throw error;
    }
    const writer = new PostgresFileWriter(client, fileId, options, release, grouped);
    try {
      // A group took its members' locks at its start (`TelemetryStore.writeFiles`).
      if (!grouped) await lockFileIds(client, fileIdsLocked(fileId, options));
      const known = await client.query('SELECT 1 FROM files WHERE file_id = $1', [fileId]);
      if ((known.rowCount ?? 0) === 0) return writer;
      if (options.extend) {
        // Dropped first: the appended entities may carry the ids of the dropped ones.
        await pgDeleteDropped(client, fileId, options.extend.drop);
        writer.extending = new Map();
      } else await pgDeleteFileRows(client, fileId);
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return writer;
  }

  async append(entities: readonly TraceEntity[]): Promise<void> {
    this.checkOpen();
    const byKind = new Map<TraceEntityKind, TraceEntity[]>();
    for (const entity of entities) {
      checkEntityFile(entity, this.fileId);
      const list = byKind.get(entity.kind);
      if (list === undefined) byKind.set(entity.kind, [entity]);
      else list.push(entity);
    }
    try {
      for (const [kind, list] of byKind) await this.insert(tableSpec(kind), list);
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  /** Decoded back to entities (the same values a DuckDB round trip gives), then inserted as `append` does. */
  async appendColumns(batch: ColumnBatch): Promise<void> {
    this.checkOpen();
    await this.append(decodeColumnBatch(batch, this.fileId));
  }

  async commit(file: FileInfo): Promise<void> {
    this.checkOpen();
    if (file.fileId !== this.fileId) throw new Error(`commit of file ${file.fileId} on the writer of ${this.fileId}`);
    if (this.failure !== undefined) {
      await this.abort();
      throw new Error(`file ${this.fileId} not committed: an append failed`, { cause: this.failure });
    }
    try {
      if (this.extending) await this.endExtend();
      const { replaces } = this.options;
      if (replaces && replaces !== this.fileId) await pgDeleteFileRows(this.client, replaces);
      await this.supersede(file.path);
      await this.writeFileRows(file);
      if (!this.grouped) await this.client.query('COMMIT');
    } catch (error) {
      if (this.grouped) throw error;
      await this.rollback().catch(() => undefined);
      throw error;
    }
    this.finish();
  }

  async abort(): Promise<void> {
    if (this.done) return;
    // In a group, the group rolls back its transaction.
    if (this.grouped) return this.finish();
    await this.rollback();
  }

  /** One COPY per table and batch: far fewer round trips and less parsing than parameterised INSERTs. */
  private async insert(spec: EntityTableSpec, list: readonly TraceEntity[]): Promise<void> {
    const columns = spec.columns as readonly ColumnSpec<TraceEntity>[];
    const names = ['file_id', 'ord', ...columns.map((c) => `"${c.name}"`)].join(', ');
    let ord = this.ords.get(spec.kind) ?? (await this.firstOrd(spec));
    const ids = this.extending?.get(spec.kind)?.ids;
    if (ids) for (const entity of list) if (isIdentified(entity)) ids.push(entity.id);
    const fileId = copyField('TEXT', this.fileId);
    const lines: string[] = [];
    for (const entity of list) {
      let line = `${fileId}\t${ord++}`;
      for (const c of columns) line += `\t${copyField(c.type, parameter(c, entity))}`;
      lines.push(line);
    }
    const copy = this.client.query(copyFrom(`COPY ${spec.table} (${names}) FROM STDIN`));
    await pipeline(Readable.from([`${lines.join('\n')}\n`]), copy);
    this.ords.set(spec.kind, ord);
  }

  /** The first row's `ord` of a kind: 0, or past the stored rows of the file an extend adds to. */
  private async firstOrd(spec: EntityTableSpec): Promise<number> {
    if (!this.extending) return 0;
    const firstOrd = await pgNextOrd(this.client, spec.table, this.fileId);
    this.extending.set(spec.kind, { firstOrd, ids: [] });
    return firstOrd;
  }

  /** An extend's checks and deletes at commit: no appended id may repeat a kept one; the file record is replaced. */
  private async endExtend(): Promise<void> {
    for (const [kind, { firstOrd, ids }] of this.extending ?? []) {
      if (ids.length > 0 && isIdentifiedKind(kind)) {
        await pgCheckNoStoredDuplicate(this.client, this.fileId, kind, ids, firstOrd);
      }
    }
    await pgDeleteFileRecord(this.client, this.fileId);
  }

  /** As the DuckDB writer: the files this one supersedes are dropped and recorded as superseded by it. */
  private async supersede(path: string): Promise<void> {
    const c = this.client;
    await c.query('DELETE FROM superseded_files WHERE path = $1', [path]);
    for (const s of this.options.supersedes ?? []) {
      if (s.fileId === this.fileId) continue;
      await c.query('DELETE FROM superseded_files WHERE path = $1', [s.path]);
      await c.query('UPDATE superseded_files SET by_file_id = $1 WHERE by_file_id = $2', [this.fileId, s.fileId]);
      await c.query('INSERT INTO superseded_files VALUES ($1, $2, $3, $4, $5)', [
        s.fileId,
        s.path,
        s.sizeBytes,
        s.mtimeMs,
        this.fileId,
      ]);
      await pgDeleteFileRows(c, s.fileId);
    }
  }

  private async writeFileRows(file: FileInfo): Promise<void> {
    const { print } = this.options;
    if (print) {
      await this.client.query('INSERT INTO file_prints VALUES ($1, $2, $3, $4)', [
        file.fileId,
        print.contentBytes,
        print.digest,
        [...print.heads],
      ]);
    }
    await this.client.query(`INSERT INTO files VALUES ${valuesPlaceholders(1, 10)}`, fileRowValues(file));
    for (let start = 0; start < file.diagnostics.length; start += MAX_ROWS_PER_INSERT) {
      const rows = file.diagnostics.slice(start, start + MAX_ROWS_PER_INSERT);
      const values = rows.flatMap((d, i) => [file.fileId, start + i, d.file, d.line, d.severity, d.message]);
      await this.client.query(`INSERT INTO diagnostics VALUES ${valuesPlaceholders(rows.length, 6)}`, values);
    }
  }

  private async rollback(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } catch (error) {
      this.finish(error);
      throw error;
    }
    this.finish();
  }

  private finish(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.release(error);
  }

  private checkOpen(): void {
    if (this.done) throw new Error(`the writer of file ${this.fileId} is already committed or aborted`);
  }
}
