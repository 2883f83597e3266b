/**
 * DDL of the DuckDB store, version 2 (schema-version.ts). Entity tables are generated from the table specs; `files`,
 * `diagnostics`, `schema_version` and the `*_v` views are written out here. Every statement is
 * idempotent (`IF NOT EXISTS`, `OR REPLACE`), so opening an existing store re-runs it harmlessly.
 * docs/schema.md describes every table, column and view; keep it in step.
 */

import type { ColumnSpec, ColumnType, EntityTableSpec } from '../column-spec.js';
import { ENTITY_KINDS, tableSpec } from '../entity-tables.js';
import { STORE_SCHEMA_VERSION } from '../schema-version.js';
import { sqlString } from '../sql-string.js';
import { ENCODINGS, SEVERITIES } from '../vocabulary.js';
import { CODE_INDEX_DDL } from './code-index-store.js';

export const SCHEMA_VERSION = STORE_SCHEMA_VERSION;

/** `FRAMES` keeps a stack as typed structs, so `stack[1].file` works in SQL and optional fields stay NULL. */
const SQL_TYPES: Readonly<Record<Exclude<ColumnType, 'ENUM'>, string>> = {
  TEXT: 'VARCHAR',
  MS: 'BIGINT',
  INT: 'INTEGER',
  DOUBLE: 'DOUBLE',
  BOOL: 'BOOLEAN',
  'TEXT[]': 'VARCHAR[]',
  FRAMES: 'STRUCT(fn VARCHAR, file VARCHAR, line INTEGER, "column" INTEGER)[]',
};

export function sqlEnum(values: readonly string[]): string {
  return `ENUM(${values.map(sqlString).join(', ')})`;
}

export function sqlType(column: ColumnSpec<unknown>): string {
  return column.type === 'ENUM' ? sqlEnum(column.values ?? []) : SQL_TYPES[column.type];
}

