/**
 * The code index kept in the store beside the telemetry: one snapshot (the latest `beatscope index`),
 * stored as JSON (code-index-codec.ts), with SQL views that flatten it (`code_sequences`, `code_beats`, `code_handlers`,
 * `code_handler_tests`, `code_tests`, `code_topics`, `code_problems`) so ad-hoc SQL can join code to runs.
 * The indexer's state has two parts, both opaque to the store: a JSON skeleton kept with the snapshot, and
 * one text blob per source file (`code_files`), written as a delta and read back only for the paths asked.
 */
import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import { CODE_INDEX_FORMAT, decodeCodeIndex, encodeCodeIndex } from '../code-index-codec.js';
import type { CodeFileBlobs, CodeSnapshot } from '../code-snapshot.js';

/**
 * One array of the index as rows of one column. Unnested beside the snapshot row (or beside the whole list),
 * DuckDB repeats that value, megabytes of JSON, for every element and runs out of memory on a large index.
 */
const LIST = (path: string, alias: string, where = '') =>
  `(SELECT unnest(arr) AS ${alias} FROM (SELECT from_json(index_json::JSON->'${path}', '["JSON"]') AS arr FROM code_snapshot${where})) AS t`;
/** Rows of one array of the index in the compact format, with their position. */
const ROWS = (name: string, path: string) =>
  `${name} AS (SELECT unnest(arr) AS v, generate_subscripts(arr, 1) - 1 AS i FROM (SELECT from_json(index_json::JSON->'${path}', '["JSON"]') AS arr
    FROM code_snapshot WHERE index_json::JSON->>'format' = '${CODE_INDEX_FORMAT}'))`;

export const CODE_INDEX_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS code_snapshot (root VARCHAR NOT NULL, indexed_at_ms BIGINT NOT NULL, index_json VARCHAR NOT NULL, state_json VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS code_files (path VARCHAR NOT NULL, blob VARCHAR NOT NULL)`,
  `CREATE OR REPLACE VIEW code_sequences AS SELECT s->>'id' AS sequence_id, s->>'name' AS name, s->>'pluginId' AS plugin_id,
     s->>'origin' AS origin, s->'source'->>'file' AS file, (s->'source'->>'line')::INTEGER AS line, s->>'handlersPath' AS handlers_path,
     json_array_length(s->'movements') AS movements FROM ${LIST('sequences', 's')}`,
  `CREATE OR REPLACE VIEW code_beats AS SELECT s->>'id' AS sequence_id, s->>'pluginId' AS plugin_id, m->>'name' AS movement,
     (m->>'index')::INTEGER AS movement_index, (b->>'position')::INTEGER AS position, (b->>'beat')::INTEGER AS beat,
     b->>'event' AS event, b->>'handler' AS handler, b->>'title' AS title, b->>'kind' AS kind,
     b->>'testFile' AS test_file, b->>'testCase' AS test_case
     FROM ${LIST('sequences', 's')}, unnest(from_json(s->'movements', '["JSON"]')) AS mt(m), unnest(from_json(m->'beats', '["JSON"]')) AS bt(b)`,
  `CREATE OR REPLACE VIEW code_handlers AS SELECT h->>'handler' AS handler, h->>'pluginId' AS plugin_id,
     h->'location'->>'file' AS file, (h->'location'->>'line')::INTEGER AS line, (h->'location'->>'column')::INTEGER AS "column",
     h->>'unresolvedReason' AS unresolved_reason, json_array_length(h->'tests') AS tests FROM ${LIST('handlers', 'h')}`,
  // A link holds its case (written before the compact format) or the case's position in `tests`.
  `CREATE OR REPLACE VIEW code_handler_tests AS
     WITH ${ROWS('tests', 'tests')}, ${ROWS('handlers', 'handlers')},
       links AS (SELECT v->>'handler' AS handler, v->>'pluginId' AS plugin_id, unnest(from_json(v->'tests', '["JSON"]')) AS l FROM handlers)
     SELECT handler, plugin_id, t.v->>'file' AS test_file, (t.v->>'line')::INTEGER AS test_line, t.v->>'name' AS test_name,
       l->>'evidence' AS evidence
     FROM links JOIN tests t ON t.i = (l->>'test')::INTEGER
     UNION ALL
     SELECT h->>'handler', h->>'pluginId', l->'test'->>'file', (l->'test'->>'line')::INTEGER, l->'test'->>'name', l->>'evidence'
     FROM ${LIST('handlers', 'h', ` WHERE index_json::JSON->>'format' IS NULL`)}, unnest(from_json(h->'tests', '["JSON"]')) AS lt(l)`,
  `CREATE OR REPLACE VIEW code_tests AS SELECT c->>'file' AS file, (c->>'line')::INTEGER AS line, c->>'name' AS name,
     c->>'framework' AS framework FROM ${LIST('tests', 'c')}`,
  `CREATE OR REPLACE VIEW code_topics AS SELECT r->>'topic' AS topic, r->>'pluginId' AS plugin_id, r->>'sequenceId' AS sequence_id
     FROM ${LIST('topics', 'r')}`,
  `CREATE OR REPLACE VIEW code_problems AS SELECT p->>'file' AS file, (p->>'line')::INTEGER AS line, p->>'severity' AS severity,
     p->>'message' AS message FROM ${LIST('problems', 'p')}`,
];

export async function saveCodeSnapshot(connection: DuckDBConnection, snapshot: CodeSnapshot): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run('DELETE FROM code_snapshot');
    await connection.run('INSERT INTO code_snapshot VALUES ($1, $2, $3, $4)', [
      snapshot.index.root,
      snapshot.indexedAtMs,
      encodeCodeIndex(snapshot.index),
      JSON.stringify(snapshot.state ?? null),
    ]);
    await saveFileBlobs(connection, snapshot.files ?? { replace: true, write: new Map(), remove: [] });
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** In the caller's transaction. */
async function saveFileBlobs(connection: DuckDBConnection, blobs: CodeFileBlobs): Promise<void> {
  if (blobs.replace) await connection.run('DELETE FROM code_files');
  else {
    const gone = [...blobs.remove, ...blobs.write.keys()];
    if (gone.length > 0) {
      await connection.run('DELETE FROM code_files WHERE path IN (SELECT unnest($1::VARCHAR[]))', [listValue(gone)]);
    }
  }
  if (blobs.write.size === 0) return;
  // The appender writes into the open transaction.
  const appender = await connection.createAppender('code_files');
  try {
    for (const [path, blob] of blobs.write) {
      appender.appendVarchar(path);
      appender.appendVarchar(blob);
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}

/** Stored blobs of `paths`; paths without one are left out. */
export async function loadCodeFileBlobs(
  connection: DuckDBConnection,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const reader = await connection.runAndReadAll(
    'SELECT path, blob FROM code_files WHERE path IN (SELECT unnest($1::VARCHAR[]))',
    [listValue([...paths])],
  );
  for (const [path, blob] of reader.getRows()) out.set(path as string, blob as string);
  return out;
}

export async function loadCodeSnapshot(connection: DuckDBConnection): Promise<CodeSnapshot | undefined> {
  const rows = (
    await connection.runAndReadAll('SELECT indexed_at_ms, index_json, state_json FROM code_snapshot LIMIT 1')
  ).getRowObjectsJS();
  const row = rows[0];
  if (!row) return undefined;
  return {
    index: decodeCodeIndex(row['index_json'] as string),
    state: JSON.parse(row['state_json'] as string) as unknown,
    indexedAtMs: Number(row['indexed_at_ms']),
  };
}
