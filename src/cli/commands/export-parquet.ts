/**
 * `beatscope export --format parquet --out <dir>`: the store's tables as Parquet, partitioned by day
 * (store/duckdb/parquet-export.ts), and `beatscope-parquet.json` listing what was written.
 *
 * The folder must be new, empty, or an earlier parquet export of beatscope (it holds the manifest): then only the
 * table folders that export listed are replaced. Anything else is refused with exit 2 before a byte is written,
 * so a mistyped `--out` never mixes our files into someone's folder or deletes theirs.
 */
import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PARQUET_TABLES, writeParquetTables } from '../../store/duckdb/parquet-export.js';
import { isPostgresUrl } from '../../store/postgres/postgres-url.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

export const PARQUET_MANIFEST = 'beatscope-parquet.json';
const MANIFEST_VERSION = 1;

export async function runExportParquet(opts: { db: string; out: string }): Promise<void> {
  // DuckDB writes the Parquet files (COPY … TO): a PostgreSQL store has no such SQL.
  if (isPostgresUrl(opts.db)) {
    throw new UsageError(
      'export --format parquet reads a DuckDB store, not a PostgreSQL one',
      'ingest the same logs into a DuckDB file (--db store.duckdb) and export that',
    );
  }
  const dir = await claimFolder(opts.out);
  const store = await openStore(opts.db, 'read');
  try {
    const tables = await writeParquetTables(store, dir);
    const manifest = {
      schema: 'beatscope/parquet-export',
      version: MANIFEST_VERSION,
      store: opts.db,
      partitioning: 'hive: day=YYYY-MM-DD (UTC) from the table time column; day=__HIVE_DEFAULT_PARTITION__ = no time',
      tables,
    };
    await writeFile(join(dir, PARQUET_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const rows = tables.reduce((n, t) => n + t.rows, 0);
    const days = new Set(tables.flatMap((t) => t.days.filter((d) => d !== null)));
    process.stdout.write(
      `wrote ${tables.length} tables, ${rows} rows (${days.size} ${days.size === 1 ? 'day' : 'days'}) as Parquet to ${dir}\n` +
        `read them with: duckdb -c "select * from read_parquet('${join(dir, 'beat_runs')}/**/*.parquet', hive_partitioning = true)"\n`,
    );
  } finally {
    await store.close();
  }
}

/**
 * The absolute folder, created if missing; when it is an earlier export, the table folders it listed are removed.
 * Throws a UsageError (exit 2) for a non-empty folder that is not an export of ours.
 */
async function claimFolder(out: string): Promise<string> {
  const dir = await prepareOutput(out, 'dir');
  const entries = await readdir(dir);
  if (entries.length === 0) return dir;
  const known = new Set(PARQUET_TABLES.map((t) => t.table));
  const listed = await readFile(join(dir, PARQUET_MANIFEST), 'utf8')
    .then((text) => JSON.parse(text) as { schema?: unknown; tables?: { table?: unknown }[] })
    .catch(() => undefined);
  if (listed?.schema !== 'beatscope/parquet-export' || !Array.isArray(listed.tables))
    throw new UsageError(
      `refusing to write into ${dir}: the folder is not empty and is not a beatscope parquet export`,
      'pass a new or empty folder to --out',
    );
  // Only folders that are both in the old manifest and tables we write: a hand-edited manifest deletes nothing else.
  for (const t of listed.tables) {
    if (typeof t.table !== 'string' || !known.has(t.table)) continue;
    const path = join(dir, t.table);
    const stat = await lstat(path).catch(() => undefined);
    if (stat?.isDirectory()) await rm(path, { recursive: true });
  }
  const left = (await readdir(dir)).filter((e) => e !== PARQUET_MANIFEST && known.has(e));
  if (left.length > 0)
    throw new UsageError(
      `refusing to write into ${dir}: ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} not from the earlier export`,
      'pass a new or empty folder to --out',
    );
  return dir;
}
