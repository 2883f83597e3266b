/**
 * A store on a PostgreSQL server (`postgres://user@host:port/db`), for a team sharing one server: the same
 * TelemetryStore contract as the DuckDB store, the same tables and columns (postgres-schema.ts). Reads and
 * `query()` use the pool; each file writer holds a pooled client and one transaction of its own
 * (postgres-file-writer.ts), so several writers, in one process or many, can write at once.
 *
 * `query()` answers PostgreSQL SQL; the analyses that run SQL of their own (the graph facts) read `sqlDialect`
 * to write it the PostgreSQL way.
 */
import pg from 'pg';
import type { FileInfo, StoreSummary, TraceEntity, TraceEntityKind } from '../../model/index.js';
import { decodeCodeIndex, encodeCodeIndex } from '../code-index-codec.js';
import type { CodeSnapshot } from '../code-snapshot.js';
import type { EntityTableSpec } from '../column-spec.js';
import { ENTITY_TABLES, tableSpec } from '../entity-tables.js';
import type { HandlerRunFact } from '../handler-run-facts.js';
import { plainRow } from '../plain-values.js';
import type { RunParts } from '../run-parts.js';
import { type UpgradeDialect, upgradeFromVersion1 } from '../schema-v1-upgrade.js';
import { UPGRADABLE_VERSIONS, wrongSchemaVersion } from '../schema-version.js';
import { POSTGRES_SQL } from '../sql-dialect.js';
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
import { fileIdsLocked, lockFileIds, PostgresFileWriter, pgDeleteFileRows } from './postgres-file-writer.js';
import { pgPlaceOf, pgReadEntities, pgReadHandlerRunFacts, pgReadRunParts } from './postgres-reads.js';
import { PG_SCHEMA_VERSION, pgEntityTableDdl, pgSchemaObjects, pgSchemaStatements } from './postgres-schema.js';
import { inTransaction } from './postgres-transaction.js';
import { redact } from './postgres-url.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** bigint and numeric as JS numbers when exact (as `plainValue` gives DuckDB's), else their decimal text. */
function exactNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(n) ? n : text;
  return n;
}

const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && format !== 'binary') return exactNumber;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

/** The schema is created under this advisory lock, so stores opening at once do not race on the DDL. */
const SCHEMA_LOCK = 0x62656174; // 'beat'

export interface PostgresOpenOptions {
  /** The schema must exist already (an empty database is not a store): it is checked, not created. */
  readonly existing?: boolean;
  /** Every transaction read-only on the server: writers and `query()` DML fail. Implies `existing`. */
  readonly readOnly?: boolean;
}

export class PostgresStore implements SqlStore {
  /** The SQL `query()` answers; DuckDB-SQL analyses look at it. */
  readonly sqlDialect = 'postgres';
  /** Writers by fileId; null while opening (claimed before the first await, so a second is refused). */
  private readonly writers = new Map<string, PostgresFileWriter | null>();
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, options: PostgresOpenOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      types: TYPES,
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    try {
      if (options.readOnly || options.existing) await checkVersion(pool, url, !options.readOnly);
      else await ensureSchema(pool, url);
      return new PostgresStore(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
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
    await this.pool.query(
      `INSERT INTO superseded_files VALUES ($1, $2, $3, $4, $5) ON CONFLICT (path) DO UPDATE
       SET file_id = EXCLUDED.file_id, size_bytes = EXCLUDED.size_bytes, mtime_ms = EXCLUDED.mtime_ms,
         by_file_id = EXCLUDED.by_file_id`,
      [file.fileId, file.path, file.sizeBytes, file.mtimeMs, file.by],
    );
  }

  async beginFile(fileId: string, options: BeginFileOptions = {}): Promise<FileWriter> {
    this.checkOpen();
    if (this.writers.has(fileId)) throw new Error(`a writer of file ${fileId} is already open on this store`);
    this.writers.set(fileId, null);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.writers.delete(fileId);
      throw error;
    }
    // Called once the transaction ended, however it ended; a client whose ROLLBACK failed is discarded.
    const release = (error?: unknown) => {
      this.writers.delete(fileId);
      client.release(error instanceof Error ? error : undefined);
    };
    const writer = await PostgresFileWriter.begin(client, fileId, options, release);
    this.writers.set(fileId, writer);
    return writer;
  }

