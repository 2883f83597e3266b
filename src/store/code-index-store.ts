/**
 * The code index kept in the store beside the telemetry: one snapshot (the latest `beatscope index`),
 * stored as JSON, with SQL views that flatten it (`code_sequences`, `code_beats`, `code_handlers`,
 * `code_handler_tests`, `code_tests`, `code_topics`, `code_problems`) so ad-hoc SQL can join code to runs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CodeIndex } from '../model/index.js';

export interface CodeSnapshot {
  readonly index: CodeIndex;
  /** The indexer's incremental state (per-file hashes and facts), opaque to the store; JSON-serializable. */
  readonly state: unknown;
  /** Wall-clock time of the indexing, epoch ms. */
  readonly indexedAtMs: number;
}

const LIST = (path: string, alias: string) =>
  `code_snapshot, unnest(from_json(index_json::JSON->'${path}', '["JSON"]')) AS t(${alias})`;

export const CODE_INDEX_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS code_snapshot (root VARCHAR NOT NULL, indexed_at_ms BIGINT NOT NULL, index_json VARCHAR NOT NULL, state_json VARCHAR NOT NULL)`,
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
  `CREATE OR REPLACE VIEW code_handler_tests AS SELECT h->>'handler' AS handler, h->>'pluginId' AS plugin_id,
     l->'test'->>'file' AS test_file, (l->'test'->>'line')::INTEGER AS test_line, l->'test'->>'name' AS test_name, l->>'evidence' AS evidence
     FROM ${LIST('handlers', 'h')}, unnest(from_json(h->'tests', '["JSON"]')) AS lt(l)`,
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
      JSON.stringify(snapshot.index),
      JSON.stringify(snapshot.state ?? null),
    ]);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function loadCodeSnapshot(connection: DuckDBConnection): Promise<CodeSnapshot | undefined> {
  const rows = (
    await connection.runAndReadAll('SELECT indexed_at_ms, index_json, state_json FROM code_snapshot LIMIT 1')
  ).getRowObjectsJS();
  const row = rows[0];
  if (!row) return undefined;
  return {
    index: JSON.parse(row['index_json'] as string) as CodeIndex,
    state: JSON.parse(row['state_json'] as string) as unknown,
    indexedAtMs: Number(row['indexed_at_ms']),
  };
}
