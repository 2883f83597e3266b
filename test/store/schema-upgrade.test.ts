/**
 * A store of schema version 1 — every beat-level `🎽 DataBaton: No changes` line a `baton_diffs` row, `beat_runs`
 * without `baton_unchanged` and `baton_settled_ms` — is upgraded in place the first time it is opened for writing,
 * to exactly what ingesting its logs gives at version 2: on DuckDB and on a real PostgreSQL server. The version 1
 * store is the version 2 one taken back the way version 1 stored it: the ISO fixture's beat-level lines, read from
 * the file with their line numbers and timestamps, become baton diff rows of the beats they name again.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { sqlString } from '../../src/store/sql-string.js';
import type { SqlStore } from '../../src/store/telemetry-store.js';
import { type PostgresServer, startPostgres } from './postgres-server.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/chrome-console/iso-beat-headers-filtered.log');
const TRANSCRIPT = resolve(
  import.meta.dirname,
  '../fixtures/corpus/logs/chrome-per-source-location.devtools-transcript.log',
);

interface BeatLine {
  readonly line: number;
  readonly beat: number;
  readonly event: string;
  readonly sequence: string;
  readonly timeMs: number;
}

/** The fixture's beat-level DataBaton lines. */
async function beatLines(): Promise<BeatLine[]> {
  const lines = (await readFile(FIXTURE, 'utf8')).split('\n');
  return lines.flatMap((l, i) => {
    const m = /(\d{4}-\d\d-\d\dT[\d:.]+Z) 🎽 DataBaton: No changes \| seq=(.*) beat=(\d+) event=(\S+) handler=\?/.exec(
      l,
    );
    return m ? [{ line: i + 1, timeMs: Date.parse(m[1]!), sequence: m[2]!, beat: Number(m[3]), event: m[4]! }] : [];
  });
}

interface BeatRow {
  readonly file_id: string;
  readonly id: string;
  readonly session_id: string;
  readonly sequence_run_id: string | null;
  readonly beat: number;
  readonly event: string;
  readonly start_line: number;
}

/**
 * Takes a version 2 store back to version 1: each beat-level line a baton diff row again (of the beat of its event
 * that started last before it, as the builder links it), the folded columns dropped, the version set to 1.
 */
async function toVersion1(store: SqlStore, emptyList: string, dropSuffix: string): Promise<void> {
  const beats = (await store.query(
    'SELECT file_id, id, session_id, sequence_run_id, beat, event, start_line FROM beat_runs ORDER BY start_line',
  )) as unknown as BeatRow[];
  const rows = (await beatLines()).map((l, i) => {
    const beat = beats.filter((b) => b.event === l.event && b.beat === l.beat && b.start_line < l.line).at(-1)!;
    const values = [
      sqlString(beat.file_id),
      String(100_000 + i),
      sqlString(`${beat.session_id}:d${l.line}`),
      sqlString(beat.session_id),
      "'beat'",
      emptyList,
      emptyList,
      emptyList,
      'NULL',
      'NULL',
      'NULL',
      'NULL',
      sqlString(l.event),
      sqlString(l.sequence),
      String(l.beat),
      sqlString(beat.id),
      beat.sequence_run_id === null ? 'NULL' : sqlString(beat.sequence_run_id),
      String(l.timeMs),
      String(l.line),
    ];
    return `(${values.join(', ')})`;
  });
  await store.query(`INSERT INTO baton_diffs (file_id, ord, id, session_id, level, added, updated, removed, preview,
    handler, plugin_id, request_id, event, sequence_name, beat, beat_run_id, sequence_run_id, time_ms, line)
    VALUES ${rows.join(',\n')}`);
  await store.query(`ALTER TABLE beat_runs DROP COLUMN baton_unchanged${dropSuffix}`);
  await store.query(`ALTER TABLE beat_runs DROP COLUMN baton_settled_ms${dropSuffix}`);
  await store.query('UPDATE schema_version SET version = 1');
}

/** What an upgrade must give back: the folded beats, the baton diff rows and the summary. */
async function content(store: SqlStore) {
  return {
    beats: await store.entities('beat-run'),
    batons: await store.entities('baton-diff'),
    summary: await store.summary(),
    version: await store.query('SELECT version FROM schema_version'),
  };
}

/** Ingests a copy of `log` (the ISO fixture by default) into `store`. */
async function ingestLog(store: SqlStore, dir: string, log = FIXTURE): Promise<void> {
  const copy = join(dir, log.split('/').pop()!);
  await writeFile(copy, await readFile(log));
  const report = await ingest([copy], { store, workers: 0 });
  expect(report.outcomes.map((o) => o.status)).toEqual(['ingested']);
}

describe('a schema version 1 store', { timeout: 120_000 }, () => {
  let dir: string;
  let server: PostgresServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beatscope-upgrade-'));
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('DuckDB: refused read-only with how to upgrade it, upgraded in place when opened for writing', async () => {
    const path = join(dir, 'v1.duckdb');
    const store = await DuckDbStore.open(path);
    await ingestLog(store, dir);
    const want = await content(store);
    expect(want.beats.reduce((n, b) => n + b.batonUnchanged, 0)).toBe(63);
    await toVersion1(store, 'CAST([] AS VARCHAR[])', '');
    expect((await store.query(`SELECT count(*) AS n FROM baton_diffs WHERE level = 'beat'`))[0]).toEqual({ n: 63 });
    await store.close();

    await expect(DuckDbStore.open(path, { readOnly: true })).rejects.toThrow(
      `schema version 1; this beatscope reads version 2: it was written by an older beatscope; run \`beatscope summary --db ${path}\` once to upgrade it in place`,
    );
    const upgraded = await DuckDbStore.open(path);
    expect(await content(upgraded)).toStrictEqual(want);
    // Its columns in a new store's order: ingest appends to it as to any other (this console: 2 beat-level lines).
    await ingestLog(upgraded, dir, TRANSCRIPT);
    const [folded] = await upgraded.query('SELECT sum(baton_unchanged) AS n FROM beat_runs');
    expect(folded).toEqual({ n: 63 + 2 });
    await upgraded.close();
  });

  it('PostgreSQL: upgraded in place when opened by a command that reads it', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open(url);
    await ingestLog(store, dir);
    const want = await content(store);
    await toVersion1(store, "'{}'::text[]", ' CASCADE');
    await store.close();

    await expect(PostgresStore.open(url, { readOnly: true })).rejects.toThrow(/schema version 1; .* to upgrade it/);
    const upgraded = await PostgresStore.open(url, { existing: true });
    try {
      expect(await content(upgraded)).toStrictEqual(want);
      expect(await upgraded.query('SELECT count(*) AS n FROM beat_runs_v')).toEqual([{ n: want.beats.length }]);
    } finally {
      await upgraded.close();
    }
  });
});
