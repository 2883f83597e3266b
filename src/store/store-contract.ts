/**
 * The behaviour every `TelemetryStore` must have, as one vitest suite run against each store
 * (`describeStoreContract('InMemoryStore', () => …)`). Test-only: imported from `*.test.ts` files.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatonDiff, LogMessage, StoreSummary, TraceEntity, TraceEntityKind } from '../model/index.js';
import { ColumnBatchEncoder } from './column-batch.js';
import { entityLine } from './entity-file.js';
import { ENTITY_KINDS } from './entity-tables.js';
import { factsOf, type HandlerRunFact } from './handler-run-facts.js';
import { type RunParts, runPartsOf } from './run-parts.js';
import { describeExtendContract } from './store-extend-contract.js';
import { fixtureCodeIndex, fixtureEntities, fixtureFile } from './store-fixtures.js';
import type { TelemetryStore } from './telemetry-store.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

export const FIXTURE_SUMMARY: StoreSummary = {
  files: 1,
  lines: 60,
  linesRecognized: 58,
  linesUnknown: 2,
  sessions: 1,
  pluginMountAttempts: 2,
  pluginMountsSucceeded: 1,
  pluginMountsFailed: 1,
  sequencesRegistered: 2,
  subscriptions: 2,
  sequenceRuns: 1,
  sequenceRunsCompleted: 0,
  sequenceRunsFailed: 1,
  movementRunsCompleted: 1,
  beatRuns: 3,
  beatRunsCompleted: 2,
  beatRunsFailed: 1,
  handlerRuns: 2,
  handlerErrors: 1,
  batonDiffs: 2,
  handlersSeen: ['failingHandler', 'loadComponents', 'renderList'],
  sequencesSeen: ['Library Load'],
  gaps: 1,
  timeSpanMs: 5_000,
  diagnostics: 2,
};

/** The fixture in the order `writeFixture` appends it: reversed, so the stores must sort by line. */
function appendOrder(fileId: string): TraceEntity[] {
  return fixtureEntities(fileId).reverse();
}

/** What `entities(kind)` must return for these files: by fileId, then line, then append order. */
export function expectedEntities(kind: TraceEntityKind, fileIds: readonly string[]): TraceEntity[] {
  return [...fileIds].sort().flatMap((id) =>
    appendOrder(id)
      .filter((e) => e.kind === kind)
      .sort((a, b) => entityLine(a) - entityLine(b)),
  );
}

/** Commits the fixture of `fileId`, appended in two batches as the pipeline does. */
export async function writeFixture(store: TelemetryStore, fileId: string): Promise<void> {
  const entities = appendOrder(fileId);
  const writer = await store.beginFile(fileId);
  await writer.append(entities.slice(0, 10));
  await writer.append(entities.slice(10));
  await writer.commit(fixtureFile(fileId));
}

/**
 * Commits entities of one kind as file A, the first `split` through `append` and the rest column-encoded
 * (as a parser thread sends them); returns what the store reads back.
 */
async function writeBothWays<K extends TraceEntityKind>(
  store: TelemetryStore,
  kind: K,
  entities: readonly Extract<TraceEntity, { kind: K }>[],
  split: number,
): Promise<readonly TraceEntity[]> {
  const writer = await store.beginFile(A);
  await writer.append(entities.slice(0, split));
  await writer.appendColumns(new ColumnBatchEncoder(A).encode(entities.slice(split)));
  await writer.commit(fixtureFile(A));
  return store.entities(kind);
}

