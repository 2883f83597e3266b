/** Batched reads (runs with their parts, handler-run facts): small batches give what the in-memory join gives. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readGrowingLog } from '../../../test/store/growing-log.js';
import type { TraceEntity } from '../../model/index.js';
import { entityLine } from '../entity-file.js';
import { factsOf, type HandlerRunFact } from '../handler-run-facts.js';
import { type RunParts, runPartsOf } from '../run-parts.js';
import { writeFixture } from '../store-contract.js';
import { extendRound, planExtend } from '../store-extend-contract.js';
import { fixtureEntities, fixtureFile } from '../store-fixtures.js';
import { readHandlerRunFacts } from './duckdb-handler-facts.js';
import { readRunParts } from './duckdb-run-parts.js';
import { DuckDbStore } from './duckdb-store.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccc';
const KINDS = ['sequence-run', 'beat-run', 'movement-run', 'handler-error', 'handler-run'] as const;
const expected: Record<string, never[]> = {};
let dir: string;
let db: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-run-parts-'));
  db = join(dir, 'parts.duckdb');
  const store = await DuckDbStore.open(db);
  await writeFixture(store, B);
  await writeFixture(store, A);
  // A third file holding several runs, each with its beats, so batches also split a file.
  const base = fixtureEntities(C);
  const writer = await store.beginFile(C);
  for (let k = 1; k <= 4; k++) {
    const shift = <T extends { readonly span: { readonly startLine: number; readonly endLine: number } }>(e: T): T => ({
      ...e,
      span: { ...e.span, startLine: e.span.startLine + 1000 * k, endLine: e.span.endLine + 1000 * k },
    });
    for (const e of base) {
      if (e.kind === 'sequence-run') await writer.append([shift({ ...e, id: `${e.id}-${k}` })]);
      if (e.kind === 'beat-run' && e.sequenceRunId !== null) {
        await writer.append([shift({ ...e, id: `${e.id}-${k}`, sequenceRunId: `${e.sequenceRunId}-${k}` })]);
      }
      if (e.kind === 'handler-run') {
        const id = (v: string | null) => (v === null ? null : `${v}-${k}`);
        const moved = { ...e, beatRunId: id(e.beatRunId), sequenceRunId: id(e.sequenceRunId) };
        // Each beat gets a second, longer handler run 500 lines on: its first and longest run then differ.
        await writer.append([
          { ...moved, id: `${e.id}-${k}`, line: e.line + 1000 * k },
          { ...moved, id: `${e.id}-${k}-2`, line: e.line + 1000 * k + 500, durationMs: (e.durationMs ?? 0) + 5 },
        ]);
      }
    }
  }
  await writer.commit(fixtureFile(C));
  for (const kind of KINDS) expected[kind] = (await store.entities(kind)) as never[];
  await store.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// 1,000: one batch of every file (small files share a query: duckdb-line-ranges.ts).
it.each([1, 2, 3, 1000])(
  'reads runs with their parts in batches of %i, across and within files, as one pass',
  async (size) => {
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const batches: RunParts[][] = [];
      for await (const batch of readRunParts(connection, size, size)) batches.push(batch);
      const [runs, beats, movements, errors] = KINDS.map((k) => expected[k]!);
      const whole = [...runPartsOf(runs!, beats!, movements!, errors!)].flat();
      expect(whole.length).toBe(6);
      expect(whole.filter((p) => p.beats.length > 0).length).toBeGreaterThanOrEqual(5);
      expect(batches.length).toBe(Math.ceil(6 / size));
      expect(batches.flat()).toStrictEqual(whole);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  },
);

it.each([1, 2, 5, 1000])(
  'reads handler-run facts in batches of about %i, across and within files, as one pass',
  async (size) => {
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const facts: HandlerRunFact[] = [];
      for await (const batch of readHandlerRunFacts(connection, size)) facts.push(...batch);
      const whole = [...factsOf(expected['handler-run']!, expected['beat-run']!, expected['sequence-run']!)].flat();
      expect(whole.length).toBeGreaterThan(16);
      expect(whole.some((f) => !f.firstOfBeat && f.hasBeat && f.beatLongestHandlerMs === f.durationMs)).toBe(true);
      expect(whole.filter((f) => f.firstOfBeat).length).toBeLessThan(whole.filter((f) => f.hasBeat).length);
      expect(facts).toStrictEqual(whole);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  },
);

it('reads a file extended round by round (runs dropped and added again) in small batches as one pass', async () => {
  const path = join(dir, 'extended.duckdb');
  const rounds = await readGrowingLog('abababababababab', [0.3, 0.6, 1]);
  const store = await DuckDbStore.open(path);
  await writeFixture(store, A);
  let stored: readonly TraceEntity[] = [];
  for (const round of rounds) {
    const plan = planExtend(stored, round.entities);
    await extendRound(store, round, plan);
    stored = plan.next;
  }
  await store.close();
  const of = (kind: TraceEntity['kind']) =>
    [...fixtureEntities(A), ...rounds.at(-1)!.entities]
      .filter((e) => e.kind === kind)
      .sort((a, b) => entityLine(a) - entityLine(b)) as never[];
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const parts: RunParts[] = [];
    for await (const batch of readRunParts(connection, 4, 4)) parts.push(...batch);
    expect(parts).toStrictEqual(
      [...runPartsOf(of('sequence-run'), of('beat-run'), of('movement-run'), of('handler-error'))].flat(),
    );
    expect(parts.length).toBe(23 + 1); // the log's sequence runs and the fixture's
    const facts: HandlerRunFact[] = [];
    for await (const batch of readHandlerRunFacts(connection, 5)) facts.push(...batch);
    expect(facts).toStrictEqual([...factsOf(of('handler-run'), of('beat-run'), of('sequence-run'))].flat());
    // The log's 63 handler runs and the fixture's.
    expect(facts.length).toBe(63 + fixtureEntities(A).filter((e) => e.kind === 'handler-run').length);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});

it('stops a batched read whose reader throws, and reads again on the same store', async () => {
  const store = await DuckDbStore.open(db, { readOnly: true });
  try {
    // Each read fetches its next chunk ahead; a reader that throws leaves none running under a closed connection.
    await expect(
      store.handlerRunFacts(() => {
        throw new Error('reader failed');
      }),
    ).rejects.toThrow('reader failed');
    await expect(
      store.runParts(() => {
        throw new Error('reader failed');
      }),
    ).rejects.toThrow('reader failed');
    expect(await store.entities('beat-run')).toStrictEqual(expected['beat-run']);
    let facts = 0;
    await store.handlerRunFacts((batch) => {
      facts += batch.length;
    });
    expect(facts).toBe(expected['handler-run']!.length);
  } finally {
    await store.close();
  }
});
