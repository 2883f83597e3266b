/**
 * Small files are committed in groups (src/ingest/commit-group.ts). On the real corpus logs a grouped ingest
 * stores exactly what one transaction per file stores; when a group's write fails, every file is written on its
 * own and only the one that cannot be written fails.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentPrint } from '../../src/importers/content-print.js';
import { ingest } from '../../src/ingest/ingest.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { ENTITY_KINDS } from '../../src/store/entity-tables.js';
import type { TelemetryStore } from '../../src/store/telemetry-store.js';

const CORPUS = resolve(import.meta.dirname, '../fixtures/corpus/logs');

/** `store` with `overrides` in place of its methods (the rest bound to the store). */
function withMethods(store: DuckDbStore, overrides: Partial<TelemetryStore>): TelemetryStore {
  return new Proxy(store, {
    get(target, key) {
      if (key in overrides) return overrides[key as keyof TelemetryStore];
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (target, key) => (key in overrides ? overrides[key as keyof TelemetryStore] !== undefined : key in target),
  }) as unknown as TelemetryStore;
}

/** Everything the store holds of its files, for comparing two stores. */
async function contents(store: DuckDbStore) {
  const entities: Record<string, unknown> = {};
  for (const kind of ENTITY_KINDS) entities[kind] = await store.entities(kind);
  return { files: await store.files(), printed: await store.printedFiles(), summary: await store.summary(), entities };
}

describe('ingest in commit groups', () => {
  let dir: string;
  let logs: string;
  let expected: Awaited<ReturnType<typeof contents>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beatscope-groups-'));
    logs = join(dir, 'logs');
    mkdirSync(logs);
    for (const f of readdirSync(CORPUS)) copyFileSync(join(CORPUS, f), join(logs, f));
    // One transaction per file: a store that cannot write groups.
    const store = await DuckDbStore.open(':memory:');
    const report = await ingest([logs], { store: withMethods(store, { writeFiles: undefined }), workers: 0 });
    expect(report.outcomes.map((o) => o.status)).toEqual(Array(11).fill('ingested'));
    expected = await contents(store);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the real corpus exactly as one transaction per file does', async () => {
    const store = await DuckDbStore.open(':memory:');
    let groups = 0;
    const counted = withMethods(store, {
      writeFiles: (files) => {
        groups++;
        return store.writeFiles(files);
      },
    });
    const report = await ingest([logs], { store: counted, workers: 0 });
    expect(report.outcomes.map((o) => o.status)).toEqual(Array(11).fill('ingested'));
    expect(groups).toBe(1);
    expect(await contents(store)).toStrictEqual(expected);
    await store.close();
  });

  it('writes each file on its own when the group fails; a file that cannot be written fails alone', async () => {
    const bad = join(logs, readdirSync(logs).sort()[3]!);
    const badId = (await contentPrint(bad)).digest.slice(0, 16);
    const store = await DuckDbStore.open(':memory:');
    const failing = withMethods(store, {
      writeFiles: async () => {
        throw new Error('disk full');
      },
      beginFile: async (fileId, options) => {
        if (fileId === badId) throw new Error('no space left for this one');
        return store.beginFile(fileId, options);
      },
    });
    const report = await ingest([logs], { store: failing, workers: 0 });
    expect(report.outcomes.filter((o) => o.status === 'failed')).toStrictEqual([
      {
        path: bad,
        status: 'failed',
        fileId: badId,
        diagnostics: [{ file: bad, line: 0, severity: 'error', message: 'no space left for this one' }],
      },
    ]);
    // The others are stored as an ingest without the bad file stores them.
    const without = await DuckDbStore.open(':memory:');
    const others = readdirSync(logs)
      .map((f) => join(logs, f))
      .filter((f) => f !== bad);
    await ingest(others, { store: withMethods(without, { writeFiles: undefined }), workers: 0 });
    expect(await contents(store)).toStrictEqual(await contents(without));
    expect((await store.files()).length).toBe(10);
    await store.close();
    await without.close();
  });
});
