/**
 * What the PostgreSQL store promises beyond the shared contract, on a real server: a writer's rows are
 * invisible to other connections until commit, a process killed mid-write leaves nothing, stores in several
 * processes writing the same file at once keep it once, and a store of another schema version is refused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexCodebase } from '../../src/codebase/index.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { CodeIndex } from '../../src/model/index.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { ColumnBatchEncoder } from '../../src/store/column-batch.js';
import type { EntityTableSpec } from '../../src/store/column-spec.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { ENTITY_KINDS, ENTITY_TABLES } from '../../src/store/entity-tables.js';
import { pgEntityBatches, pgReadEntities } from '../../src/store/postgres/postgres-reads.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { expectedEntities, FIXTURE_SUMMARY, writeFixture } from '../../src/store/store-contract.js';
import { fixtureCodeIndex, fixtureEntities, fixtureFile } from '../../src/store/store-fixtures.js';
import { type PostgresServer, startPostgres } from './postgres-server.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccc';

/** Runs `body` (ESM, top-level await) in a node child that imports the store's TypeScript through tsx. */
function child(body: string): ChildProcess {
  const storeUrl = new URL('../../src/store/postgres/postgres-store.ts', import.meta.url).href;
  const fixturesUrl = new URL('../../src/store/store-fixtures.ts', import.meta.url).href;
  const code = `import { PostgresStore } from '${storeUrl}';\nimport { fixtureEntities, fixtureFile } from '${fixturesUrl}';\n${body}`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'pipe' });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
}

