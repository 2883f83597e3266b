import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { StoreInUseError } from '../store/duckdb/duckdb-open.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { isPostgresUrl, redact } from '../store/postgres/postgres-url.js';
import type { SqlStore } from '../store/telemetry-store.js';
import { UsageError } from './errors.js';

/**
 * Opens the store; reading commands refuse to create an empty one by accident. `read-only`: DuckDB itself
 * refuses every change (used by `beatscope sql` unless `--write`).
 */
export async function openStore(path: string, mode: 'read' | 'read-only' | 'write'): Promise<SqlStore> {
  if (isPostgresUrl(path)) return openPostgres(path, mode);
  const full = resolve(path);
  if (mode !== 'write' && !existsSync(full)) {
    throw new UsageError(`no telemetry store at ${path}`, 'run `beatscope ingest <logs>` first, or pass --db PATH');
  }
  try {
    return await DuckDbStore.open(full, { readOnly: mode === 'read-only' });
  } catch (error) {
    if (error instanceof StoreInUseError) {
      throw new UsageError(
        error.message,
        'DuckDB lets one process write a store: wait for it to finish, or pass --db PATH',
      );
    }
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A store on a PostgreSQL server (`postgres://user@host:port/db`). Reading commands need the schema to exist
 * (an empty database is not a store); `read-only` makes every transaction read-only on the server.
 */
async function openPostgres(url: string, mode: 'read' | 'read-only' | 'write'): Promise<PostgresStore> {
  try {
    const { PostgresStore } = await import('../store/postgres/postgres-store.js');
    return await PostgresStore.open(url, { existing: mode !== 'write', readOnly: mode === 'read-only' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot open the PostgreSQL store ${redact(url)}: ${message}`);
  }
}
