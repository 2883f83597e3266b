import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStoreContract, expectedEntities, FIXTURE_SUMMARY, writeFixture } from '../store-contract.js';
import { fixtureCodeIndex, fixtureEntities, fixtureFile } from '../store-fixtures.js';
import { describeGroupContract } from '../store-group-contract.js';
import { StoreInUseError } from './duckdb-open.js';
import { DuckDbStore } from './duckdb-store.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

describeStoreContract('DuckDbStore', () => DuckDbStore.open(':memory:'));
describeGroupContract('DuckDbStore', () => DuckDbStore.open(':memory:'));

/** Runs `body` (ESM, top-level await) in a node child that can import the store's TypeScript through tsx. */
function child(body: string): ChildProcess {
  const storeUrl = new URL('./duckdb-store.js', import.meta.url).href;
  const fixturesUrl = new URL('../store-fixtures.js', import.meta.url).href;
  const code = `import { DuckDbStore } from '${storeUrl}';\nimport { fixtureEntities, fixtureFile } from '${fixturesUrl}';\n${body}`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'pipe' });
}

function exitCode(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
}

describe('DuckDbStore on a file', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beatscope-store-'));
    path = join(dir, 'nested', 'telemetry.duckdb');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps committed data across close and reopen, with schema version 2', async () => {
    const store = await DuckDbStore.open(path);
    await writeFixture(store, A);
    await store.close();
    const reopened = await DuckDbStore.open(path);
    expect(await reopened.summary()).toStrictEqual(FIXTURE_SUMMARY);
    expect(await reopened.entities('handler-error')).toStrictEqual(expectedEntities('handler-error', [A]));
    expect(await reopened.query('SELECT version FROM schema_version')).toStrictEqual([{ version: 2 }]);
    await reopened.close();
  });

  it('refuses a store of another schema version', async () => {
    const store = await DuckDbStore.open(path);
    await store.query('UPDATE schema_version SET version = 99');
    await store.close();
    await expect(DuckDbStore.open(path)).rejects.toThrow(/schema version 99; .* newer beatscope; upgrade/);
    // A store written before the beat-level DataBaton lines were folded into beats: opened for writing, it is
    // upgraded (test/store/schema-upgrade.test.ts); read-only, the error says how.
    const older = await DuckDbStore.open(path.replace(/\.duckdb$/, '-v1.duckdb'));
    await older.query('UPDATE schema_version SET version = 1');
    await older.close();
    await expect(DuckDbStore.open(path.replace(/\.duckdb$/, '-v1.duckdb'), { readOnly: true })).rejects.toThrow(
      /schema version 1; this beatscope reads version 2: it was written by an older beatscope; run `beatscope summary --db .*` once to upgrade it in place/,
    );
  });

  it('keeps nothing of a file whose process died before commit', async () => {
    const store = await DuckDbStore.open(path);
    await writeFixture(store, A);
    await store.close();
    const proc = child(`
      const store = await DuckDbStore.open(${JSON.stringify(path)});
      const replacement = await store.beginFile('${A}');
      await replacement.append(fixtureEntities('${A}').slice(0, 1));
      await replacement.commit(fixtureFile('${A}'));
      const writer = await store.beginFile('${B}');
      const batch = Array.from({ length: 1000 }, () => fixtureEntities('${B}')).flat();
      for (let i = 0; i < 3; i++) await writer.append(batch);
      process.exit(1);
    `);
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    expect(await exitCode(proc), stderr).toBe(1);
    const reopened = await DuckDbStore.open(path);
    expect(await reopened.query(`SELECT count(*) AS n FROM beat_runs WHERE file_id = '${B}'`)).toStrictEqual([
      { n: 0 },
    ]);
    expect(await reopened.findFile({ fileId: B })).toBeUndefined();
    // A's replacement (its session only), committed before the crash, survived it.
    expect(await reopened.query('SELECT file_id, count(*) AS n FROM sessions GROUP BY ALL')).toStrictEqual([
      { file_id: A, n: 1 },
    ]);
    expect(await reopened.query('SELECT count(*) AS n FROM beat_runs')).toStrictEqual([{ n: 0 }]);
    await reopened.close();
  });

  it('keeps a file as it was when the process extending it is killed before commit', async () => {
    const store = await DuckDbStore.open(path);
    await writeFixture(store, A);
    await store.close();
    const proc = child(`
      const store = await DuckDbStore.open(${JSON.stringify(path)});
      const stored = fixtureEntities('${A}');
      const drop = stored.filter((e) => 'id' in e).map((e) => ({ kind: e.kind, id: e.id }));
      const writer = await store.beginFile('${A}', { extend: { drop } });
      const batch = Array.from({ length: 1000 }, () => stored.filter((e) => !('id' in e))).flat();
      for (let i = 0; i < 3; i++) await writer.append(batch);
      process.kill(process.pid, 'SIGKILL');
    `);
    expect(await exitCode(proc)).toBeNull();
    const reopened = await DuckDbStore.open(path);
    expect(await reopened.summary()).toStrictEqual(FIXTURE_SUMMARY);
    expect(await reopened.files()).toStrictEqual([fixtureFile(A)]);
    for (const kind of ['session', 'beat-run', 'subscription'] as const) {
      expect(await reopened.entities(kind)).toStrictEqual(expectedEntities(kind, [A]));
    }
    await reopened.close();
  });

  it('keeps the files a commit would supersede when the process dies before it', async () => {
    const store = await DuckDbStore.open(path);
    await writeFixture(store, A);
    await store.close();
    const proc = child(`
      const store = await DuckDbStore.open(${JSON.stringify(path)});
      const a = fixtureFile('${A}');
      const supersedes = [{ fileId: a.fileId, path: a.path, sizeBytes: a.sizeBytes, mtimeMs: a.mtimeMs }];
      const writer = await store.beginFile('${B}', { supersedes });
      const batch = Array.from({ length: 1000 }, () => fixtureEntities('${B}')).flat();
      for (let i = 0; i < 3; i++) await writer.append(batch);
      process.exit(1);
    `);
    expect(await exitCode(proc)).toBe(1);
    const reopened = await DuckDbStore.open(path);
    expect(await reopened.summary()).toStrictEqual(FIXTURE_SUMMARY);
    expect(await reopened.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [A]));
    expect(await reopened.findSuperseded({ fileId: A })).toBeUndefined();
    expect(await reopened.findFile({ fileId: B })).toBeUndefined();
    await reopened.close();
  });

  it('keeps none of a group of files when the process is killed before the group commits', async () => {
    const store = await DuckDbStore.open(path);
    await writeFixture(store, A);
    await store.close();
    const proc = child(`
      const { ColumnBatchEncoder } = await import('${new URL('../column-batch.js', import.meta.url).href}');
      const store = await DuckDbStore.open(${JSON.stringify(path)});
      const whole = (fileId) => ({
        fileId, options: {}, info: fixtureFile(fileId),
        batches: [new ColumnBatchEncoder(fileId).encode(fixtureEntities(fileId))],
      });
      // The second file's batches kill the process once the first (new) file and the second's batch are appended.
      const dying = whole('${B}');
      const batches = dying.batches;
      dying.batches = { *[Symbol.iterator]() { yield* batches; process.kill(process.pid, 'SIGKILL'); } };
      await store.writeFiles([whole('cccccccccccccccc'), dying, whole('${A}')]);
      process.exit(3);
    `);
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    expect(await exitCode(proc), stderr).toBeNull();
    const reopened = await DuckDbStore.open(path);
    expect(await reopened.files()).toStrictEqual([fixtureFile(A)]);
    expect(await reopened.summary()).toStrictEqual(FIXTURE_SUMMARY);
    expect(await reopened.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [A]));
    await reopened.close();
  });

  it('says the store is in use when another process holds it', async () => {
    const proc = child(`
      await DuckDbStore.open(${JSON.stringify(path)});
      process.stdout.write('ready');
      setInterval(() => {}, 1000);
    `);
    await new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', () => resolve());
      proc.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    try {
      const error = await DuckDbStore.open(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreInUseError);
      expect((error as Error).message).toMatch(/^store .*telemetry\.duckdb is in use by another beatscope process/);
    } finally {
      proc.kill();
      await exitCode(proc);
    }
  });

  it('says the store is in use when this process already has it open', async () => {
    const store = await DuckDbStore.open(path);
    await expect(DuckDbStore.open(path)).rejects.toThrow(/in use by another beatscope process/);
    await store.close();
  });
});

