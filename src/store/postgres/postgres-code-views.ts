/**
 * The `code_*` views of the DuckDB store (duckdb/code-index-store.ts) in PostgreSQL: the same names, columns and
 * values, flattening the one stored snapshot (`code_snapshot.index_json`, text holding the compact JSON of
 * code-index-codec.ts, or the plain CodeIndex JSON written before it). The text is parsed once per view query
 * (one snapshot row) and its arrays walked with `jsonb_array_elements`. A test compares every view with DuckDB's.
 */
import { CODE_INDEX_FORMAT } from '../code-index-codec.js';
import { sqlString } from '../sql-string.js';

/** The elements of `json` when it is an array, else none (`jsonb_array_elements` refuses a scalar or null). */
const elements = (json: string) => `jsonb_array_elements(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} END)`;
/** How many elements `json` has when it is an array, else NULL; BIGINT as DuckDB's `json_array_length`. */
const count = (json: string) =>
  `(CASE WHEN jsonb_typeof(${json}) = 'array' THEN jsonb_array_length(${json}) END)::bigint`;

/** The snapshot's JSON, parsed once: `FROM ${SNAPSHOT}` then lateral walks of `j`. */
const SNAPSHOT = '(SELECT index_json::jsonb AS j FROM code_snapshot) AS snap';
const COMPACT = `j->>'format' = ${sqlString(CODE_INDEX_FORMAT)}`;

export function pgCodeViewStatements(): string[] {
  return [
    `CREATE OR REPLACE VIEW code_sequences AS
SELECT s->>'id' AS sequence_id, s->>'name' AS name, s->>'pluginId' AS plugin_id, s->>'origin' AS origin,
  s->'source'->>'file' AS file, (s->'source'->>'line')::integer AS line, s->>'handlersPath' AS handlers_path,
  ${count("s->'movements'")} AS movements
FROM ${SNAPSHOT}, ${elements("j->'sequences'")} AS st(s)`,
    `CREATE OR REPLACE VIEW code_beats AS
SELECT s->>'id' AS sequence_id, s->>'pluginId' AS plugin_id, m->>'name' AS movement,
  (m->>'index')::integer AS movement_index, (b->>'position')::integer AS position, (b->>'beat')::integer AS beat,
  b->>'event' AS event, b->>'handler' AS handler, b->>'title' AS title, b->>'kind' AS kind,
  b->>'testFile' AS test_file, b->>'testCase' AS test_case
FROM ${SNAPSHOT}, ${elements("j->'sequences'")} AS st(s), ${elements("s->'movements'")} AS mt(m),
  ${elements("m->'beats'")} AS bt(b)`,
    `CREATE OR REPLACE VIEW code_handlers AS
SELECT h->>'handler' AS handler, h->>'pluginId' AS plugin_id, h->'location'->>'file' AS file,
  (h->'location'->>'line')::integer AS line, (h->'location'->>'column')::integer AS "column",
  h->>'unresolvedReason' AS unresolved_reason, ${count("h->'tests'")} AS tests
FROM ${SNAPSHOT}, ${elements("j->'handlers'")} AS ht(h)`,
    // A link holds its case (written before the compact format) or the case's 0-based position in `tests`.
    `CREATE OR REPLACE VIEW code_handler_tests AS
WITH cases AS (
  SELECT c, i - 1 AS i FROM ${SNAPSHOT}, ${elements("j->'tests'")} WITH ORDINALITY AS ct(c, i) WHERE ${COMPACT}
), links AS (
  SELECT h->>'handler' AS handler, h->>'pluginId' AS plugin_id, l, j->>'format' AS format
  FROM ${SNAPSHOT}, ${elements("j->'handlers'")} AS ht(h), ${elements("h->'tests'")} AS lt(l)
)
SELECT handler, plugin_id, c->>'file' AS test_file, (c->>'line')::integer AS test_line, c->>'name' AS test_name,
  l->>'evidence' AS evidence
FROM links JOIN cases ON cases.i = CASE WHEN jsonb_typeof(l->'test') = 'number' THEN (l->>'test')::integer END
WHERE format IS NOT NULL
UNION ALL
SELECT handler, plugin_id, l->'test'->>'file', (l->'test'->>'line')::integer, l->'test'->>'name', l->>'evidence'
FROM links WHERE format IS NULL`,
    `CREATE OR REPLACE VIEW code_tests AS
SELECT c->>'file' AS file, (c->>'line')::integer AS line, c->>'name' AS name, c->>'framework' AS framework
FROM ${SNAPSHOT}, ${elements("j->'tests'")} AS ct(c)`,
    `CREATE OR REPLACE VIEW code_topics AS
SELECT r->>'topic' AS topic, r->>'pluginId' AS plugin_id, r->>'sequenceId' AS sequence_id
FROM ${SNAPSHOT}, ${elements("j->'topics'")} AS rt(r)`,
    `CREATE OR REPLACE VIEW code_problems AS
SELECT p->>'file' AS file, (p->>'line')::integer AS line, p->>'severity' AS severity, p->>'message' AS message
FROM ${SNAPSHOT}, ${elements("j->'problems'")} AS pt(p)`,
  ];
}