/** `ord` is the 0-based append order of the row within its file and table: the tie-break of `entities()`. */
export function entityTableDdl(spec: EntityTableSpec): string {
  const columns = [
    'file_id VARCHAR NOT NULL',
    'ord INTEGER NOT NULL',
    ...spec.columns.map((c) => `"${c.name}" ${sqlType(c as ColumnSpec<unknown>)}${c.notNull ? ' NOT NULL' : ''}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${spec.table} (\n  ${columns.join(',\n  ')}\n)`;
}

/** No PRIMARY KEY on files.file_id: the store opens at most one writer per fileId, which deletes earlier
 * rows first, so ids stay unique; DuckDB's ART indexes make delete-then-reinsert of one key inside one
 * transaction fragile. */
const FILE_TABLES_DDL = [
  `CREATE TABLE IF NOT EXISTS files (
  file_id VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  mtime_ms DOUBLE NOT NULL,
  format VARCHAR NOT NULL,
  encoding ${sqlEnum(ENCODINGS)} NOT NULL,
  gzip BOOLEAN NOT NULL,
  lines BIGINT NOT NULL,
  lines_recognized BIGINT NOT NULL,
  lines_unknown BIGINT NOT NULL
)`,
  // Content prints (model/file-info.ts ContentPrint): one row per stored file that has one.
  `CREATE TABLE IF NOT EXISTS file_prints (
  file_id VARCHAR NOT NULL,
  content_bytes BIGINT NOT NULL,
  digest VARCHAR NOT NULL,
  heads VARCHAR[] NOT NULL
)`,
  // Files not stored because a stored file's content starts with theirs: one row per path.
  `CREATE TABLE IF NOT EXISTS superseded_files (
  file_id VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  mtime_ms DOUBLE NOT NULL,
  by_file_id VARCHAR NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS diagnostics (
  file_id VARCHAR NOT NULL,
  ord INTEGER NOT NULL,
  path VARCHAR NOT NULL,
  line INTEGER NOT NULL,
  severity ${sqlEnum(SEVERITIES)} NOT NULL,
  message VARCHAR NOT NULL
)`,
];

const VIEWS_DDL = [
  `CREATE OR REPLACE VIEW sessions_v AS
SELECT *, epoch_ms(start_ms) AS start_at, epoch_ms(end_ms) AS end_at, end_ms - start_ms AS span_ms FROM sessions`,
  `CREATE OR REPLACE VIEW sequence_runs_v AS
SELECT *, epoch_ms(start_ms) AS start_at, epoch_ms(end_ms) AS end_at FROM sequence_runs`,
  `CREATE OR REPLACE VIEW movement_runs_v AS
SELECT m.*, s.sequence_name, epoch_ms(m.start_ms) AS start_at, epoch_ms(m.end_ms) AS end_at
FROM movement_runs m LEFT JOIN sequence_runs s ON s.file_id = m.file_id AND s.id = m.sequence_run_id`,
  `CREATE OR REPLACE VIEW beat_runs_v AS
SELECT b.* EXCLUDE (sequence_name), coalesce(b.sequence_name, s.sequence_name) AS sequence_name,
  m.name AS movement_name, m.movement_index, array_to_string(b.handlers, ', ') AS handlers_text,
  len(b.handlers) AS handler_count, epoch_ms(b.start_ms) AS start_at, epoch_ms(b.end_ms) AS end_at
FROM beat_runs b
LEFT JOIN sequence_runs s ON s.file_id = b.file_id AND s.id = b.sequence_run_id
LEFT JOIN movement_runs m ON m.file_id = b.file_id AND m.id = b.movement_run_id`,
  `CREATE OR REPLACE VIEW handler_runs_v AS
SELECT *, epoch_ms(settled_ms) AS settled_at FROM handler_runs`,
  `CREATE OR REPLACE VIEW baton_diffs_v AS
SELECT *, array_to_string(added, ', ') AS added_text, array_to_string(updated, ', ') AS updated_text,
  array_to_string(removed, ', ') AS removed_text, epoch_ms(time_ms) AS at
FROM baton_diffs`,
  `CREATE OR REPLACE VIEW handler_errors_v AS
SELECT *, epoch_ms(time_ms) AS at, stack[1].file AS top_file, stack[1].line AS top_line,
  array_to_string(list_transform(stack, f -> coalesce(f.fn, '<anonymous>') || ' (' || f.file
    || coalesce(':' || f.line, '') || coalesce(':' || f."column", '') || ')'), '\n') AS stack_text
FROM handler_errors`,
  `CREATE OR REPLACE VIEW runs_v AS
SELECT 'sequence' AS level, file_id, id, session_id, sequence_name, sequence_name AS name, status, error,
  start_ms, end_ms, duration_ms, duration_source, start_line, epoch_ms(start_ms) AS start_at
FROM sequence_runs
UNION ALL
SELECT 'movement', m.file_id, m.id, m.session_id, s.sequence_name, m.name, m.status, NULL,
  m.start_ms, m.end_ms, m.duration_ms, m.duration_source, m.start_line, epoch_ms(m.start_ms)
FROM movement_runs m LEFT JOIN sequence_runs s ON s.file_id = m.file_id AND s.id = m.sequence_run_id
UNION ALL
SELECT 'beat', b.file_id, b.id, b.session_id, coalesce(b.sequence_name, s.sequence_name),
  coalesce(b.event, 'beat ' || b.beat), b.status, b.error, b.start_ms, b.end_ms, b.duration_ms,
  b.duration_source, b.start_line, epoch_ms(b.start_ms)
FROM beat_runs b LEFT JOIN sequence_runs s ON s.file_id = b.file_id AND s.id = b.sequence_run_id`,
];

/** Tables holding one file's rows, deleted together when a file is replaced or removed. */
export const FILE_SCOPED_TABLES: readonly string[] = [
  ...ENTITY_KINDS.map((kind) => tableSpec(kind).table),
  'diagnostics',
  'file_prints',
  'files',
];

/** Statements creating the schema (version 2), in order (tables before the views that read them). */
export function schemaStatements(): string[] {
  return [
    ...ENTITY_KINDS.map((kind) => entityTableDdl(tableSpec(kind))),
    ...FILE_TABLES_DDL,
    ...VIEWS_DDL,
    ...CODE_INDEX_DDL,
  ];
}
