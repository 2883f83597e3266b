/**
 * DDL of the PostgreSQL store, schema version 2 (schema-version.ts): the same tables and columns as the DuckDB store
 * (duckdb/duckdb-schema.ts), entity tables generated from the same table specs. Types: TEXT→text, MS→bigint,
 * INT→integer, DOUBLE→double precision, BOOL→boolean, TEXT[]→text[], FRAMES→jsonb (an array of
 * `{fn, file, line, column}` objects, absent fields as null), ENUM→text with a CHECK over its values.
 * `file_id` is `COLLATE "C"`: the store orders files by fileId in UTF-16 code-unit order like the other stores,
 * whatever the database's default collation. Every statement is idempotent; docs/schema.md describes them.
 */
import type { ColumnSpec, ColumnType, EntityTableSpec } from '../column-spec.js';
import { ENTITY_KINDS, tableSpec } from '../entity-tables.js';
import { STORE_SCHEMA_VERSION } from '../schema-version.js';
import { sqlString } from '../sql-string.js';
import { ENCODINGS, SEVERITIES } from '../vocabulary.js';
import { pgCodeViewStatements } from './postgres-code-views.js';
import { pgViewStatements } from './postgres-views.js';

export const PG_SCHEMA_VERSION = STORE_SCHEMA_VERSION;

const PG_TYPES: Readonly<Record<Exclude<ColumnType, 'ENUM'>, string>> = {
  TEXT: 'text',
  MS: 'bigint',
  INT: 'integer',
  DOUBLE: 'double precision',
  BOOL: 'boolean',
  'TEXT[]': 'text[]',
  FRAMES: 'jsonb',
};

function checkIn(name: string, values: readonly string[]): string {
  return `CHECK ("${name}" IN (${values.map(sqlString).join(', ')}))`;
}

function columnDdl(c: ColumnSpec<unknown>): string {
  const type = c.type === 'ENUM' ? `text ${checkIn(c.name, c.values ?? [])}` : PG_TYPES[c.type];
  return `"${c.name}" ${type}${c.notNull ? ' NOT NULL' : ''}`;
}

/** `ord`: the 0-based append order of the row within its file and table, the tie-break of `entities()`. */
export function pgEntityTableDdl(spec: EntityTableSpec): string[] {
  const columns = [
    'file_id text COLLATE "C" NOT NULL',
    'ord integer NOT NULL',
    ...spec.columns.map((c) => columnDdl(c as ColumnSpec<unknown>)),
  ];
  const line = `"${spec.lineColumn}"`;
  const out = [
    `CREATE TABLE IF NOT EXISTS ${spec.table} (\n  ${columns.join(',\n  ')}\n)`,
    // The order of `entities()`, of the keyset batches and of a file's delete.
    `CREATE INDEX IF NOT EXISTS ${spec.table}_place ON ${spec.table} (file_id, ${line}, ord)`,
  ];
  const names = new Set(spec.columns.map((c) => c.name));
  // Joins of the handler-run facts and of the run parts look rows up by these ids.
  for (const key of ['id', 'sequence_run_id', 'beat_run_id']) {
    if (names.has(key)) out.push(`CREATE INDEX IF NOT EXISTS ${spec.table}_${key} ON ${spec.table} (${key})`);
  }
  return out;
}

/**
 * Unlike DuckDB, PostgreSQL keys files and superseded paths: a second writer of the same fileId waits on
 * the first's lock (postgres-file-writer.ts), and the key refuses a duplicate were that ever bypassed.
 */
const FILE_TABLES_DDL = [
  `CREATE TABLE IF NOT EXISTS files (
  file_id text COLLATE "C" PRIMARY KEY,
  path text NOT NULL,
  size_bytes bigint NOT NULL,
  mtime_ms double precision NOT NULL,
  format text NOT NULL,
  encoding text NOT NULL ${checkIn('encoding', ENCODINGS)},
  gzip boolean NOT NULL,
  lines bigint NOT NULL,
  lines_recognized bigint NOT NULL,
  lines_unknown bigint NOT NULL
)`,
  'CREATE INDEX IF NOT EXISTS files_path ON files (path)',
  `CREATE TABLE IF NOT EXISTS file_prints (
  file_id text COLLATE "C" PRIMARY KEY,
  content_bytes bigint NOT NULL,
  digest text NOT NULL,
  heads text[] NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS superseded_files (
  file_id text COLLATE "C" NOT NULL,
  path text PRIMARY KEY,
  size_bytes bigint NOT NULL,
  mtime_ms double precision NOT NULL,
  by_file_id text COLLATE "C" NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS diagnostics (
  file_id text COLLATE "C" NOT NULL,
  ord integer NOT NULL,
  path text NOT NULL,
  line integer NOT NULL,
  severity text NOT NULL ${checkIn('severity', SEVERITIES)},
  message text NOT NULL
)`,
  'CREATE INDEX IF NOT EXISTS diagnostics_place ON diagnostics (file_id, ord)',
];

/** The code index as the DuckDB store keeps it (one snapshot row, one blob per source file); views: postgres-code-views.ts. */
const CODE_INDEX_DDL = [
  'CREATE TABLE IF NOT EXISTS code_snapshot (root text NOT NULL, indexed_at_ms bigint NOT NULL, index_json text NOT NULL, state_json text NOT NULL)',
  'CREATE TABLE IF NOT EXISTS code_files (path text PRIMARY KEY, blob text NOT NULL)',
];

/** Tables holding one file's rows, deleted together when a file is replaced or removed. */
export const PG_FILE_SCOPED_TABLES: readonly string[] = [
  ...ENTITY_KINDS.map((kind) => tableSpec(kind).table),
  'diagnostics',
  'file_prints',
  'files',
];

/** Statements creating the schema (version 2), in order (tables before the views that read them). */
export function pgSchemaStatements(): string[] {
  return [
    'CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)',
    ...ENTITY_KINDS.flatMap((kind) => pgEntityTableDdl(tableSpec(kind))),
    ...FILE_TABLES_DDL,
    ...pgViewStatements(),
    ...CODE_INDEX_DDL,
    ...pgCodeViewStatements(),
  ];
}

/** The tables, indexes and views `statements` create, by name. */
export function pgSchemaObjects(statements: readonly string[] = pgSchemaStatements()): string[] {
  const names = statements.map(
    (sql) => /^CREATE (?:TABLE|INDEX|OR REPLACE VIEW) (?:IF NOT EXISTS )?(\w+)/.exec(sql)?.[1],
  );
  return names.filter((n): n is string => n !== undefined);
}
