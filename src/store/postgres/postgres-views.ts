/**
 * The `*_v` views of the DuckDB store (duckdb/duckdb-schema.ts) in PostgreSQL: the same names, columns, column
 * order and values. Differences in kind only: `*_at` columns are `timestamptz` (DuckDB: TIMESTAMP in UTC; both
 * come out of `beatscope sql --json` as the same ISO-8601 UTC text), and list functions are spelled the
 * PostgreSQL way (`cardinality`, jsonb for stacks). A test compares every view's rows with DuckDB's.
 */
import { tableSpec } from '../entity-tables.js';

const at = (ms: string) => `to_timestamp(${ms} / 1000.0)`;

/** `b.* EXCLUDE (sequence_name)`, which PostgreSQL lacks: beat_runs' columns, in order, but that one. */
function beatColumnsButSequenceName(): string {
  const names = ['file_id', 'ord', ...tableSpec('beat-run').columns.map((c) => c.name)];
  return names
    .filter((n) => n !== 'sequence_name')
    .map((n) => `b."${n}"`)
    .join(', ');
}

/** A stack as text, one frame a line: `fn (file:line:column)`, as DuckDB's `list_transform` builds it. */
const STACK_TEXT = `coalesce((SELECT string_agg(coalesce(f->>'fn', '<anonymous>') || ' (' || (f->>'file')
    || coalesce(':' || (f->>'line'), '') || coalesce(':' || (f->>'column'), '') || ')', '\n' ORDER BY i)
  FROM jsonb_array_elements(stack) WITH ORDINALITY AS frames(f, i)), '')`;

export function pgViewStatements(): string[] {
  return [
    `CREATE OR REPLACE VIEW sessions_v AS
SELECT *, ${at('start_ms')} AS start_at, ${at('end_ms')} AS end_at, end_ms - start_ms AS span_ms FROM sessions`,
    `CREATE OR REPLACE VIEW sequence_runs_v AS
SELECT *, ${at('start_ms')} AS start_at, ${at('end_ms')} AS end_at FROM sequence_runs`,
    `CREATE OR REPLACE VIEW movement_runs_v AS
SELECT m.*, s.sequence_name, ${at('m.start_ms')} AS start_at, ${at('m.end_ms')} AS end_at
FROM movement_runs m LEFT JOIN sequence_runs s ON s.file_id = m.file_id AND s.id = m.sequence_run_id`,
    `CREATE OR REPLACE VIEW beat_runs_v AS
SELECT ${beatColumnsButSequenceName()}, coalesce(b.sequence_name, s.sequence_name) AS sequence_name,
  m.name AS movement_name, m.movement_index, array_to_string(b.handlers, ', ') AS handlers_text,
  cardinality(b.handlers) AS handler_count, ${at('b.start_ms')} AS start_at, ${at('b.end_ms')} AS end_at
FROM beat_runs b
LEFT JOIN sequence_runs s ON s.file_id = b.file_id AND s.id = b.sequence_run_id
LEFT JOIN movement_runs m ON m.file_id = b.file_id AND m.id = b.movement_run_id`,
    `CREATE OR REPLACE VIEW handler_runs_v AS
SELECT *, ${at('settled_ms')} AS settled_at FROM handler_runs`,
    `CREATE OR REPLACE VIEW baton_diffs_v AS
SELECT *, array_to_string(added, ', ') AS added_text, array_to_string(updated, ', ') AS updated_text,
  array_to_string(removed, ', ') AS removed_text, ${at('time_ms')} AS at
FROM baton_diffs`,
    `CREATE OR REPLACE VIEW handler_errors_v AS
SELECT *, ${at('time_ms')} AS at, stack->0->>'file' AS top_file, (stack->0->>'line')::integer AS top_line,
  ${STACK_TEXT} AS stack_text
FROM handler_errors`,
    `CREATE OR REPLACE VIEW runs_v AS
SELECT 'sequence' AS level, file_id, id, session_id, sequence_name, sequence_name AS name, status, error,
  start_ms, end_ms, duration_ms, duration_source, start_line, ${at('start_ms')} AS start_at
FROM sequence_runs
UNION ALL
SELECT 'movement', m.file_id, m.id, m.session_id, s.sequence_name, m.name, m.status, NULL,
  m.start_ms, m.end_ms, m.duration_ms, m.duration_source, m.start_line, ${at('m.start_ms')}
FROM movement_runs m LEFT JOIN sequence_runs s ON s.file_id = m.file_id AND s.id = m.sequence_run_id
UNION ALL
SELECT 'beat', b.file_id, b.id, b.session_id, coalesce(b.sequence_name, s.sequence_name),
  coalesce(b.event, 'beat ' || b.beat), b.status, b.error, b.start_ms, b.end_ms, b.duration_ms,
  b.duration_source, b.start_line, ${at('b.start_ms')}
FROM beat_runs b LEFT JOIN sequence_runs s ON s.file_id = b.file_id AND s.id = b.sequence_run_id`,
  ];
}