describe('DuckDbStore.query', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await DuckDbStore.open(':memory:');
    await writeFixture(store, A);
  });
  afterEach(async () => {
    await store.close();
  });

  it('returns plain rows: numbers, ISO timestamps, lists and structs', async () => {
    const rows = await store.query(
      `SELECT id, beat, start_ms, duration_ms, handlers, start_at, status FROM beat_runs_v ORDER BY start_line`,
    );
    expect(rows[0]).toStrictEqual({
      id: `${A}:s0:seq0:m1:b1`,
      beat: 1,
      start_ms: 1_717_000_000_100,
      duration_ms: 36.25,
      handlers: ['loadComponents'],
      start_at: '2024-05-29T16:26:40.100Z',
      status: 'completed',
    });
    expect(await store.query('SELECT stack[2] AS frame FROM handler_errors')).toStrictEqual([
      { frame: { fn: null, file: 'node:internal/process', line: 95, column: null } },
    ]);
    expect(await store.query('SELECT 9007199254740993::BIGINT AS big')).toStrictEqual([{ big: '9007199254740993' }]);
  });

  it('answers through the views', async () => {
    expect(await store.query(`SELECT movement_name, handlers_text FROM beat_runs_v ORDER BY start_line`)).toStrictEqual(
      [
        { movement_name: 'Load', handlers_text: 'loadComponents' },
        { movement_name: 'Load', handlers_text: 'notifyUi, renderList' },
        { movement_name: 'Render', handlers_text: '' },
      ],
    );
    expect(
      await store.query(`SELECT level, name FROM runs_v WHERE status = 'failed' ORDER BY start_line`),
    ).toStrictEqual([
      { level: 'sequence', name: 'Library Load' },
      { level: 'movement', name: 'Render' },
      { level: 'beat', name: 'library:step3' },
    ]);
    expect(await store.query('SELECT stack_text, top_file FROM handler_errors_v')).toStrictEqual([
      {
        stack_text: 'failingHandler (src/handlers.ts:12:7)\n<anonymous> (node:internal/process:95)',
        top_file: 'src/handlers.ts',
      },
    ]);
    expect(await store.query(`SELECT added_text FROM baton_diffs_v ORDER BY line`)).toStrictEqual([
      { added_text: 'items, count' },
      { added_text: '' },
    ]);
  });

  it('flattens the code index into SQL views', async () => {
    await store.saveCodeIndex({ index: fixtureCodeIndex('/repo'), state: null, indexedAtMs: 5 });
    expect(
      await store.query('SELECT handler, plugin_id, file, line, "column", tests FROM code_handlers ORDER BY handler'),
    ).toStrictEqual([
      {
        handler: 'loadComponents',
        plugin_id: 'LibraryPlugin',
        file: 'plugins/library/src/load.ts',
        line: 12,
        column: 9,
        tests: 1,
      },
      { handler: 'notifyUi', plugin_id: 'LibraryPlugin', file: null, line: null, column: null, tests: 0 },
    ]);
    expect(await store.query('SELECT sequence_id, movement, beat, event, handler FROM code_beats')).toStrictEqual([
      {
        sequence_id: 'library-load-symphony',
        movement: 'Load',
        beat: 1,
        event: 'library:components:load',
        handler: 'loadComponents',
      },
    ]);
    expect(await store.query('SELECT handler, test_line, evidence FROM code_handler_tests')).toStrictEqual([
      { handler: 'loadComponents', test_line: 7, evidence: 'import-call' },
    ]);
    expect(await store.query('SELECT * FROM code_tests')).toStrictEqual([
      {
        file: 'plugins/library/__tests__/load.spec.ts',
        line: 7,
        name: 'library › loadComponents - loads',
        framework: 'vitest',
      },
    ]);
    expect(await store.query('SELECT * FROM code_topics')).toStrictEqual([
      { topic: 'library.load.requested', plugin_id: 'LibraryPlugin', sequence_id: 'library-load-symphony' },
    ]);
    expect(await store.query('SELECT * FROM code_problems')).toStrictEqual([
      { file: 'plugins/library/json-sequences/bad.json', line: 3, severity: 'error', message: 'malformed JSON' },
    ]);
  });

  it('reads and flattens a code index stored as plain CodeIndex JSON (before the compact format)', async () => {
    const index = fixtureCodeIndex('/repo');
    await store.query(
      `INSERT INTO code_snapshot VALUES ('/repo', 5, '${JSON.stringify(index).replaceAll("'", "''")}', 'null')`,
    );
    expect((await store.loadCodeIndex())?.index).toStrictEqual(index);
    expect(await store.query('SELECT handler, file, tests FROM code_handlers ORDER BY handler')).toStrictEqual([
      { handler: 'loadComponents', file: 'plugins/library/src/load.ts', tests: 1 },
      { handler: 'notifyUi', file: null, tests: 0 },
    ]);
    expect(await store.query('SELECT handler, test_file, test_line, evidence FROM code_handler_tests')).toStrictEqual([
      {
        handler: 'loadComponents',
        test_file: 'plugins/library/__tests__/load.spec.ts',
        test_line: 7,
        evidence: 'import-call',
      },
    ]);
    expect(await store.query('SELECT count(*)::INTEGER AS n FROM code_tests')).toStrictEqual([{ n: 1 }]);
    expect(await store.query('SELECT topic FROM code_topics')).toStrictEqual([{ topic: 'library.load.requested' }]);
    expect(await store.query('SELECT line FROM code_problems')).toStrictEqual([{ line: 3 }]);
  });

  it('sees only committed files while a writer is open', async () => {
    const writer = await store.beginFile(B);
    await writer.append(fixtureEntities(B));
    expect(await store.query('SELECT DISTINCT file_id FROM sessions')).toStrictEqual([{ file_id: A }]);
    await writer.abort();
  });
});

describe('docs/schema.md', () => {
  it('documents every table, view and column of the schema', async () => {
    const store = await DuckDbStore.open(':memory:');
    const columns = await store.query(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' ORDER BY ALL`,
    );
    await store.close();
    const doc = await readFile(new URL('../../../docs/schema.md', import.meta.url), 'utf8');
    const sections = doc.split(/^### /m);
    const section = (name: string) => sections.find((s) => s.startsWith(`\`${name}\``)) ?? '';
    // A view's section may say "All columns of `table`": those columns are documented there.
    const documented = (table: string, column: string): boolean => {
      const text = section(table);
      const base = /^All columns of `(\w+)`/m.exec(text)?.[1];
      return text.includes(`\`${column}\``) || (base !== undefined && documented(base, column));
    };
    const missing = columns.filter((c) => !documented(c['table_name'] as string, c['column_name'] as string));
    expect(missing).toStrictEqual([]);
  });
});
