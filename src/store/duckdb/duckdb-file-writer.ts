/**
 * One file's write on a connection of its own, inside one DuckDB transaction:
 * BEGIN → delete the file's earlier rows (an extend: only the rows it drops) → appenders → delete the content it
 * replaces and the files it supersedes (recording those) → files, diagnostics and print rows → COMMIT.
 * DuckDB appenders write into the connection's open transaction, so ROLLBACK (abort, a failed
 * commit) or a dying process leaves no row of the file behind; other connections see nothing
 * until COMMIT.
 */
import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import type { FileInfo, TraceEntity, TraceEntityKind } from '../../model/index.js';
import { type ColumnBatch, ColumnBatchEncoder } from '../column-batch.js';
import { tableSpec } from '../entity-tables.js';
import { isIdentifiedKind } from '../extend-refs.js';
import type { BeginFileOptions, FileWriter, IdentifiedKind } from '../telemetry-store.js';
import { ChunkAppender } from './duckdb-chunk-appender.js';
import {
  type AppendedIds,
  checkNoStoredDuplicate,
  deleteDropped,
  deleteFileRecord,
  idsOf,
  nextOrds,
} from './duckdb-extend.js';
import { FILE_SCOPED_TABLES } from './duckdb-schema.js';

/** Deletes every row of a file, in the caller's transaction. */
export async function deleteFileRows(connection: DuckDBConnection, fileId: string): Promise<void> {
  for (const table of FILE_SCOPED_TABLES) await connection.run(`DELETE FROM ${table} WHERE file_id = $1`, [fileId]);
}

