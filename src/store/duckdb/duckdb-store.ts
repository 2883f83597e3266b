/**
 * The default store: an embedded DuckDB database file (or `:memory:`). Reads and `query()` use one
 * connection; each file writer gets a connection of its own, so a writer's open transaction never
 * captures reads and several files can be written at once (appends of different transactions do not
 * conflict in DuckDB; no table has a key). Table layout: docs/schema.md.
 */
import { type DuckDBConnection, type DuckDBInstance, listValue } from '@duckdb/node-api';
import type { FileInfo, StoreSummary, TraceEntity, TraceEntityKind } from '../../model/index.js';
import type { CodeSnapshot } from '../code-snapshot.js';
import type { EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES } from '../entity-tables.js';
import type { HandlerRunFact } from '../handler-run-facts.js';
import { plainRow } from '../plain-values.js';
import type { RunParts } from '../run-parts.js';
import {
  filesBySql,
  findFileBySql,
  findSupersededBySql,
  printedFilesBySql,
  summaryBySql,
  supersededFilesBySql,
} from '../sql-store-reads.js';
import type {
  BeginFileOptions,
  EntityPlace,
  EntityQuery,
  FileToWrite,
  FileWriter,
  KnownFile,
  PrintedFile,
  Row,
  SqlStore,
  SupersededFile,
} from '../telemetry-store.js';
import { withClaimedFiles, writeEach } from '../write-files.js';
import { loadCodeFileBlobs, loadCodeSnapshot, saveCodeSnapshot } from './code-index-store.js';
import { placeOfRow, readEntities } from './duckdb-entity-reader.js';
import {
  appendGroupRows,
  DuckDbFileWriter,
  deleteFileRows,
  deleteSupersededPaths,
  insertFileRows,
  type SharedTransaction,
} from './duckdb-file-writer.js';
import { readHandlerRunFacts } from './duckdb-handler-facts.js';
import { checkSchema, ensureSchema, type OpenOptions, openInstance, releasePath } from './duckdb-open.js';
import { readRunParts } from './duckdb-run-parts.js';