  async writeFiles(files: readonly FileToWrite[]): Promise<void> {
    this.checkOpen();
    await withClaimedFiles(this.writers, files, () =>
      this.transaction(async (client) => {
        await lockFileIds(
          client,
          files.flatMap((f) => fileIdsLocked(f.fileId, f.options)),
        );
        await writeEach(files, (f) => PostgresFileWriter.begin(client, f.fileId, f.options, () => {}, true));
      }),
    );
  }

  async removeFile(fileId: string): Promise<void> {
    await this.transaction((client) => pgDeleteFileRows(client, fileId));
  }

  async files(): Promise<readonly FileInfo[]> {
    return filesBySql((sql) => this.read(sql));
  }

  async entities<K extends TraceEntityKind>(
    kind: K,
    query: EntityQuery = {},
  ): Promise<readonly Extract<TraceEntity, { kind: K }>[]> {
    this.checkOpen();
    return pgReadEntities(this.pool, ENTITY_TABLES[kind] as EntityTableSpec, query);
  }

  async handlerRunFacts(visit: (batch: readonly HandlerRunFact[]) => void): Promise<void> {
    this.checkOpen();
    for await (const batch of pgReadHandlerRunFacts(this.pool)) visit(batch);
  }

  async runParts(visit: (batch: readonly RunParts[]) => void): Promise<void> {
    this.checkOpen();
    for await (const batch of pgReadRunParts(this.pool)) visit(batch);
  }

  async placeOf(kind: TraceEntityKind, n: number, fileId?: string): Promise<EntityPlace | undefined> {
    this.checkOpen();
    return pgPlaceOf(this.pool, ENTITY_TABLES[kind] as EntityTableSpec, n, fileId);
  }

  async summary(): Promise<StoreSummary> {
    this.checkOpen();
    return summaryBySql((sql) => this.read(sql));
  }

  async saveCodeIndex(snapshot: CodeSnapshot): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM code_snapshot');
      await client.query('INSERT INTO code_snapshot VALUES ($1, $2, $3, $4)', [
        snapshot.index.root,
        snapshot.indexedAtMs,
        encodeCodeIndex(snapshot.index),
        JSON.stringify(snapshot.state ?? null),
      ]);
      const blobs = snapshot.files ?? { replace: true, write: new Map<string, string>(), remove: [] };
      if (blobs.replace) await client.query('DELETE FROM code_files');
      else {
        const gone = [...blobs.remove, ...blobs.write.keys()];
        if (gone.length > 0) await client.query('DELETE FROM code_files WHERE path = ANY($1::text[])', [gone]);
      }
      for (const [path, blob] of blobs.write) {
        await client.query('INSERT INTO code_files VALUES ($1, $2)', [path, blob]);
      }
    });
  }

  async loadCodeIndex(): Promise<CodeSnapshot | undefined> {
    const row = (await this.read('SELECT indexed_at_ms, index_json, state_json FROM code_snapshot LIMIT 1'))[0];
    if (row === undefined) return undefined;
    return {
      index: decodeCodeIndex(row['index_json'] as string),
      state: JSON.parse(row['state_json'] as string) as unknown,
      indexedAtMs: Number(row['indexed_at_ms']),
    };
  }

  async loadCodeFiles(paths: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    if (paths.length === 0) return out;
    const rows = await this.read('SELECT path, blob FROM code_files WHERE path = ANY($1::text[])', [[...paths]]);
    for (const row of rows) out.set(row['path'] as string, row['blob'] as string);
    return out;
  }

  /** Runs PostgreSQL SQL (committed data only); rows as plain JS (see `plainValue`); the last statement's rows. */
  async query(sql: string): Promise<readonly Row[]> {
    this.checkOpen();
    const result = (await this.pool.query(sql)) as pg.QueryResult<Row> | pg.QueryResult<Row>[];
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return (last?.rows ?? []).map(plainRow);
  }

  /** Rolls back open writers, then closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.writers.values()].map((w) => w?.abort().catch(() => undefined)));
    this.closed = true;
    await this.pool.end();
  }

  private async transaction(body: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    this.checkOpen();
    await inTransaction(this.pool, body);
  }

  private async read(sql: string, values: unknown[] = []): Promise<Row[]> {
    this.checkOpen();
    return (await this.pool.query<Row>(sql, values)).rows;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}

async function storedVersion(client: pg.Pool | pg.PoolClient): Promise<number | null> {
  const rows = (await client.query<Row>('SELECT max(version) AS v FROM schema_version')).rows;
  const v = rows[0]?.['v'];
  return v === null || v === undefined ? null : Number(v);
}

function wrongVersion(url: string, found: number | null): Error {
  return wrongSchemaVersion(redact(url), found);
}

/** `upgrade`: a store of an upgradable older version is upgraded in place (ensureSchema) rather than refused. */
async function checkVersion(pool: pg.Pool, url: string, upgrade: boolean): Promise<void> {
  let found: number | null;
  try {
    found = await storedVersion(pool);
  } catch (error) {
    throw new Error(`${redact(url)} is not a beatscope store (no schema_version table)`, { cause: error });
  }
  if (upgrade && found !== null && UPGRADABLE_VERSIONS.includes(found)) return ensureSchema(pool, url);
  if (found !== PG_SCHEMA_VERSION) throw wrongVersion(url, found);
}