export class DuckDbFileWriter implements FileWriter {
  private readonly appenders = new Map<TraceEntityKind, ChunkAppender>();
  /**
   * Set when this write extends a stored file: each kind's first `ord` (past the file's stored rows), and per kind
   * with ids appended, the ids (checked at commit against the rows kept).
   */
  private extending: {
    readonly nextOrds: ReadonlyMap<TraceEntityKind, number>;
    readonly appended: Map<IdentifiedKind, AppendedIds>;
  } | null = null;
  private readonly encoder: ColumnBatchEncoder;
  private done = false;
  /** Set when an append failed half-way: the transaction holds a partial batch and may only be rolled back. */
  private failure: unknown = undefined;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly fileId: string,
    /** `replaces`: an earlier content of the same path; `supersedes`: files whose content starts this one's. */
    private readonly options: BeginFileOptions,
    private readonly release: () => void,
  ) {
    this.encoder = new ColumnBatchEncoder(fileId);
  }

  /** `release` is called once the transaction has ended, however it ended. */
  static async begin(
    connection: DuckDBConnection,
    fileId: string,
    options: BeginFileOptions,
    release: () => void,
  ): Promise<DuckDbFileWriter> {
    try {
      await connection.run('BEGIN TRANSACTION');
    } catch (error) {
      release();
      throw error;
    }
    const writer = new DuckDbFileWriter(connection, fileId, options, release);
    try {
      // Rows of a file exist only if its files row does (writes are atomic), so a new file skips the deletes.
      const known = await connection.runAndReadAll('SELECT count(*) FROM files WHERE file_id = $1', [fileId]);
      if (Number(known.getRows()[0]?.[0] ?? 0) === 0) return writer;
      if (options.extend) {
        // Dropped first: the appended entities may carry the ids of the dropped ones.
        await deleteDropped(connection, fileId, options.extend.drop);
        writer.extending = { nextOrds: await nextOrds(connection, fileId), appended: new Map() };
      } else await deleteFileRows(connection, fileId);
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return writer;
  }

  async append(entities: readonly TraceEntity[]): Promise<void> {
    this.checkOpen();
    await this.appendColumns(this.encoder.encode(entities));
  }

  async appendColumns(batch: ColumnBatch): Promise<void> {
    this.checkOpen();
    try {
      for (const table of batch.tables) {
        (await this.appenderFor(table.kind)).append(table);
        const ids = isIdentifiedKind(table.kind) ? this.extending?.appended.get(table.kind)?.ids : undefined;
        if (ids) for (const id of idsOf(table)) ids.push(id);
      }
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  async commit(file: FileInfo): Promise<void> {
    this.checkOpen();
    if (file.fileId !== this.fileId) throw new Error(`commit of file ${file.fileId} on the writer of ${this.fileId}`);
    if (this.failure !== undefined) {
      await this.abort();
      throw new Error(`file ${this.fileId} not committed: an append failed`, { cause: this.failure });
    }
    try {
      for (const appender of this.appenders.values()) appender.close();
      this.appenders.clear();
      if (this.extending) await this.endExtend();
      const { replaces } = this.options;
      if (replaces && replaces !== this.fileId) await deleteFileRows(this.connection, replaces);
      await this.supersede(file.path);
      await this.writeFileRows(file);
      await this.connection.run('COMMIT');
    } catch (error) {
      // A failed COMMIT may already have ended the transaction; the original error is the one to report.
      await this.rollback().catch(() => undefined);
      throw error;
    }
    this.finish();
  }

  async abort(): Promise<void> {
    if (this.done) return;
    for (const appender of this.appenders.values()) {
      try {
        appender.discard();
      } catch {
        // The rollback below discards whatever the appender already flushed.
      }
    }
    this.appenders.clear();
    await this.rollback();
  }

  /**
   * Drops the files this one supersedes and records them (and the files they superseded) as superseded
   * by this one; the path this file is stored under holds stored content now, no longer a superseded one.
   */
  private async supersede(path: string): Promise<void> {
    const c = this.connection;
    await c.run('DELETE FROM superseded_files WHERE path = $1', [path]);
    for (const s of this.options.supersedes ?? []) {
      if (s.fileId === this.fileId) continue;
      await c.run('DELETE FROM superseded_files WHERE path = $1', [s.path]);
      await c.run('UPDATE superseded_files SET by_file_id = $1 WHERE by_file_id = $2', [this.fileId, s.fileId]);
      await c.run('INSERT INTO superseded_files VALUES ($1, $2, $3, $4, $5)', [
        s.fileId,
        s.path,
        s.sizeBytes,
        s.mtimeMs,
        this.fileId,
      ]);
      const stored = await c.runAndReadAll('SELECT count(*) FROM files WHERE file_id = $1', [s.fileId]);
      if (Number(stored.getRows()[0]?.[0] ?? 0) > 0) await deleteFileRows(c, s.fileId);
    }
  }

  private async writeFileRows(file: FileInfo): Promise<void> {
    const { print } = this.options;
    if (print) {
      await this.connection.run('INSERT INTO file_prints VALUES ($1, $2, $3, $4)', [
        file.fileId,
        print.contentBytes,
        print.digest,
        listValue([...print.heads]),
      ]);
    }
    await this.connection.run('INSERT INTO files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
      file.fileId,
      file.path,
      file.sizeBytes,
      file.mtimeMs,
      file.format,
      file.encoding,
      file.gzip,
      file.lines,
      file.linesRecognized,
      file.linesUnknown,
    ]);
    if (file.diagnostics.length === 0) return;
    const appender = await this.connection.createAppender('diagnostics');
    file.diagnostics.forEach((d, ord) => {
      appender.appendVarchar(file.fileId);
      appender.appendInteger(ord);
      appender.appendVarchar(d.file);
      appender.appendInteger(d.line);
      appender.appendVarchar(d.severity);
      appender.appendVarchar(d.message);
      appender.endRow();
    });
    appender.closeSync();
  }

  private async appenderFor(kind: TraceEntityKind): Promise<ChunkAppender> {
    let appender = this.appenders.get(kind);
    if (appender === undefined) {
      const spec = tableSpec(kind);
      let firstOrd = 0;
      if (this.extending) {
        firstOrd = this.extending.nextOrds.get(kind) ?? 0;
        if (isIdentifiedKind(kind)) this.extending.appended.set(kind, { firstOrd, ids: [] });
      }
      appender = new ChunkAppender(await this.connection.createAppender(spec.table), spec, this.fileId, firstOrd);
      this.appenders.set(kind, appender);
    }
    return appender;
  }

  /** An extend's checks and deletes at commit: no appended id may repeat a kept one; the file record is replaced. */
  private async endExtend(): Promise<void> {
    if (this.extending) await checkNoStoredDuplicate(this.connection, this.fileId, this.extending.appended);
    await deleteFileRecord(this.connection, this.fileId);
  }

  private async rollback(): Promise<void> {
    try {
      await this.connection.run('ROLLBACK');
    } finally {
      this.finish();
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.release();
  }

  private checkOpen(): void {
    if (this.done) throw new Error(`the writer of file ${this.fileId} is already committed or aborted`);
  }
}
