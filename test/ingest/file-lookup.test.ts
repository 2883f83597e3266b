import { describe, expect, it } from 'vitest';
import { FileLookup } from '../../src/ingest/file-lookup.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { fixtureFile } from '../../src/store/store-fixtures.js';
import type { SupersededFile, TelemetryStore } from '../../src/store/telemetry-store.js';

const [A, B, C, D] = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc', 'dddddddddddddddd'];

async function commit(store: TelemetryStore, fileId: string, path: string): Promise<void> {
  const writer = await store.beginFile(fileId);
  await writer.commit({ ...fixtureFile(fileId, path), diagnostics: [] });
}

/** Every lookup planning makes, answered by the store and by the lookup. */
async function answers(store: TelemetryStore, lookup: FileLookup) {
  const queries: { path?: string; fileId?: string }[] = [A, B, C, D, 'ffffffffffffffff'].map((fileId) => ({ fileId }));
  for (const path of ['/logs/one.log', '/logs/two.log', '/logs/three.log', '/logs/none.log']) {
    queries.push({ path }, { path, fileId: A }, { path, fileId: B });
  }
  const fromStore = [];
  const fromLookup = [];
  for (const q of queries) {
    fromStore.push([await store.findFile(q), await store.findSuperseded(q)]);
    fromLookup.push([lookup.findFile(q), lookup.findSuperseded(q)]);
  }
  return { fromStore, fromLookup };
}

describe('FileLookup', () => {
  it('answers every lookup as the store does, also after the writes planning makes through it', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      // Two stored files share a path (the first in fileId order answers for it); a content id superseded under
      // two paths (the first in path order answers for it).
      await commit(store, B, '/logs/one.log');
      await commit(store, A, '/logs/one.log');
      await commit(store, C, '/logs/two.log');
      const record = (fileId: string, path: string, by: string): SupersededFile => ({
        fileId,
        path,
        sizeBytes: 10,
        mtimeMs: 20,
        by,
      });
      await store.recordSuperseded(record(D, '/logs/three.log', C));
      await store.recordSuperseded(record(D, '/logs/four.log', C));
      const lookup = await FileLookup.load(store);
      let seen = await answers(store, lookup);
      expect(seen.fromLookup).toStrictEqual(seen.fromStore);
      expect(lookup.findFile({ path: '/logs/one.log' })?.fileId).toBe(A);
      expect(lookup.findSuperseded({ fileId: D })?.path).toBe('/logs/four.log');

      await lookup.removeFile(A);
      await lookup.recordSuperseded(record(B, '/logs/four.log', C));
      seen = await answers(store, lookup);
      expect(seen.fromLookup).toStrictEqual(seen.fromStore);
      expect(lookup.findFile({ path: '/logs/one.log' })?.fileId).toBe(B);
      expect(lookup.findSuperseded({ fileId: D })?.path).toBe('/logs/three.log');
    } finally {
      await store.close();
    }
  });
});
