/**
 * One file cut into chunks parsed by parser threads and rebuilt here (src/ingest/split-file.ts) must store
 * exactly what parsing it whole stores: entities, summary, diagnostics. Real Chrome consoles
 * (test/fixtures/chrome-console, the corpus' Chrome logs) with tiny chunks, so cuts land everywhere; and
 * random mixes of their lines, some spoiled (NUL, invalid UTF-8, cut lines, bare CR, blank lines,
 * continuation lines), where a chunk with any diagnostic makes the whole file parse in one piece.
 * Worker threads run compiled code: the split side is the build in dist/ (`npm test` builds it first).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import type { Diagnostic } from '../../src/model/index.js';
import { ENTITY_KINDS } from '../../src/store/entity-tables.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import type { TelemetryStore } from '../../src/store/telemetry-store.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = [
  ...[
    'e1-location-iso.log',
    'e2-per-source-location.log',
    'e3-e4-empty-location-iso.log',
    'e5-other-locations.log',
    'iso-beat-headers-filtered.log',
  ].map((f) => join(ROOT, 'test/fixtures/chrome-console', f)),
  ...[
    'chrome-per-source-location.devtools-transcript.log',
    'chrome-per-source-location.resize-move.log',
    'chrome-saved-empty-location.sample-telemetry.log',
    'chrome-saved-installhook.excerpt-1.log',
  ].map((f) => join(ROOT, 'test/fixtures/corpus/logs', f)),
];

const dir = mkdtempSync(join(tmpdir(), 'beatscope-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fromDist = async <T>(module: string): Promise<T> =>
  (await import(pathToFileURL(join(ROOT, 'dist', module)).href)) as T;
const dist = await fromDist<typeof import('../../src/ingest/ingest.js')>('ingest/ingest.js');
const split = await fromDist<typeof import('../../src/ingest/split-file.js')>('ingest/split-file.js');
const { InMemoryStore: DistStore } =
  await fromDist<typeof import('../../src/store/in-memory-store.js')>('store/in-memory-store.js');

interface Stored {
  readonly entities: Record<string, unknown>;
  readonly summary: unknown;
  readonly diagnostics: readonly Diagnostic[];
  readonly status: string;
}

async function stored(store: TelemetryStore, run: () => Promise<{ outcomes: readonly unknown[] }>): Promise<Stored> {
  const report = await run();
  const outcome = report.outcomes[0] as { status: string; diagnostics: readonly Diagnostic[] };
  const entities: Record<string, unknown> = {};
  for (const kind of ENTITY_KINDS) entities[kind] = await store.entities(kind);
  return { entities, summary: await store.summary(), diagnostics: outcome.diagnostics, status: outcome.status };
}

const whole = (path: string) => {
  const store = new InMemoryStore();
  return stored(store, () => ingest([path], { store, workers: 0 }));
};
const chunked = (path: string, chunkBytes: number) => {
  const store = new DistStore();
  return stored(store, () => dist.ingest([path], { store, workers: 2, chunkBytes }));
};

/** Whether the split path kept the file in chunks (undefined from parseSplit: parsed whole after all). */
async function staysSplit(path: string, chunkBytes: number): Promise<boolean> {
  const plan = await split.planSplit(path, { chunkBytes });
  if (plan === undefined) return false;
  const parsed = await split.parseSplit(plan, async () => undefined, { fileId: 'f', workers: 2 });
  return parsed !== undefined;
}

describe('one file split across parser threads', () => {
  it('cuts only before a line that opens an entry', async () => {
    const path = join(ROOT, 'test/fixtures/chrome-console/iso-beat-headers-filtered.log');
    const bytes = readFileSync(path);
    const plan = await split.planSplit(path, { chunkBytes: 4096 });
    expect(plan).toBeDefined();
    const starts = plan!.starts;
    expect(starts[0]).toBe(0);
    expect(starts.at(-1)).toBe(bytes.length);
    expect(starts.length).toBeGreaterThan(30); // 170 KB in 4 KiB chunks
    for (const s of starts.slice(1, -1)) {
      expect(bytes[s - 1]).toBe(10);
      expect(bytes.toString('utf8', s, bytes.indexOf(10, s))).toMatch(/^[\w.-]+\.(?:ts|js):\d+ /);
    }
  });

  it.each(FIXTURES.map((f) => [f.split('/').pop()!, f]))(
    'stores %s exactly as parsing it whole',
    async (_name, path) => {
      const expected = await whole(path);
      expect(expected.status).toBe('ingested');
      expect(await staysSplit(path, 160)).toBe(true); // at 700 B the smallest are not cut at all
      for (const chunkBytes of [160, 700]) {
        expect(await chunked(path, chunkBytes)).toEqual(expected);
      }
    },
  );

  it('keeps real consoles in chunks, and parses a file whole once a chunk has a diagnostic', async () => {
    const path = join(ROOT, 'test/fixtures/chrome-console/iso-beat-headers-filtered.log');
    expect(await staysSplit(path, 2048)).toBe(true);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[lines.length - 40] = `${lines[lines.length - 40]}\u0000`;
    const spoiled = join(dir, 'nul-near-end.log');
    writeFileSync(spoiled, lines.join('\n'));
    expect(await staysSplit(spoiled, 2048)).toBe(false);
    const expected = await whole(spoiled);
    expect(expected.diagnostics.map((d) => d.message)).toContain(
      `binary content at line ${lines.length - 39}; kept as an unknown line`,
    );
    expect(await chunked(spoiled, 2048)).toEqual(expected);
  });

  /** Real lines of every kind the Chrome reader meets, and spoiled ones. */
  const POOL = FIXTURES.slice(0, 5).flatMap((f) => readFileSync(f, 'utf8').split('\n'));
  const lineArb = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...POOL) },
    { weight: 1, arbitrary: fc.constantFrom('', '  ', '   at handler (Plugin.ts:12:3)', 'Object', '▶ {a: 1}') },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...POOL), fc.constantFrom('\u0000', '\r', '\ufffd', '\u0001', '\t'), fc.nat())
        .map(([l, c, at]) => l.slice(0, at % (l.length + 1)) + c + l.slice(at % (l.length + 1))),
    },
    { weight: 1, arbitrary: fc.constantFrom(...POOL).map((l) => l.slice(0, Math.floor(l.length / 2))) },
  );

  it('stores random mixes of real and spoiled lines exactly as parsing them whole', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 20, maxLength: 400 }),
        fc.integer({ min: 64, max: 3000 }),
        fc.boolean(),
        async (lines, chunkBytes, finalNewline) => {
          const path = join(dir, `mix-${n++}.log`);
          writeFileSync(path, lines.join('\n') + (finalNewline ? '\n' : ''));
          const expected = await whole(path);
          expect(await chunked(path, chunkBytes)).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