export function describeStoreContract(name: string, makeStore: () => Promise<TelemetryStore>): void {
  describe(`${name} (store contract)`, () => {
    let store: TelemetryStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps the latest code index snapshot', async () => {
      expect(await store.loadCodeIndex()).toBeUndefined();
      await store.saveCodeIndex({ index: fixtureCodeIndex('first'), state: { files: 1 }, indexedAtMs: 1 });
      const second = { index: fixtureCodeIndex('second'), state: { files: 2 }, indexedAtMs: 1_795_305_600_000 };
      await store.saveCodeIndex(second);
      expect(await store.loadCodeIndex()).toStrictEqual(second);
    });

    it('keeps the code index per-file blobs as a delta, and drops them with a snapshot that has none', async () => {
      const blobs = (write: Record<string, string>, remove: string[] = [], replace = false) => ({
        replace,
        write: new Map(Object.entries(write)),
        remove,
      });
      const snapshot = { index: fixtureCodeIndex('r'), state: { v: 1 }, indexedAtMs: 1 };
      await store.saveCodeIndex({ ...snapshot, files: blobs({ a: '1', b: '2', c: '3' }, [], true) });
      await store.saveCodeIndex({ ...snapshot, files: blobs({ b: '20', d: '4' }, ['c']) });
      expect(await store.loadCodeIndex()).toStrictEqual(snapshot);
      expect(await store.loadCodeFiles(['a', 'b', 'c', 'd', 'x'])).toStrictEqual(
        new Map([
          ['a', '1'],
          ['b', '20'],
          ['d', '4'],
        ]),
      );
      await store.saveCodeIndex(snapshot);
      expect(await store.loadCodeFiles(['a', 'b'])).toStrictEqual(new Map());
    });

    it('returns every appended entity, exactly, in (fileId, line) order', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      for (const kind of ENTITY_KINDS) {
        expect(await store.entities(kind), kind).toStrictEqual(expectedEntities(kind, [A, B]));
      }
    });

    it('returns every kind exactly when all are read at once (as analyses load them)', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      const all = await Promise.all(ENTITY_KINDS.map((kind) => store.entities(kind)));
      for (const [i, kind] of ENTITY_KINDS.entries()) {
        expect(all[i], kind).toStrictEqual(expectedEntities(kind, [A, B]));
      }
    });

    it('finds the place of the n-th entity and reads every kind up to a place', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      const [first, second] = [A, B].sort();
      const beatsOf = (id: string) => expectedEntities('beat-run', [id]);
      const places = [...beatsOf(first!), ...beatsOf(second!)].map((b, i) => ({
        fileId: i < beatsOf(first!).length ? first! : second!,
        line: entityLine(b),
      }));
      expect(places.length).toBeGreaterThan(2);
      for (const [n, place] of places.entries()) expect(await store.placeOf('beat-run', n)).toEqual(place);
      expect(await store.placeOf('beat-run', places.length)).toBeUndefined();
      // Counted in one file only.
      const ofSecond = places.filter((p) => p.fileId === second);
      for (const [n, place] of ofSecond.entries()) expect(await store.placeOf('beat-run', n, second)).toEqual(place);
      expect(await store.placeOf('beat-run', ofSecond.length, second)).toBeUndefined();
      expect(await store.placeOf('beat-run', 0, 'not-a-stored-file')).toBeUndefined();
      // Inside the second file: all of the first, and the second's entities starting before the place.
      const place = places[places.length - 1]!;
      for (const kind of ENTITY_KINDS) {
        const expected = [
          ...expectedEntities(kind, [first!]),
          ...expectedEntities(kind, [second!]).filter((e) => entityLine(e) < place.line),
        ];
        expect(await store.entities(kind, { before: place }), kind).toStrictEqual(expected);
      }
      // At the first line of the first file: nothing.
      expect(await store.entities('beat-run', { before: { fileId: first!, line: 1 } })).toEqual([]);
      // From the same places: the rest, so that before + from is every entity once.
      for (const from of [place, places[1]!, { fileId: first!, line: 1 }]) {
        for (const kind of ENTITY_KINDS) {
          const [head, tail] = await Promise.all([
            store.entities(kind, { before: from }),
            store.entities(kind, { from }),
          ]);
          expect([...head, ...tail], kind).toStrictEqual(expectedEntities(kind, [first!, second!]));
        }
      }
    });

    it('reads every kind of the files asked for only, alone or with a place', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      const [first, second] = [A, B].sort();
      for (const kind of ENTITY_KINDS) {
        expect(await store.entities(kind, { fileIds: [second!] }), kind).toStrictEqual(
          expectedEntities(kind, [second!]),
        );
        expect(await store.entities(kind, { fileIds: [second!, first!, 'no-such-file'] }), kind).toStrictEqual(
          expectedEntities(kind, [first!, second!]),
        );
        expect(await store.entities(kind, { fileIds: [] }), kind).toEqual([]);
      }
      // With a place: the files asked for, up to the place.
      const place = { fileId: second!, line: entityLine(expectedEntities('beat-run', [second!]).at(-1)!) };
      expect(await store.entities('beat-run', { fileIds: [second!], before: place })).toStrictEqual(
        expectedEntities('beat-run', [second!]).filter((e) => entityLine(e) < place.line),
      );
    });

    it('joins every handler run with its beat and sequence run, in (fileId, line) order', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      const got: HandlerRunFact[] = [];
      await store.handlerRunFacts((batch) => got.push(...batch));
      const of = (kind: TraceEntityKind) => expectedEntities(kind, [A, B]) as never[];
      const expected = [...factsOf(of('handler-run'), of('beat-run'), of('sequence-run'))].flat();
      expect(got.length).toBe(of('handler-run').length);
      expect(got.some((f) => f.hasBeat && f.beatLongestHandlerMs !== null && f.runSequenceName !== null)).toBe(true);
      expect(got.some((f) => f.settledAfterBeat)).toBe(true);
      expect(got).toStrictEqual(expected);
    });

    it('hands out every sequence run with its beats, movements and errors, in (fileId, line) order', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      const got: RunParts[] = [];
      await store.runParts((batch) => got.push(...batch));
      const of = (kind: TraceEntityKind) => expectedEntities(kind, [A, B]) as never[];
      const expected = [
        ...runPartsOf(of('sequence-run'), of('beat-run'), of('movement-run'), of('handler-error')),
      ].flat();
      expect(got.length).toBe(of('sequence-run').length);
      expect(got.some((p) => p.beats.length > 1 && p.movements.length > 0 && p.errors.length > 0)).toBe(true);
      expect(got).toStrictEqual(expected);
    });

    it('reads what is stored now after each commit and removal (nothing derived is kept stale)', async () => {
      const facts = async () => {
        const got: HandlerRunFact[] = [];
        await store.handlerRunFacts((batch) => got.push(...batch));
        return got;
      };
      const parts = async () => {
        const got: RunParts[] = [];
        await store.runParts((batch) => got.push(...batch));
        return got;
      };
      const expectStored = async (fileIds: string[]) => {
        const of = (kind: TraceEntityKind) => expectedEntities(kind, fileIds) as never[];
        expect(await facts()).toStrictEqual([...factsOf(of('handler-run'), of('beat-run'), of('sequence-run'))].flat());
        expect(await parts()).toStrictEqual(
          [...runPartsOf(of('sequence-run'), of('beat-run'), of('movement-run'), of('handler-error'))].flat(),
        );
        expect(await store.entities('beat-run')).toStrictEqual(of('beat-run'));
        // The last beat run is in the last file (by fileId): each fixture file has beat runs.
        const beats = of('beat-run') as TraceEntity[];
        expect(await store.placeOf('beat-run', beats.length - 1)).toStrictEqual({
          fileId: [...fileIds].sort().at(-1),
          line: entityLine(beats.at(-1)!),
        });
        expect(await store.placeOf('beat-run', beats.length)).toBeUndefined();
      };
      await writeFixture(store, B);
      await expectStored([B]);
      await writeFixture(store, A);
      await expectStored([A, B]);
      await store.removeFile(B);
      await expectStored([A]);
    });

    it('lists files with their diagnostics, and finds them by path or id', async () => {
      await writeFixture(store, B);
      await writeFixture(store, A);
      expect(await store.files()).toStrictEqual([fixtureFile(A), fixtureFile(B)]);
      const known = { fileId: A, path: `/logs/${A}.log`, sizeBytes: 4_321, mtimeMs: 1_717_000_123_456.789 };
      expect(await store.findFile({ path: `/logs/${A}.log` })).toStrictEqual(known);
      expect(await store.findFile({ fileId: A })).toStrictEqual(known);
      expect(await store.findFile({ fileId: A, path: '/elsewhere.log' })).toBeUndefined();
      expect(await store.findFile({ path: '/missing.log' })).toBeUndefined();
    });

    it('computes the summary exactly', async () => {
      await writeFixture(store, A);
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
    });

    it('replaces a file committed again under the same fileId', async () => {
      await writeFixture(store, A);
      await writeFixture(store, A);
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      const writer = await store.beginFile(A);
      await writer.append(fixtureEntities(A).filter((e) => e.kind === 'session'));
      await writer.commit({ ...fixtureFile(A), diagnostics: [] });
      expect((await store.entities('beat-run')).length).toBe(0);
      expect((await store.entities('session')).length).toBe(1);
      expect((await store.files())[0]?.diagnostics).toStrictEqual([]);
    });

    it('keeps nothing of an aborted file, and keeps the earlier content of a file it was replacing', async () => {
      const writer = await store.beginFile(B);
      await writer.append(fixtureEntities(B));
      await writer.abort();
      expect(await store.files()).toStrictEqual([]);
      expect(await store.entities('beat-run')).toStrictEqual([]);
      await writeFixture(store, A);
      const replacing = await store.beginFile(A);
      await replacing.append(fixtureEntities(A).slice(0, 3));
      await replacing.abort();
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      expect(await store.entities('handler-error')).toStrictEqual(expectedEntities('handler-error', [A]));
    });

    it('removes a file', async () => {
      await writeFixture(store, A);
      await writeFixture(store, B);
      await store.removeFile(B);
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      expect(await store.findFile({ fileId: B })).toBeUndefined();
    });

    it('removes the content a file replaces in its commit, and keeps it when the file aborts', async () => {
      await writeFixture(store, A);
      const failing = await store.beginFile(B, { replaces: A });
      await failing.append(appendOrder(B));
      await failing.abort();
      expect((await store.files()).map((f) => f.fileId)).toStrictEqual([A]);
      const replacing = await store.beginFile(B, { replaces: A });
      await replacing.append(appendOrder(B));
      await replacing.commit(fixtureFile(B));
      expect((await store.files()).map((f) => f.fileId)).toStrictEqual([B]);
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      expect(await store.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [B]));
    });

    it('drops the files a commit supersedes and records them, in the same transaction; an abort keeps them', async () => {
      const C = 'cccccccccccccccc';
      const print = { contentBytes: 9_000, digest: `${B}${'0'.repeat(48)}`, heads: ['0123456789abcdef', B] };
      await writeFixture(store, A);
      const earliest = { fileId: C, path: '/logs/earliest.log', sizeBytes: 700, mtimeMs: 1_717_000_000_000.5 };
      await store.recordSuperseded({ ...earliest, by: A });
      const { path, sizeBytes, mtimeMs } = fixtureFile(A);
      const supersedes = [{ fileId: A, path, sizeBytes, mtimeMs }];
      const failing = await store.beginFile(B, { print, supersedes });
      await failing.append(appendOrder(B));
      await failing.abort();
      expect((await store.files()).map((f) => f.fileId)).toStrictEqual([A]);
      expect(await store.findSuperseded({ path })).toBeUndefined();
      expect(await store.printedFiles()).toStrictEqual([]);
      const writer = await store.beginFile(B, { print, supersedes });
      await writer.append(appendOrder(B));
      await writer.commit(fixtureFile(B));
      expect((await store.files()).map((f) => f.fileId)).toStrictEqual([B]);
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      expect(await store.entities('beat-run')).toStrictEqual(expectedEntities('beat-run', [B]));
      expect(await store.findSuperseded({ path })).toStrictEqual({ ...supersedes[0], by: B });
      expect(await store.findSuperseded({ fileId: A })).toStrictEqual({ ...supersedes[0], by: B });
      // What A had superseded now points at B, which holds it.
      expect(await store.findSuperseded({ path: earliest.path })).toStrictEqual({ ...earliest, by: B });
      const b = fixtureFile(B);
      expect(await store.printedFiles()).toStrictEqual([
        { fileId: B, path: b.path, sizeBytes: b.sizeBytes, mtimeMs: b.mtimeMs, print },
      ]);
      // A path that holds stored content again is no longer superseded.
      await store.removeFile(B);
      expect(await store.printedFiles()).toStrictEqual([]);
      const again = await store.beginFile(A);
      await again.append(appendOrder(A));
      await again.commit(fixtureFile(A));
      expect(await store.findSuperseded({ path })).toBeUndefined();
    });

    it('opens one writer per file and refuses use after commit', async () => {
      const writer = await store.beginFile(A);
      await expect(store.beginFile(A)).rejects.toThrow(/writer of file aaaa\w* is already open/);
      await writer.append(appendOrder(A));
      await writer.commit(fixtureFile(A));
      await expect(writer.append(fixtureEntities(A))).rejects.toThrow(/already committed/);
      await writer.abort();
      const again = await store.beginFile(A);
      await again.abort();
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      // Two opening at once: one wins, however the opening interleaves.
      const both = await Promise.allSettled([store.beginFile(B), store.beginFile(B)]);
      expect(both.map((r) => r.status).sort()).toStrictEqual(['fulfilled', 'rejected']);
      for (const r of both) if (r.status === 'fulfilled') await r.value.abort();
    });

    it('writes several files at once, each committed or aborted on its own', async () => {
      const a = await store.beginFile(A);
      const b = await store.beginFile(B);
      const [fromA, fromB] = [appendOrder(A), appendOrder(B)];
      for (let i = 0; i < Math.max(fromA.length, fromB.length); i += 7) {
        await a.append(fromA.slice(i, i + 7));
        await b.append(fromB.slice(i, i + 7));
      }
      await b.commit(fixtureFile(B));
      expect(await store.findFile({ fileId: A })).toBeUndefined();
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
      await a.abort();
      expect((await store.files()).map((f) => f.fileId)).toStrictEqual([B]);
      expect(await store.entities('handler-error')).toStrictEqual(expectedEntities('handler-error', [B]));
    });

    it('takes column-encoded batches (as parser threads send them) with the same result', async () => {
      const entities = appendOrder(A);
      const encoder = new ColumnBatchEncoder(A);
      const writer = await store.beginFile(A);
      await writer.appendColumns(encoder.encode(entities.slice(0, 10)));
      await writer.appendColumns(encoder.encode(entities.slice(10)));
      await writer.commit(fixtureFile(A));
      for (const kind of ENTITY_KINDS)
        expect(await store.entities(kind), kind).toStrictEqual(expectedEntities(kind, [A]));
      expect(await store.summary()).toStrictEqual(FIXTURE_SUMMARY);
    });

    it('keeps text of every shape exactly, across chunks and batches', async () => {
      // Inline (≤ 12 ASCII bytes) and heap strings, non-ASCII, empty, NULL, repeats near and far,
      // and more distinct values than a DuckDB chunk has rows; what a COPY's text format must escape.
      const shapes = [
        '',
        'short',
        'exactly12byt',
        'thirteen byte',
        'é',
        '⚠️ ünïcödé',
        'a longer repeated value',
        'tab\there, line\nbreak\r\n',
        'back\\slash \\N \\t',
        '\\N',
        'NULL',
      ];
      const messages: LogMessage[] = Array.from({ length: 5_000 }, (_, i) => ({
        kind: 'log-message',
        sessionId: `${A}:s0`,
        level: i % 2 ? 'warn' : 'error',
        component: i % 5 === 0 ? null : shapes[i % shapes.length]!,
        text: i % 3 === 0 ? `unique message number ${i}` : shapes[(i * 7) % shapes.length]!,
        timeMs: i % 11 === 0 ? null : 1_795_305_600_000 + i,
        line: i + 1,
      }));
      expect(await writeBothWays(store, 'log-message', messages, 2_500)).toStrictEqual(messages);
    });

    it('keeps text lists of every shape exactly, across chunks and batches', async () => {
      // Empty lists, one item, many; inline and heap items, non-ASCII; more rows than a DuckDB chunk.
      // Items a PostgreSQL array literal quotes or escapes, and what a COPY's text format escapes.
      const keys = [
        'a',
        'exactly12byt',
        'selectedComponentIds',
        'é',
        '⚠️ ünïcödé',
        '',
        'a,b',
        '{x}',
        '"q"',
        'NULL',
        'back\\slash',
        'tab\tkey',
        ' spaced ',
        'line\nbreak',
        '\\N',
      ];
      const pick = (i: number, n: number) => Array.from({ length: n }, (_, k) => keys[(i + k * 5) % keys.length]!);
      const diffs: BatonDiff[] = Array.from({ length: 5_000 }, (_, i) => ({
        kind: 'baton-diff',
        id: `${A}:s0:d${i}`,
        sessionId: `${A}:s0`,
        level: i % 4 === 0 ? 'beat' : 'handler',
        change: { added: pick(i, i % 3), updated: i % 7 === 0 ? [`only-in-row-${i}`] : [], removed: pick(i, i % 9) },
        preview: null,
        handler: null,
        pluginId: null,
        requestId: null,
        event: 'library:components:load',
        sequenceName: 'Library Load',
        beat: null,
        beatRunId: null,
        sequenceRunId: null,
        timeMs: null,
        line: i + 1,
      }));
      expect(await writeBothWays(store, 'baton-diff', diffs, 2_100)).toStrictEqual(diffs);
    });

    it('refuses entities of another file', async () => {
      const writer = await store.beginFile(A);
      await expect(writer.append(fixtureEntities(B).slice(0, 1))).rejects.toThrow(/file bbbb/);
      await expect(writer.commit(fixtureFile(B))).rejects.toThrow(/commit of file/);
      await writer.abort();
    });
  });
  describeExtendContract(name, makeStore);
}