export class DuckDbStore implements SqlStore {
  /** Writers by fileId; null while opening (claimed before the first await, so a second is refused). */
  private readonly writers = new Map<string, DuckDbFileWriter | null>();
  private closed = false;
  /**
   * The last streamed read; the next waits for it. A streamed result is cut off by the next query on its
   * connection, so each read has a connection of its own, and reads run one at a time so only one table's
   * chunks are in flight.
   */
  private streamed: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly pathKey: string | null,
  ) {}

  /**
   * Opens or creates a store; parent directories are created. Throws `StoreInUseError` when locked.
   * `readOnly`: the file must exist and nothing can change it (writers and `query()` DML fail).
   */
  static async open(path: string, options: OpenOptions = {}): Promise<DuckDbStore> {
    const { instance, pathKey } = await openInstance(path, options);
    try {
      const connection = await instance.connect();
      if (options.readOnly) await checkSchema(connection, path);
      else await ensureSchema(connection, path);
      return new DuckDbStore(instance, connection, pathKey);
    } catch (error) {
      instance.closeSync();
      releasePath(pathKey);
      throw error;
    }
  }

  async findFile(query: { path?: string; fileId?: string }): Promise<KnownFile | undefined> {
    return findFileBySql((sql, values) => this.read(sql, values), query);
  }

  async printedFiles(): Promise<readonly PrintedFile[]> {
    return printedFilesBySql((sql) => this.read(sql));
  }

  async findSuperseded(query: { path?: string; fileId?: string }): Promise<SupersededFile | undefined> {
    return findSupersededBySql((sql, values) => this.read(sql, values), query);
  }

  async supersededFiles(): Promise<readonly SupersededFile[]> {
    return supersededFilesBySql((sql) => this.read(sql));
  }

  async recordSuperseded(file: SupersededFile): Promise<void> {
    this.checkOpen();
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await this.connection.run('DELETE FROM superseded_files WHERE path = $1', [file.path]);
      await this.connection.run('INSERT INTO superseded_files VALUES ($1, $2, $3, $4, $5)', [
        file.fileId,
        file.path,
        file.sizeBytes,
        file.mtimeMs,
        file.by,
      ]);
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async beginFile(fileId: string, options: BeginFileOptions = {}): Promise<FileWriter> {
    this.checkOpen();
    if (this.writers.has(fileId)) throw new Error(`a writer of file ${fileId} is already open on this store`);
    this.writers.set(fileId, null);
    let connection: DuckDBConnection;
    try {
      connection = await this.instance.connect();
    } catch (error) {
      this.writers.delete(fileId);
      throw error;
    }
    // Called once the transaction ended, however it ended (also when `begin` itself fails).
    const release = () => {
      this.writers.delete(fileId);
      connection.closeSync();
    };
    const writer = await DuckDbFileWriter.begin(connection, fileId, options, release);
    this.writers.set(fileId, writer);
    return writer;
  }

  async writeFiles(files: readonly FileToWrite[]): Promise<void> {
    this.checkOpen();
    await withClaimedFiles(this.writers, files, async () => {
      const connection = await this.instance.connect();
      try {
        await writeGroup(connection, files);
      } finally {
        connection.closeSync();
      }
    });
  }

  /** In its own transaction on the read connection; do not remove the file an open writer is writing. */
  async removeFile(fileId: string): Promise<void> {
    this.checkOpen();
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await deleteFileRows(this.connection, fileId);
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async files(): Promise<readonly FileInfo[]> {
    return filesBySql((sql) => this.read(sql));
  }

  async entities<K extends TraceEntityKind>(
    kind: K,
    query: EntityQuery = {},
  ): Promise<readonly Extract<TraceEntity, { kind: K }>[]> {
    const spec = ENTITY_TABLES[kind] as EntityTableSpec;
    return this.inTurn((connection) => readEntities<Extract<TraceEntity, { kind: K }>>(connection, spec, query));
  }

  async handlerRunFacts(visit: (batch: readonly HandlerRunFact[]) => void): Promise<void> {
    return this.inTurn(async (connection) => {
      for await (const batch of readHandlerRunFacts(connection)) visit(batch);
    });
  }

  async runParts(visit: (batch: readonly RunParts[]) => void): Promise<void> {
    return this.inTurn(async (connection) => {
      for await (const batch of readRunParts(connection)) visit(batch);
    });
  }

  async placeOf(kind: TraceEntityKind, n: number, fileId?: string): Promise<EntityPlace | undefined> {
    return this.inTurn((connection) => placeOfRow(connection, ENTITY_TABLES[kind] as EntityTableSpec, n, fileId));
  }

  /**
   * Runs `read` on a connection of its own once the reads queued before it are done (see `streamed`), in one
   * transaction: its statements see one snapshot of the store, so a file committed meanwhile (`serve`) cannot appear
   * between them (a name column is cast to an ENUM of the values a first statement listed, duckdb-name-enums.ts).
   */
  private inTurn<T>(read: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    this.checkOpen();
    const result = this.streamed.then(async () => {
      const connection = await this.instance.connect();
      try {
        await connection.run('BEGIN TRANSACTION');
        return await read(connection);
      } finally {
        await connection.run('ROLLBACK').catch(() => undefined);
        connection.closeSync();
      }
    });
    this.streamed = result.catch(() => undefined);
    return result;
  }

  async summary(): Promise<StoreSummary> {
    this.checkOpen();
    return summaryBySql((sql) => this.read(sql));
  }

  async saveCodeIndex(snapshot: CodeSnapshot): Promise<void> {
    this.checkOpen();
    await saveCodeSnapshot(this.connection, snapshot);
  }

  async loadCodeIndex(): Promise<CodeSnapshot | undefined> {
    this.checkOpen();
    return loadCodeSnapshot(this.connection);
  }

  async loadCodeFiles(paths: readonly string[]): Promise<ReadonlyMap<string, string>> {
    this.checkOpen();
    return loadCodeFileBlobs(this.connection, paths);
  }

  /** Runs SQL on the read connection (committed data only); rows as plain JS (see `plainValue`). */
  async query(sql: string): Promise<readonly Row[]> {
    this.checkOpen();
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map(plainRow);
  }

  /** Rolls back open writers, then releases the database file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.writers.values()].map((w) => w?.abort()));
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
    releasePath(this.pathKey);
  }

  /** Rows with DuckDB's JS values (BIGINT as bigint), for the typed readers above. */
  private async read(sql: string, values: string[] = []): Promise<Row[]> {
    this.checkOpen();
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRowObjectsJS();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}

/**
 * `files` in one transaction on `connection`: which are stored already asked once, their paths' superseded
 * records deleted at once, one appender per table for all of them, their file rows written together.
 */
async function writeGroup(connection: DuckDBConnection, files: readonly FileToWrite[]): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const ids = listValue(files.map((f) => f.fileId));
    const stored = await connection.runAndReadAll('SELECT file_id FROM files WHERE list_contains($1, file_id)', [ids]);
    const shared: SharedTransaction = {
      known: new Set(stored.getRowsJS().map((r) => String(r[0]))),
      tables: new Map(),
      fileRows: [],
    };
    await deleteSupersededPaths(
      connection,
      files.map((f) => f.info.path),
    );
    await writeEach(files, (f) => DuckDbFileWriter.begin(connection, f.fileId, f.options, () => {}, shared));
    await appendGroupRows(connection, shared);
    await insertFileRows(connection, shared.fileRows);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
