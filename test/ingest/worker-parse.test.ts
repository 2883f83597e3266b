/**
 * Parser threads send entities column-encoded (store/column-batch.ts); what lands in the store must be
 * exactly what parsing in this thread stores. Worker threads run compiled code, so the worker side is
 * the build in dist/ (`npm test` builds it first).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { ENTITY_KINDS } from '../../src/store/entity-tables.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, '../shared/corpus/logs');
const FILES = readdirSync(CORPUS)
  .filter((f) => /\.(log|tsv)$/.test(f))
  .map((f) => join(CORPUS, f));

const fromDist = async <T>(module: string): Promise<T> =>
  (await import(pathToFileURL(join(ROOT, 'dist', module)).href)) as T;

describe('ingest through parser threads', () => {
  it('stores every corpus entity exactly as parsing in this thread does', async () => {
    const here = new InMemoryStore();
    await ingest(FILES, { store: here, workers: 0 });
    const dist = await fromDist<typeof import('../../src/ingest/ingest.js')>('ingest/ingest.js');
    const { InMemoryStore: DistStore } =
      await fromDist<typeof import('../../src/store/in-memory-store.js')>('store/in-memory-store.js');
    const threaded = new DistStore();
    // One worker for all files: each file alone in a thread, one after the other.
    const report = await dist.ingest(FILES, { store: threaded, workers: 1 });
    expect(report.outcomes.map((o) => o.status)).toStrictEqual(FILES.map(() => 'ingested'));
    for (const kind of ENTITY_KINDS) {
      const expected = await here.entities(kind);
      expect(await threaded.entities(kind), kind).toEqual(expected);
    }
    expect(await threaded.summary()).toStrictEqual(await here.summary());
    expect((await here.entities('beat-run')).length).toBe(16); // the corpus' beat runs (corpus-ingest.test.ts)
  });

  it('writes the same rows into DuckDB from a thread as from this one', async () => {
    const { DuckDbStore } = await fromDist<typeof import('../../src/store/duckdb-store.js')>('store/duckdb-store.js');
    const dist = await fromDist<typeof import('../../src/ingest/ingest.js')>('ingest/ingest.js');
    const rows = async (workers: number) => {
      const store = await DuckDbStore.open(':memory:');
      await dist.ingest(FILES, { store, workers });
      const out: Record<string, unknown> = {};
      for (const kind of ENTITY_KINDS) out[kind] = await store.entities(kind);
      out['summary'] = await store.summary();
      await store.close();
      return out;
    };
    expect(await rows(1)).toStrictEqual(await rows(0));
  });
});
