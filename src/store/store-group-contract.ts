/**
 * What every store that writes groups of files (`TelemetryStore.writeFiles`) must do; run against each such store
 * (`describeGroupContract('DuckDbStore', () => …)`). Test-only: imported from `*.test.ts` files.
 */
import { describe, expect, it } from 'vitest';
import { ColumnBatchEncoder } from './column-batch.js';
import { ENTITY_KINDS } from './entity-tables.js';
import { expectedEntities, FIXTURE_SUMMARY, writeFixture } from './store-contract.js';
import { fixtureEntities, fixtureFile } from './store-fixtures.js';
import type { BeginFileOptions, FileToWrite, TelemetryStore } from './telemetry-store.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

type GroupStore = TelemetryStore & Required<Pick<TelemetryStore, 'writeFiles'>>;

export function describeGroupContract(name: string, makeStore: () => Promise<GroupStore>): void {
  describe(`${name} (writeFiles contract)`, () => {
    const print = { contentBytes: 4_321, digest: 'd'.repeat(64), heads: ['h1', 'h2'] };
    const toWrite = (fileId: string, options: BeginFileOptions = {}): FileToWrite => ({
      fileId,
      options,
      // In writeFixture's order, which decides the order of entities on one line.
      batches: [new ColumnBatchEncoder(fileId).encode(fixtureEntities(fileId).reverse())],
      info: fixtureFile(fileId),
    });

    it('stores several files in one transaction as writing them one by one does', async () => {
      const grouped = await makeStore();
      const single = await makeStore();
      try {
        await grouped.writeFiles([toWrite(A, { print }), toWrite(B)]);
        const writer = await single.beginFile(A, { print });
        await writer.append(fixtureEntities(A).reverse());
        await writer.commit(fixtureFile(A));
        await writeFixture(single, B);
        expect(await grouped.files()).toStrictEqual(await single.files());
        expect(await grouped.printedFiles()).toStrictEqual(await single.printedFiles());
        expect(await grouped.summary()).toStrictEqual(await single.summary());
        for (const kind of ENTITY_KINDS) {
          expect(await grouped.entities(kind), kind).toStrictEqual(expectedEntities(kind, [A, B]));
        }
      } finally {
        await grouped.close();
        await single.close();
      }
    });

    it('replaces a stored file and clears its path of superseded records, as a commit of its own does', async () => {
      const store = await makeStore();
      try {
        await writeFixture(store, A);
        const path = fixtureFile(B).path;
        await store.recordSuperseded({ fileId: 'cccccccccccccccc', path, sizeBytes: 1, mtimeMs: 2, by: A });
        await store.writeFiles([toWrite(A), toWrite(B)]);
        expect((await store.files()).map((f) => f.fileId)).toStrictEqual([A, B]);
        expect(await store.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [A, B]));
        expect(await store.findSuperseded({ path })).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('stores none of the files when one of them fails, and keeps what was stored', async () => {
      const store = await makeStore();
      try {
        await writeFixture(store, A);
        // B's rows are appended before the second file fails: an extend is never written in a group.
        const failing = toWrite(A, { extend: { drop: [] } });
        await expect(store.writeFiles([toWrite(B), failing])).rejects.toThrow(/an extend is not written in a group/);
        await expect(store.writeFiles([toWrite(B), toWrite(B)])).rejects.toThrow(/writer of file b+ is already open/);
        expect(await store.files()).toStrictEqual([fixtureFile(A)]);
        expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
        // The files are free for writers again.
        await store.writeFiles([toWrite(B)]);
        expect(await store.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [A, B]));
      } finally {
        await store.close();
      }
    });
  });
}