/** PostgreSQL's side of the version 1 upgrade (schema-v1-upgrade.ts). */
const PG_UPGRADE: UpgradeDialect = {
  ...POSTGRES_SQL,
  order: 'b.file_id, b.start_line, b.ord',
  dropSuffix: ' CASCADE',
};

/** Whether every table, index and view of the schema exists already (in the search path's first schema). */
async function schemaComplete(client: pg.Pool | pg.PoolClient): Promise<boolean> {
  const names = pgSchemaObjects();
  const rows = await client.query<Row>(
    `SELECT count(*) AS n FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[])`,
    [names],
  );
  return Number(rows.rows[0]?.['n']) === names.length;
}

/**
 * Creates what is missing of the schema. A store whose schema is complete is only checked: the DDL locks the
 * tables it names (`CREATE INDEX IF NOT EXISTS` takes a SHARE lock even when the index exists), so running it
 * while another process's writer holds row locks on the same tables deadlocks (an `ingest` opening the database
 * a `serve` writes).
 */
async function ensureSchema(pool: pg.Pool, url: string): Promise<void> {
  if (await schemaComplete(pool)) {
    const found = await storedVersion(pool);
    if (found === PG_SCHEMA_VERSION) return;
    if (found !== null && !UPGRADABLE_VERSIONS.includes(found)) throw wrongVersion(url, found);
  }
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    // An older store is upgraded first (its dropped views are then missing, so the schema is run below).
    const versioned = (await client.query<Row>("SELECT to_regclass('schema_version') AS t")).rows[0]?.['t'];
    if (versioned !== null && versioned !== undefined) {
      const found = await storedVersion(client);
      if (found !== null && UPGRADABLE_VERSIONS.includes(found)) {
        const [createBeatRuns] = pgEntityTableDdl(tableSpec('beat-run'));
        for (const statement of upgradeFromVersion1(PG_UPGRADE, createBeatRuns!)) await client.query(statement);
      }
    }
    // Another process may have completed it while this one waited for the lock.
    if (!(await schemaComplete(client))) for (const statement of pgSchemaStatements()) await client.query(statement);
    const found = await storedVersion(client);
    if (found !== null && found !== PG_SCHEMA_VERSION) throw wrongVersion(url, found);
    if (found === null) await client.query('INSERT INTO schema_version VALUES ($1)', [PG_SCHEMA_VERSION]);
  });
}