describe('PostgresStore on a server', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows nothing of a file to another store until its writer commits', async () => {
    const url = await server.createDatabase();
    const [writerStore, reader] = [await PostgresStore.open(url), await PostgresStore.open(url)];
    try {
      const writer = await writerStore.beginFile(A);
      await writer.append(fixtureEntities(A));
      expect(await reader.files()).toStrictEqual([]);
      expect(await reader.query('SELECT count(*) AS n FROM beat_runs')).toStrictEqual([{ n: 0 }]);
      await writer.commit(fixtureFile(A));
      expect(await reader.summary()).toStrictEqual(FIXTURE_SUMMARY);
    } finally {
      await writerStore.close();
      await reader.close();
    }
  });

  it('keeps nothing of a file whose process was killed before commit, and what it committed before', async () => {
    const url = await server.createDatabase();
    const proc = child(`
      const store = await PostgresStore.open(${JSON.stringify(url)});
      const replacement = await store.beginFile('${A}');
      await replacement.append(fixtureEntities('${A}').filter((e) => e.kind === 'session'));
      await replacement.commit(fixtureFile('${A}'));
      const writer = await store.beginFile('${B}');
      const batch = Array.from({ length: 200 }, () => fixtureEntities('${B}')).flat();
      for (let i = 0; i < 3; i++) await writer.append(batch);
      process.stdout.write('appended');
      setInterval(() => {}, 1000);
    `);
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', () => resolve());
      proc.on('exit', (code) => reject(new Error(`child exited with ${code}: ${stderr}`)));
    });
    proc.kill('SIGKILL');
    expect((await exited(proc)).signal).toBe('SIGKILL');
    const store = await PostgresStore.open(url);
    try {
      // The server notices the dropped connection and rolls its transaction back.
      expect(await store.query(`SELECT count(*) AS n FROM beat_runs WHERE file_id = '${B}'`)).toStrictEqual([{ n: 0 }]);
      expect(await store.findFile({ fileId: B })).toBeUndefined();
      expect(await store.query('SELECT file_id, count(*) AS n FROM sessions GROUP BY file_id')).toStrictEqual([
        { file_id: A, n: 1 },
      ]);
    } finally {
      await store.close();
    }
  });

  it('keeps a file once when stores in several processes commit it at once', async () => {
    const url = await server.createDatabase();
    const procs = Array.from({ length: 3 }, () =>
      child(`
        const store = await PostgresStore.open(${JSON.stringify(url)});
        const writer = await store.beginFile('${A}');
        const entities = fixtureEntities('${A}');
        for (let i = 0; i < entities.length; i += 5) await writer.append(entities.slice(i, i + 5));
        await writer.commit(fixtureFile('${A}'));
        await store.close();
      `),
    );
    const ends = await Promise.all(procs.map(exited));
    expect(ends.map((e) => e.code)).toStrictEqual([0, 0, 0]);
    const store = await PostgresStore.open(url);
    try {
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      expect(await store.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [A]));
    } finally {
      await store.close();
    }
  });

  it('serialises stores extending the same file: the second sees what the first committed', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    try {
      await writeFixture(stores[0]!, A);
      const session = fixtureEntities(A).find((e) => e.kind === 'session')!;
      const extend = { drop: [{ kind: 'session' as const, id: session.id }] };
      const first = await stores[0]!.beginFile(A, { extend });
      let secondOpen = false;
      const opening = stores[1]!.beginFile(A, { extend }).then((w) => {
        secondOpen = true;
        return w;
      });
      await first.append([{ ...session, endLine: 61 }]);
      await new Promise((r) => setTimeout(r, 200));
      expect(secondOpen).toBe(false);
      await first.commit(fixtureFile(A));
      const second = await opening;
      await second.append([{ ...session, endLine: 62 }]);
      await second.commit(fixtureFile(A));
      expect(await stores[0]!.entities('session')).toStrictEqual([{ ...session, endLine: 62 }]);
      expect(await stores[0]!.summary()).toStrictEqual(FIXTURE_SUMMARY);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps a file as it was when the process extending it is killed before commit', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open(url);
    await writeFixture(store, A);
    await store.close();
    const proc = child(`
      const store = await PostgresStore.open(${JSON.stringify(url)});
      const stored = fixtureEntities('${A}');
      const drop = stored.filter((e) => 'id' in e).map((e) => ({ kind: e.kind, id: e.id }));
      const writer = await store.beginFile('${A}', { extend: { drop } });
      const batch = Array.from({ length: 200 }, () => stored.filter((e) => !('id' in e))).flat();
      for (let i = 0; i < 3; i++) await writer.append(batch);
      process.stdout.write('appended');
      setInterval(() => {}, 1000);
    `);
    await new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', () => resolve());
      proc.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    proc.kill('SIGKILL');
    expect((await exited(proc)).signal).toBe('SIGKILL');
    const reopened = await PostgresStore.open(url);
    try {
      expect(await reopened.summary()).toStrictEqual(FIXTURE_SUMMARY);
      expect(await reopened.files()).toStrictEqual([fixtureFile(A)]);
      expect(await reopened.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [A]));
    } finally {
      await reopened.close();
    }
  });

  it('writes several files at once from several stores, none lost', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    try {
      await Promise.all([writeFixture(stores[0]!, A), writeFixture(stores[1]!, B)]);
      expect((await stores[0]!.files()).map((f) => f.fileId)).toStrictEqual([A, B]);
      expect(await stores[1]!.entities('handler-error')).toStrictEqual(expectedEntities('handler-error', [A, B]));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('writes the same groups of files in opposite orders from two stores at once without a deadlock', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    const files = [A, B, C].map((fileId) => ({
      fileId,
      options: {},
      batches: [new ColumnBatchEncoder(fileId).encode(fixtureEntities(fileId).reverse())],
      info: fixtureFile(fileId),
    }));
    try {
      // Were each file locked as its write reaches it, the first would hold A waiting for C, the second C waiting for A.
      for (let round = 0; round < 10; round++) {
        await Promise.all([stores[0]!.writeFiles(files), stores[1]!.writeFiles([...files].reverse())]);
      }
      expect((await stores[0]!.files()).map((f) => f.fileId)).toStrictEqual([A, B, C]);
      expect(await stores[1]!.entities('handler-error')).toStrictEqual(expectedEntities('handler-error', [A, B, C]));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps schema version 2, refuses another, and opens read-only without changing anything', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open(url);
    await writeFixture(store, A);
    expect(await store.query('SELECT version FROM schema_version')).toStrictEqual([{ version: 2 }]);
    await store.close();
    const readOnly = await PostgresStore.open(url, { readOnly: true });
    try {
      expect(await readOnly.summary()).toStrictEqual(FIXTURE_SUMMARY);
      await expect(readOnly.query('DELETE FROM beat_runs')).rejects.toThrow(/read-only transaction/);
      await expect(readOnly.removeFile(A)).rejects.toThrow(/read-only transaction/);
    } finally {
      await readOnly.close();
    }
    const writable = await PostgresStore.open(url);
    await writable.query('UPDATE schema_version SET version = 99');
    await writable.close();
    await expect(PostgresStore.open(url)).rejects.toThrow(
      /schema version 99; this beatscope reads version 2: it was written by a newer beatscope/,
    );
    await expect(PostgresStore.open(await server.createDatabase(), { existing: true })).rejects.toThrow(
      /is not a beatscope store/,
    );
  });

  it('opens a complete store without DDL (no lock on its tables), and creates what a store lacks', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open(url);
    try {
      // A writer holds row locks on the entity tables while the database is opened again: the DDL's SHARE locks
      // (CREATE INDEX IF NOT EXISTS takes one even when the index exists) would wait for its commit.
      const writer = await store.beginFile(A);
      await writer.append(fixtureEntities(A));
      const opened = PostgresStore.open(url).then((again) => again.close());
      const stuck = new Promise((_, fail) => setTimeout(() => fail(new Error('open waited for the writer')), 20_000));
      await Promise.race([opened, stuck]);
      await writer.commit(fixtureFile(A));
      // A view dropped (a store made by an earlier beatscope) is there again after the next open.
      await store.query('DROP VIEW code_tests');
      await (await PostgresStore.open(url)).close();
      expect(await store.query('SELECT count(*) AS n FROM code_tests')).toStrictEqual([{ n: 0 }]);
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
    } finally {
      await store.close();
    }
  });

  it('has the same tables and columns, in the same order, as the DuckDB store', async () => {
    const duck = await DuckDbStore.open(':memory:');
    const pgStore = await PostgresStore.open(await server.createDatabase());
    try {
      const duckColumns = await duck.query(
        `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
      );
      const pgColumns = await pgStore.query(
        `SELECT c.table_name::text AS table_name, c.column_name::text AS column_name FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name COLLATE "C", c.ordinal_position`,
      );
      expect(duckColumns.length).toBeGreaterThan(100);
      expect(pgColumns).toStrictEqual(duckColumns);
    } finally {
      await duck.close();
      await pgStore.close();
    }
  });

  it("has the DuckDB store's views, with the same columns and rows", async () => {
    const duck = await DuckDbStore.open(':memory:');
    const pgStore = await PostgresStore.open(await server.createDatabase());
    try {
      for (const store of [duck, pgStore]) {
        await writeFixture(store, B);
        await writeFixture(store, A);
      }
      const views = (
        await duck.query(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'
           AND table_type = 'VIEW' AND right(table_name, 2) = '_v' ORDER BY 1`,
        )
      ).map((r) => r['name'] as string);
      expect(views).toStrictEqual([
        'baton_diffs_v',
        'beat_runs_v',
        'handler_errors_v',
        'handler_runs_v',
        'movement_runs_v',
        'runs_v',
        'sequence_runs_v',
        'sessions_v',
      ]);
      for (const view of views) {
        const sql = `SELECT * FROM ${view} ORDER BY file_id, id`;
        const fromDuck = await duck.query(sql);
        expect(fromDuck.length, view).toBeGreaterThan(0);
        const fromPg = await pgStore.query(sql);
        expect(fromPg, view).toStrictEqual(fromDuck);
        expect(Object.keys(fromPg[0]!), view).toStrictEqual(Object.keys(fromDuck[0]!));
      }
    } finally {
      await duck.close();
      await pgStore.close();
    }
  });

  it("has the DuckDB store's code_* views, with the same rows, for real indexes and a pre-compact snapshot", async () => {
    const duck = await DuckDbStore.open(':memory:');
    const pgStore = await PostgresStore.open(await server.createDatabase());
    const views = [
      'code_sequences',
      'code_beats',
      'code_handlers',
      'code_handler_tests',
      'code_tests',
      'code_topics',
      'code_problems',
    ];
    /** A view's rows in one order (views promise none): by their JSON text. */
    const rowsOf = async (store: DuckDbStore | PostgresStore, view: string) =>
      (await store.query(`SELECT * FROM ${view}`))
        .map((r) => JSON.stringify(Object.entries(r)))
        .sort()
        .map((r) => Object.fromEntries(JSON.parse(r) as [string, unknown][]));
    const demo = (await indexCodebase(demoAppDir())).index;
    const renderx = (await indexCodebase(resolve(import.meta.dirname, '../fixtures/renderx'))).index;
    try {
      const counts: Record<string, number[]> = {};
      for (const index of [demo, renderx, fixtureCodeIndex('/repo')] as CodeIndex[]) {
        for (const store of [duck, pgStore]) await store.saveCodeIndex({ index, state: null, indexedAtMs: 5 });
        for (const view of views) {
          const fromDuck = await rowsOf(duck, view);
          expect(await rowsOf(pgStore, view), view).toStrictEqual(fromDuck);
          counts[view] = [...(counts[view] ?? []), fromDuck.length];
        }
      }
      // The real indexes fill every view: the demo app its handlers and their tests, RenderX its sequences.
      expect(counts['code_handlers']![0]).toBeGreaterThan(3);
      expect(counts['code_handler_tests']![0]).toBeGreaterThan(0);
      expect(counts['code_tests']![0]).toBeGreaterThan(0);
      expect(counts['code_beats']![1]).toBeGreaterThan(20);
      expect(counts['code_topics']![1]).toBeGreaterThan(0);
      // A snapshot stored as the plain CodeIndex JSON (before the compact format) reads the same on both.
      const plain = JSON.stringify(fixtureCodeIndex('/repo')).replaceAll("'", "''");
      for (const store of [duck, pgStore]) {
        await store.query('DELETE FROM code_snapshot');
        await store.query(`INSERT INTO code_snapshot VALUES ('/repo', 5, '${plain}', 'null')`);
      }
      for (const view of views) {
        const fromDuck = await rowsOf(duck, view);
        expect(fromDuck.length, view).toBeGreaterThan(0);
        expect(await rowsOf(pgStore, view), view).toStrictEqual(fromDuck);
      }
    } finally {
      await duck.close();
      await pgStore.close();
    }
  });

  it('reads entities in keyset batches: every kind of the corpus logs as DuckDB gives it, whole or before a place', async () => {
    const corpus = resolve(import.meta.dirname, '../fixtures/corpus/logs');
    const duck = await DuckDbStore.open(':memory:');
    const url = await server.createDatabase();
    const pgStore = await PostgresStore.open(url);
    const pool = new pg.Pool({ connectionString: url });
    try {
      for (const store of [duck, pgStore]) await ingest([corpus], { store, workers: 0 });
      const beats = (await duck.summary()).beatRuns;
      expect(beats).toBeGreaterThan(10);
      const place = (await duck.placeOf('beat-run', Math.floor(beats / 2)))!;
      expect(await pgStore.placeOf('beat-run', Math.floor(beats / 2))).toStrictEqual(place);
      for (const kind of ENTITY_KINDS) {
        const whole = await duck.entities(kind);
        expect(await pgStore.entities(kind), kind).toStrictEqual(whole);
        const spec = ENTITY_TABLES[kind] as EntityTableSpec;
        // Batches of 3 rows: many queries, each resuming after the last row, across files and within one.
        const sizes: number[] = [];
        for await (const rows of pgEntityBatches(pool, spec, {}, 3)) sizes.push(rows.length);
        expect(
          sizes.reduce((a, b) => a + b, 0),
          kind,
        ).toBe(whole.length);
        expect(
          sizes.slice(0, -1).every((n) => n === 3),
          kind,
        ).toBe(true);
        expect(await pgReadEntities(pool, spec, {}, 3), kind).toStrictEqual(whole);
        const first = await duck.entities(kind, { before: place });
        expect(await pgReadEntities(pool, spec, { before: place }, 3), kind).toStrictEqual(first);
      }
      // Beat runs fill many batches; those before the middle beat are about half of them.
      const beatBatches: number[] = [];
      for await (const rows of pgEntityBatches(pool, ENTITY_TABLES['beat-run'] as EntityTableSpec, {}, 3)) {
        beatBatches.push(rows.length);
      }
      expect(beatBatches.length).toBe(Math.ceil(beats / 3));
      expect((await pgStore.entities('beat-run', { before: place })).length).toBe(Math.floor(beats / 2));
    } finally {
      await pool.end();
      await duck.close();
      await pgStore.close();
    }
  });
});
