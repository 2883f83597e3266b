/**
 * One file's write on a connection of its own, inside one DuckDB transaction:
 * BEGIN → delete the file's earlier rows (an extend: only the rows it drops) → appenders → delete the content it
 * replaces and the files it supersedes (recording those) → files, diagnostics and print rows → COMMIT.
 * DuckDB appenders write into the connection's open transaction, so ROLLBACK (abort, a failed
 * commit) or a dying process leaves no row of the file behind; other connections see nothing
 * until COMMIT.
 *
 * In a group (`SharedTransaction`, for `TelemetryStore.writeFiles`), several files are written one after the other
 * in one transaction that the group begins and ends: each file's steps are the same, without BEGIN and COMMIT,
 * and its rows are appended with the group's, table by table, when the group ends (`appendGroupRows`).
 */
import { type DuckDBConnection, type DuckDBValue, listValue } from '@duckdb/node-api';
import type { ContentPrint, FileInfo, TraceEntity, TraceEntityKind } from '../../model/index.js';
import { type ColumnBatch, ColumnBatchEncoder, type EncodedTable } from '../column-batch.js';
import { concatTables } from '../concat-tables.js';
import { tableSpec } from '../entity-tables.js';
import { isIdentifiedKind } from '../extend-refs.js';
import { fileRowValues, valuesPlaceholders } from '../file-rows.js';
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
import { VarcharDictionary } from './duckdb-varchar-column.js';

/** Deletes every row of a file, in the caller's transaction. */
export async function deleteFileRows(connection: DuckDBConnection, fileId: string): Promise<void> {
  for (const table of FILE_SCOPED_TABLES) await connection.run(`DELETE FROM ${table} WHERE file_id = $1`, [fileId]);
}

/**
 * What the files of a group share: its transaction, which of its files are stored already (asked once for all),
 * and what they write when the group ends: their rows by kind (`appendGroupRows`) and their file rows
 * (`insertFileRows`).
 */
export interface SharedTransaction {
  readonly known: ReadonlySet<string>;
  readonly tables: Map<TraceEntityKind, { readonly fileId: string; readonly table: EncodedTable }[]>;
  readonly fileRows: FileRow[];
}

/**
 * The rows a group's files appended, one appender per table: each kind's tables joined (`concatTables`), so a
 * data chunk holds up to 2,048 rows of any number of files, each file's rows numbered (`ord`) from 0 in its order.
 */
export async function appendGroupRows(connection: DuckDBConnection, shared: SharedTransaction): Promise<void> {
  for (const [kind, parts] of shared.tables) {
    const files = [...new Set(parts.map((p) => p.fileId))];
    const table = concatTables(parts.map((p) => p.table));
    const fileCodes = new Int32Array(table.rows);
    const ords = new Int32Array(table.rows);
    const nextOrd = new Map<string, number>();
    let row = 0;
    for (const { fileId, table: part } of parts) {
      const code = files.indexOf(fileId);
      let ord = nextOrd.get(fileId) ?? 0;
      for (let i = 0; i < part.rows; i++, row++) {
        fileCodes[row] = code;
        ords[row] = ord++;
      }
      nextOrd.set(fileId, ord);
    }
    const spec = tableSpec(kind);
    // No file id of its own: every row comes with its file's (appendRows).
    const appender = new ChunkAppender(await connection.createAppender(spec.table), spec, '');
    try {
      appender.appendRows(table, new VarcharDictionary(files), fileCodes, ords);
      appender.close();
    } catch (error) {
      appender.discard();
      throw error;
    }
  }
}

/** A file's record, print and diagnostics, as `insertFileRows` writes them. */
export interface FileRow {
  readonly file: FileInfo;
  readonly print: ContentPrint | null | undefined;
}

/** Deletes the superseded-file records of `paths` (those paths hold stored content now), in the caller's transaction. */
export async function deleteSupersededPaths(connection: DuckDBConnection, paths: readonly string[]): Promise<void> {
  if (paths.length === 1) await connection.run('DELETE FROM superseded_files WHERE path = $1', [paths[0]!]);
  else if (paths.length > 1) {
    await connection.run('DELETE FROM superseded_files WHERE list_contains($1, path)', [listValue([...paths])]);
  }
}

/** Rows per multi-row INSERT of `insertFileRows` (10 parameters each). */
const FILE_ROWS_PER_INSERT = 200;

