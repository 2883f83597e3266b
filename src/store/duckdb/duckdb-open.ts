/**
 * Opening a DuckDB store file: parent directories, the one-writer-process lock, the schema.
 * DuckDB lets one process open a database file read-write; a second gets an IO error naming the lock
 * holder, which is turned into `StoreInUseError`. Within one process, two instances on one file would
 * not see each other's lock (POSIX locks are per process), so open paths are also tracked here.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { tableSpec } from '../entity-tables.js';
import { type UpgradeDialect, upgradeFromVersion1 } from '../schema-v1-upgrade.js';
import { UPGRADABLE_VERSIONS, wrongSchemaVersion } from '../schema-version.js';
import { DUCKDB_SQL } from '../sql-dialect.js';
import { entityTableDdl, SCHEMA_VERSION, schemaStatements } from './duckdb-schema.js';

export class StoreInUseError extends Error {
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`store ${path} is in use by another beatscope process${detail}`, options);
    this.name = 'StoreInUseError';
  }
}

const openInThisProcess = new Set<string>();

/**
 * DuckDB's own memory budget. Its default (80% of RAM) lets a large file's open transaction grow the
 * process far past what ingest needs; with a limit it spills to its temp directory instead, keeping
 * the whole ingest's peak RSS under ~1 GB. Override with BEATSCOPE_DUCKDB_MEMORY (e.g. `2GB`).
 */
const MEMORY_LIMIT = process.env['BEATSCOPE_DUCKDB_MEMORY'] ?? '384MB';

/**
 * DuckDB checkpoints (folds its write-ahead log into the database file) after any commit that leaves
 * the log over `checkpoint_threshold` (default 16 MB), i.e. after nearly every file of an ingest; four
 * 25 MB logs then took 4.3 s against 3.7-3.9 s with one checkpoint at the end. Committed files are
 * safe in the log either way (replayed on the next open after a crash); closing the store checkpoints.
 */
const CHECKPOINT_THRESHOLD = '1GB';

const DUCKDB_CONFIG = { memory_limit: MEMORY_LIMIT, threads: '2', checkpoint_threshold: CHECKPOINT_THRESHOLD };

export interface OpenOptions {
  /**
   * Open the file with DuckDB's `access_mode: 'READ_ONLY'`: every statement that would change it (DML, DDL,
   * CHECKPOINT) fails in DuckDB itself, and the file must exist. For `beatscope sql` without `--write`.
   */
  readonly readOnly?: boolean;
}

/** Opens (creating if needed) the database file; returns the instance and the key to `releasePath` on close. */
export async function openInstance(
  path: string,
  options: OpenOptions = {},
): Promise<{ instance: DuckDBInstance; pathKey: string | null }> {
  const config = options.readOnly ? { ...DUCKDB_CONFIG, access_mode: 'READ_ONLY' } : DUCKDB_CONFIG;
  if (path === ':memory:') return { instance: await DuckDBInstance.create(':memory:', config), pathKey: null };
  const pathKey = resolve(path);
  if (openInThisProcess.has(pathKey)) throw new StoreInUseError(path, ' (already open in this process)');
  if (!options.readOnly) await mkdir(dirname(pathKey), { recursive: true });
  try {
    const instance = await DuckDBInstance.create(pathKey, config);
    openInThisProcess.add(pathKey);
    return { instance, pathKey };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Could not set lock|Conflicting lock/i.test(message)) {
      const pid = /PID (\d+)/.exec(message)?.[1];
      throw new StoreInUseError(path, pid === undefined ? '' : ` (pid ${pid})`, { cause: error });
    }
    throw new Error(`cannot open store ${path}: ${message}`, { cause: error });
  }
}

export function releasePath(pathKey: string | null): void {
  if (pathKey !== null) openInThisProcess.delete(pathKey);
}

/** The schema version a store file holds, or undefined when it has none yet. */
async function storedVersion(connection: DuckDBConnection): Promise<number | undefined> {
  const rows = (await connection.runAndReadAll('SELECT max(version) FROM schema_version')).getRows();
  const found = rows[0]?.[0];
  return found === null || found === undefined ? undefined : Number(found);
}

/**
 * Checks the version of a store opened read-only (nothing can be created in it): a file that is not a
 * beatscope store, or holds another version, is refused.
 */
export async function checkSchema(connection: DuckDBConnection, path: string): Promise<void> {
  let found: number | undefined;
  try {
    found = await storedVersion(connection);
  } catch (error) {
    throw new Error(`${path} is not a beatscope store (no schema_version table)`, { cause: error });
  }
  if (found !== SCHEMA_VERSION) throw wrongSchemaVersion(path, found ?? null);
}

/** DuckDB's side of the version 1 upgrade (schema-v1-upgrade.ts). */
const DUCKDB_UPGRADE: UpgradeDialect = {
  ...DUCKDB_SQL,
  order: 'b.rowid',
  dropSuffix: '',
};

/**
 * Creates the schema in a new store, checks the version of an existing one, and upgrades a version 1 store in
 * place (in the same transaction: an upgrade that fails leaves the store as it was).
 */
export async function ensureSchema(connection: DuckDBConnection, path: string): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const found = await storedVersion(connection);
    if (found !== undefined && UPGRADABLE_VERSIONS.includes(found)) {
      const upgrade = upgradeFromVersion1(DUCKDB_UPGRADE, entityTableDdl(tableSpec('beat-run')));
      for (const statement of upgrade) await connection.run(statement);
    } else if (found !== undefined && found !== SCHEMA_VERSION) {
      throw wrongSchemaVersion(path, found);
    }
    for (const statement of schemaStatements()) await connection.run(statement);
    if (found === undefined) {
      await connection.run('INSERT INTO schema_version VALUES ($1)', [SCHEMA_VERSION]);
    }
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
