/**
 * The same console saved twice (the first save a byte prefix of the second) is kept once: the longer
 * file supersedes the shorter, in whichever order they arrive, alone or in one batch, plain or gzip'ed.
 * Files that only share their first lines are two files.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentPrint } from '../../src/importers/content-print.js';
import { type FileOutcome, ingest } from '../../src/ingest/ingest.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { TelemetryStore } from '../../src/store/telemetry-store.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** A saved Chrome console with 3 sequence runs over 156 lines. */
const LOG = readFileSync(join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log'));
const lines = LOG.toString('utf8').split(/(?<=\n)/);
/** The console saved earlier: its first 70 lines, 3 runs (the third just started), 2 of the 9 beats. */
const EARLY = Buffer.from(lines.slice(0, 70).join(''));
/** A console with the same first 70 lines that went on differently (20 lines left out). */
const FORKED = Buffer.from([...lines.slice(0, 70), ...lines.slice(90)].join(''));

const dir = mkdtempSync(join(tmpdir(), 'beatscope-supersede-'));
const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const A = file('a-10h00.log', EARLY);
const B = file('b-10h30.log', LOG);
const AGZ = file('a-10h00.log.gz', gzipSync(EARLY));
const BGZ = file('b-10h30.log.gz', gzipSync(LOG));
const F = file('f-forked.log', FORKED);

const open = () => DuckDbStore.open(':memory:');
const brief = (outcomes: readonly FileOutcome[]) =>
  outcomes.map((o) => ({
    path: o.path,
    status: o.status,
    ...(o.supersededBy ? { supersededBy: o.supersededBy } : {}),
    ...(o.supersedes ? { supersedes: o.supersedes } : {}),
  }));

/** What one file alone stores: its sequence runs, beat runs and lines. */
async function alone(path: string) {
  const store = await open();
  await ingest([path], { store, workers: 0 });
  const s = await store.summary();
  await store.close();
  return { sequenceRuns: s.sequenceRuns, beatRuns: s.beatRuns, files: s.files };
}
const counts = async (store: TelemetryStore) => {
  const s = await store.summary();
  return { sequenceRuns: s.sequenceRuns, beatRuns: s.beatRuns, files: s.files };
};

describe('a console saved twice', () => {
  let whole: Awaited<ReturnType<typeof alone>>;
  beforeAll(async () => {
    whole = await alone(B);
    const early = await alone(A);
    // Stored twice, the runs of the early save would count again: the cases below could not pass by chance.
    expect(early.sequenceRuns).toBeGreaterThan(0);
    expect(whole.beatRuns).toBeGreaterThan(early.beatRuns);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the content the file hash is made of, and heads at 512 B and 8 KiB', async () => {
    const { digest, print } = await contentPrint(BGZ);
    expect(digest).toBe(createHash('sha256').update(LOG).digest('hex'));
    expect(print?.contentBytes).toBe(LOG.length);
    expect(print?.heads.length).toBe(LOG.length >= 8192 ? 2 : 1);
    expect((await contentPrint(A)).print?.heads[0]).toBe(print?.heads[0]);
    expect(print?.heads[0]).toBe(createHash('sha256').update(LOG.subarray(0, 512)).digest('hex').slice(0, 16));
    // Under 512 bytes: no print, the file takes no part.
    expect((await contentPrint(file('tiny.log', LOG.subarray(0, 511)))).print).toBeNull();
  });

  it('the longer, ingested second, supersedes the shorter in its commit', async () => {
    const store = await open();
    expect(brief((await ingest([A], { store, workers: 0 })).outcomes)).toEqual([{ path: A, status: 'ingested' }]);
    const second = await ingest([B], { store, workers: 0 });
    expect(brief(second.outcomes)).toEqual([{ path: B, status: 'ingested', supersedes: [A] }]);
    expect(await counts(store)).toEqual(whole);
    expect((await store.files()).map((f) => f.path)).toEqual([B]);
    // Again: nothing changes, the shorter one is not even stored again.
    const again = await ingest([A, B], { store, workers: 0 });
    expect(brief(again.outcomes)).toEqual([
      { path: A, status: 'superseded', supersededBy: B },
      { path: B, status: 'unchanged' },
    ]);
    expect(await counts(store)).toEqual(whole);
    await store.close();
  });

  it('the shorter, ingested second, is recorded as superseded and stores nothing', async () => {
    const store = await open();
    await ingest([B], { store, workers: 0 });
    const second = await ingest([A], { store, workers: 0 });
    expect(brief(second.outcomes)).toEqual([{ path: A, status: 'superseded', supersededBy: B }]);
    expect(await counts(store)).toEqual(whole);
    expect(await store.findSuperseded({ path: A })).toMatchObject({
      path: A,
      by: second.outcomes[0]?.fileId && (await store.files())[0]?.fileId,
    });
    // A copy of the early save under another name is superseded too.
    const copy = file('copy-of-a.log', EARLY);
    expect(brief((await ingest([copy], { store, workers: 0 })).outcomes)).toEqual([
      { path: copy, status: 'superseded', supersededBy: B },
    ]);
    expect(await counts(store)).toEqual(whole);
    await store.close();
  });

  it('in one batch, parsed here: the shorter is not parsed, the longer names it', async () => {
    const store = await open();
    const report = await ingest([A, B], { store, workers: 0 });
    expect(brief(report.outcomes)).toEqual([
      { path: A, status: 'superseded', supersededBy: B },
      { path: B, status: 'ingested', supersedes: [A] },
    ]);
    expect(await counts(store)).toEqual(whole);
    expect(await store.findSuperseded({ path: A })).toMatchObject({ by: report.outcomes[1]?.fileId });
    await store.close();
  });

  it("in one batch through parser threads, with a longer copy gzip'ed", async () => {
    const dist = (m: string) => import(pathToFileURL(join(ROOT, 'dist', m)).href);
    const { ingest: distIngest } = (await dist('ingest/ingest.js')) as typeof import('../../src/ingest/ingest.js');
    const { DuckDbStore: DistStore } = (await dist(
      'store/duckdb/duckdb-store.js',
    )) as typeof import('../../src/store/duckdb/duckdb-store.js');
    const store = await DistStore.open(':memory:');
    const report = await distIngest([A, BGZ, F], { store, workers: 2 });
    expect(brief(report.outcomes)).toEqual([
      { path: A, status: 'superseded', supersededBy: BGZ },
      { path: BGZ, status: 'ingested', supersedes: [A] },
      { path: F, status: 'ingested' },
    ]);
    const forked = await alone(F);
    expect(await counts(store)).toEqual({
      sequenceRuns: whole.sequenceRuns + forked.sequenceRuns,
      beatRuns: whole.beatRuns + forked.beatRuns,
      files: 2,
    });
    await store.close();
  });

  it('compares the content after gunzip: a .gz early save, then the plain longer one', async () => {
    const store = await open();
    await ingest([AGZ], { store, workers: 0 });
    expect(brief((await ingest([B], { store, workers: 0 })).outcomes)).toEqual([
      { path: B, status: 'ingested', supersedes: [AGZ] },
    ]);
    expect(await counts(store)).toEqual(whole);
    await store.close();
  });

  it('keeps two files that share their first lines and then differ', async () => {
    const store = await open();
    await ingest([A], { store, workers: 0 });
    const report = await ingest([F, B], { store, workers: 0 });
    // The early save is a prefix of both: the longest file holding it supersedes it.
    expect(brief(report.outcomes)).toEqual([
      { path: B, status: 'ingested', supersedes: [A] },
      { path: F, status: 'ingested' },
    ]);
    const forked = await alone(F);
    expect(forked.sequenceRuns).toBeGreaterThan(0);
    expect(await counts(store)).toEqual({
      sequenceRuns: whole.sequenceRuns + forked.sequenceRuns,
      beatRuns: whole.beatRuns + forked.beatRuns,
      files: 2,
    });
    await store.close();
  });

  it('stores the shorter after all when the longer fails to ingest', async () => {
    // The early save followed by 2,000 lines of binary junk: a file that fails whole.
    const junk = Buffer.alloc(2000 * 40);
    for (let i = 0; i < junk.length; i++) junk[i] = i % 40 === 39 ? 0x0a : (i * 7919) % 9;
    const broken = file('broken-later-save.log', Buffer.concat([EARLY, junk]));
    const store = await open();
    const order: string[] = [];
    const report = await ingest([A, broken], {
      store,
      workers: 0,
      onEvent: (e) => e.type === 'file' && order.push(e.outcome.path),
    });
    // The early save waited for the file holding it, and was parsed once that one failed.
    expect(order).toEqual([broken, A]);
    expect(brief(report.outcomes)).toEqual([
      { path: A, status: 'ingested' },
      { path: broken, status: 'failed' },
    ]);
    expect(await counts(store)).toEqual(await alone(A));
    await store.close();
  });

  it('stores a shorter file whose longer one changed on disk since it was stored', async () => {
    const moved = file('moved.log', LOG);
    const store = await open();
    await ingest([moved], { store, workers: 0 });
    // The stored file's path no longer holds what was stored (another save over it): nothing to confirm with.
    utimesSync(moved, new Date(), new Date(Date.now() + 60_000));
    const early = file('early-of-moved.log', EARLY);
    expect(brief((await ingest([early], { store, workers: 0 })).outcomes)).toEqual([
      { path: early, status: 'ingested' },
    ]);
    await store.close();
  });
});