/** The files, file_prints and diagnostics rows of `rows`, in the caller's transaction, a few statements in all. */
export async function insertFileRows(connection: DuckDBConnection, rows: readonly FileRow[]): Promise<void> {
  for (let from = 0; from < rows.length; from += FILE_ROWS_PER_INSERT) {
    const part = rows.slice(from, from + FILE_ROWS_PER_INSERT);
    const printed = part.filter((r) => r.print);
    if (printed.length > 0) {
      await connection.run(
        `INSERT INTO file_prints VALUES ${valuesPlaceholders(printed.length, 4)}`,
        printed.flatMap(({ file, print }) => [
          file.fileId,
          print!.contentBytes,
          print!.digest,
          listValue([...print!.heads]),
        ]),
      );
    }
    await connection.run(
      `INSERT INTO files VALUES ${valuesPlaceholders(part.length, 10)}`,
      part.flatMap(({ file }) => fileRowValues(file)) as DuckDBValue[],
    );
  }
  if (!rows.some((r) => r.file.diagnostics.length > 0)) return;
  const appender = await connection.createAppender('diagnostics');
  for (const { file } of rows) {
    file.diagnostics.forEach((d, ord) => {
      appender.appendVarchar(file.fileId);
      appender.appendInteger(ord);
      appender.appendVarchar(d.file);
      appender.appendInteger(d.line);
      appender.appendVarchar(d.severity);
      appender.appendVarchar(d.message);
      appender.endRow();
    });
  }
  appender.closeSync();
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
    /** Set when the file is written in a group's transaction. */
    private readonly shared: SharedTransaction | null,
  ) {
    this.encoder = new ColumnBatchEncoder(fileId);
  }

  /**
   * `release` is called once the transaction has ended, however it ended. With `shared`, the group's transaction
   * is open already and the writer neither ends it nor releases anything: a failure is the group's to roll back.
   */
  static async begin(
    connection: DuckDBConnection,
    fileId: string,
    options: BeginFileOptions,
    release: () => void,
    shared: SharedTransaction | null = null,
  ): Promise<DuckDbFileWriter> {
    if (shared !== null && options.extend) throw new Error(`file ${fileId}: an extend is not written in a group`);
    try {
      if (shared === null) await connection.run('BEGIN TRANSACTION');
    } catch (error) {
      release();
      throw error;
    }
    const writer = new DuckDbFileWriter(connection, fileId, options, release, shared);
    try {
      // Rows of a file exist only if its files row does (writes are atomic), so a new file skips the deletes.
      if (shared !== null ? !shared.known.has(fileId) : !(await isStored(connection, fileId))) return writer;
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
        if (this.shared !== null) {
          const parts = this.shared.tables.get(table.kind);
          if (parts) parts.push({ fileId: this.fileId, table });
          else this.shared.tables.set(table.kind, [{ fileId: this.fileId, table }]);
          continue;
        }
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
      const row = { file, print: this.options.print };
      if (this.shared !== null) this.shared.fileRows.push(row);
      else {
        await insertFileRows(this.connection, [row]);
        await this.connection.run('COMMIT');
      }
    } catch (error) {
      if (this.shared !== null) throw error;
      // A failed COMMIT may already have ended the transaction; the original error is the one to report.
      await this.rollback().catch(() => undefined);
      throw error;
    }
    this.finish();
  }

  async abort(): Promise<void> {
    if (this.done) return;
    // In a group, the group rolls back its transaction; the file's rows wait in it, not in appenders of its own.
    if (this.shared !== null) return this.finish();
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
    // A group deletes its files' paths' records at once, first (DuckDbStore.writeFiles).
    if (this.shared === null) await deleteSupersededPaths(c, [path]);
    for (const s of this.options.supersedes ?? []) {
      if (s.fileId === this.fileId) continue;
      await deleteSupersededPaths(c, [s.path]);
      await c.run('UPDATE superseded_files SET by_file_id = $1 WHERE by_file_id = $2', [this.fileId, s.fileId]);
      await c.run('INSERT INTO superseded_files VALUES ($1, $2, $3, $4, $5)', [
        s.fileId,
        s.path,
        s.sizeBytes,
        s.mtimeMs,
        this.fileId,
      ]);
      if (await isStored(c, s.fileId)) await deleteFileRows(c, s.fileId);
    }
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

/** Whether `fileId` has a files row (in the connection's transaction). */
async function isStored(connection: DuckDBConnection, fileId: string): Promise<boolean> {
  const known = await connection.runAndReadAll('SELECT count(*) FROM files WHERE file_id = $1', [fileId]);
  return Number(known.getRows()[0]?.[0] ?? 0) > 0;
}
