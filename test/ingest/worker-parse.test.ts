/**
 * Parser threads send entities column-encoded (store/column-batch.ts); what lands in the store must be
 * exactly what parsing in this thread stores. Worker threads run compiled code, so the worker side is
 * the build in dist/ (`npm test` builds it first).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashFile } from '../../src/importers/file-hash.js';
import { type IngestReport, ingest } from '../../src/ingest/ingest.js';
import { ENTITY_KINDS } from '../../src/store/entity-tables.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import type { TelemetryStore } from '../../src/store/telemetry-store.js';
import { BAD_BATCH_STATUSES, writeBadBatch } from './bad-batch.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, 'test/fixtures/corpus/logs');
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
    const { DuckDbStore } =
      await fromDist<typeof import('../../src/store/duckdb/duckdb-store.js')>('store/duckdb/duckdb-store.js');
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

  it('takes a batch of bad files file by file, as parsing in this thread does', async () => {
    const { DuckDbStore } =
      await fromDist<typeof import('../../src/store/duckdb/duckdb-store.js')>('store/duckdb/duckdb-store.js');
    const dist = await fromDist<typeof import('../../src/ingest/ingest.js')>('ingest/ingest.js');
    const run = async (workers: number) => {
      const dir = mkdtempSync(join(tmpdir(), 'beatscope-bad-'));
      writeBadBatch(dir);
      const store = await DuckDbStore.open(':memory:');
      try {
        const report = await dist.ingest([dir], {
          store,
          workers,
          onEvent: (e) => {
            if (e.type === 'plan') rmSync(join(dir, 'gone.log'));
          },
        });
        // Each run has its own directory: compare what is said with it (and its files' mtimes) cut away.
        const said = JSON.stringify({ report: outcomesByName(report), summary: await store.summary() }, (k, v) =>
          k === 'mtimeMs' ? undefined : v,
        );
        return JSON.parse(said.replaceAll(dir, '<dir>')) as { report: ReturnType<typeof outcomesByName> };
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const threaded = await run(2);
    expect(Object.fromEntries(Object.entries(threaded.report).map(([name, o]) => [name, o.status]))).toEqual(
      BAD_BATCH_STATUSES,
    );
    expect(threaded).toStrictEqual(await run(0));
  });

  it('rolls back a file whose write fails and commits the others', async () => {
    const dist = await fromDist<typeof import('../../src/ingest/ingest.js')>('ingest/ingest.js');
    const { InMemoryStore: DistStore } =
      await fromDist<typeof import('../../src/store/in-memory-store.js')>('store/in-memory-store.js');
    const victim = await hashFile(FILES[1]!);
    const inner = new DistStore();
    // The store refuses the victim's first batch, as a full disk or a constraint would.
    const store: TelemetryStore = Object.assign(Object.create(inner) as TelemetryStore, {
      beginFile: async (fileId: string) => {
        const writer = await inner.beginFile(fileId);
        if (fileId !== victim) return writer;
        return { ...writer, appendColumns: async () => Promise.reject(new Error('disk full')) };
      },
    });
    const report = await dist.ingest(FILES, { store, workers: 2 });
    const outcomes = outcomesByName(report);
    expect(outcomes[basename(FILES[1]!)]).toMatchObject({
      status: 'failed',
      diagnostics: [{ severity: 'error', message: 'disk full' }],
    });
    const others = FILES.filter((f) => f !== FILES[1]).map((f) => basename(f));
    expect(others.map((name) => outcomes[name]?.status)).toStrictEqual(others.map(() => 'ingested'));
    expect((await inner.files()).map((f) => f.fileId)).not.toContain(victim);
    expect((await inner.files()).length).toBe(FILES.length - 1);
  });
});

function outcomesByName(report: IngestReport) {
  return Object.fromEntries(report.outcomes.map((o) => [basename(o.path), o]));
}
