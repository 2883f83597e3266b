/**
 * The extend part of the store contract (`BeginFileOptions.extend`), run on every store by `describeStoreContract`.
 * Built from a real log read as it grows (test/store/growing-log.ts): each round stores what became final and
 * drops the provisional entities of the round before (runs still open at the cut), as `beatscope serve` does with
 * a file that keeps growing. After the last round the store must hold exactly what one commit of the whole log
 * holds, by every read. Test-only: imported from `*.test.ts` files through store-contract.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GrowingLogRound, readGrowingLog } from '../../test/store/growing-log.js';
import type { BeatRun, TraceEntity } from '../model/index.js';
import { ColumnBatchEncoder } from './column-batch.js';
import { entityLine } from './entity-file.js';
import { ENTITY_KINDS } from './entity-tables.js';
import { entityRef, isIdentified } from './extend-refs.js';
import type { HandlerRunFact } from './handler-run-facts.js';
import type { RunParts } from './run-parts.js';
import { fixtureEntities, fixtureFile } from './store-fixtures.js';
import type { EntityRef, TelemetryStore } from './telemetry-store.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
/** Ordered between A and B, so reads across files (before, from, placeOf) pass through it. */
const LIVE = 'abababababababab';

/** One extend round: what to drop and append so the store holds `next` instead of `stored`. */
export interface ExtendPlan {
  readonly drop: readonly EntityRef[];
  readonly append: readonly TraceEntity[];
  /** What the file holds after the round, in (kept, appended) order. */
  readonly next: readonly TraceEntity[];
}

const keyOf = (e: TraceEntity) => (isIdentified(e) ? `${e.kind} ${e.id}` : `${e.kind} ${JSON.stringify(e)}`);

/**
 * The round a live ingest makes when the file's parse went from `stored` to `parsed`: entities unchanged since the
 * last round are final and kept; the others (provisional last round: changed or gone) are dropped; what is new
 * or changed is appended. Entities without an id cannot be dropped, so each must reappear unchanged.
 */
export function planExtend(stored: readonly TraceEntity[], parsed: readonly TraceEntity[]): ExtendPlan {
  const now = new Map<string, TraceEntity[]>();
  for (const e of parsed) now.set(keyOf(e), [...(now.get(keyOf(e)) ?? []), e]);
  const kept: TraceEntity[] = [];
  const drop: EntityRef[] = [];
  for (const e of stored) {
    const same = now.get(keyOf(e));
    if (same !== undefined && same.length > 0 && isDeepStrictEqual(same[0], e)) {
      kept.push(e);
      same.shift();
    } else if (isIdentified(e)) drop.push({ kind: e.kind, id: e.id });
    else throw new Error(`${e.kind} without an id changed between rounds: ${JSON.stringify(e)}`);
  }
  const keptCount = new Map<string, number>();
  for (const e of kept) keptCount.set(keyOf(e), (keptCount.get(keyOf(e)) ?? 0) + 1);
  const append = parsed.filter((e) => {
    const n = keptCount.get(keyOf(e)) ?? 0;
    if (n === 0) return true;
    keptCount.set(keyOf(e), n - 1);
    return false;
  });
  return { drop, append, next: [...kept, ...append] };
}

/** `entities` of one kind as `entities()` returns them: by line, equal lines in append order. */
const byLine = (entities: readonly TraceEntity[], kind: string) =>
  entities.filter((e) => e.kind === kind).sort((a, b) => entityLine(a) - entityLine(b));

/** Writes one extend round of the file `round` is of, half through `append`, half column-encoded. */
export async function extendRound(store: TelemetryStore, round: GrowingLogRound, plan: ExtendPlan): Promise<void> {
  const { fileId } = round.info;
  const writer = await store.beginFile(fileId, { extend: { drop: plan.drop }, print: round.print });
  const half = Math.floor(plan.append.length / 2);
  await writer.append(plan.append.slice(0, half));
  await writer.appendColumns(new ColumnBatchEncoder(fileId).encode(plan.append.slice(half)));
  await writer.commit(round.info);
}

/** Everything a store answers, read back: two stores holding the same files must give equal readouts. */
async function readout(store: TelemetryStore) {
  const facts: HandlerRunFact[] = [];
  await store.handlerRunFacts((batch) => facts.push(...batch));
  const parts: RunParts[] = [];
  await store.runParts((batch) => parts.push(...batch));
  const beats = (await store.entities('beat-run')).length;
  const places = await Promise.all(
    [0, Math.floor(beats / 3), Math.floor(beats / 2), beats - 1, beats].map((n) => store.placeOf('beat-run', n)),
  );
  const byKind: Record<string, unknown> = {};
  for (const kind of ENTITY_KINDS) {
    byKind[kind] = {
      all: await store.entities(kind),
      live: await store.entities(kind, { fileIds: [LIVE] }),
      others: await store.entities(kind, { fileIds: [A, B] }),
      before: await Promise.all(places.map((p) => p && store.entities(kind, { before: p }))),
      from: await Promise.all(places.map((p) => p && store.entities(kind, { from: p }))),
    };
  }
  const files = await store.files();
  return {
    summary: await store.summary(),
    files,
    printed: await store.printedFiles(),
    found: await Promise.all(files.map((f) => store.findFile({ path: f.path }))),
    foundById: await store.findFile({ fileId: LIVE }),
    places,
    facts,
    parts,
    byKind,
  };
}

/** Each stored entity that has an id, as stored under `fileId` instead (same ids, another file). */
function rehomed(entities: readonly TraceEntity[], fileId: string): TraceEntity[] {
  return entities.map((e) => {
    if (e.kind === 'session') return { ...e, fileId };
    if ('span' in e) return { ...e, span: { ...e.span, fileId } } as TraceEntity;
    return e;
  });
}

export function describeExtendContract(name: string, makeStore: () => Promise<TelemetryStore>): void {
  describe(`${name} (store contract: extending a stored file)`, () => {
    let rounds: GrowingLogRound[];
    const opened: TelemetryStore[] = [];
    const open = async () => {
      const store = await makeStore();
      opened.push(store);
      return store;
    };
    /** A store holding fixture files A and B, and the first `n` rounds of the live log extended one by one. */
    const withRounds = async (n: number) => {
      const store = await open();
      for (const id of [A, B]) {
        const writer = await store.beginFile(id);
        await writer.append(fixtureEntities(id));
        await writer.commit(fixtureFile(id));
      }
      let stored: readonly TraceEntity[] = [];
      for (const round of rounds.slice(0, n)) {
        const plan = planExtend(stored, round.entities);
        await extendRound(store, round, plan);
        stored = plan.next;
      }
      return { store, stored };
    };
    beforeAll(async () => {
      rounds = await readGrowingLog(LIVE, [0.2, 0.5, 0.8, 1]);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('holds, after each round, what a parse of the file at that round holds; at the end, what one commit of the whole log holds', async () => {
      const { store: whole } = await withRounds(0);
      const last = rounds.at(-1)!;
      const writer = await whole.beginFile(LIVE, { print: last.print });
      await writer.append(last.entities);
      await writer.commit(last.info);

      const { store } = await withRounds(0);
      let stored: readonly TraceEntity[] = [];
      for (const [i, round] of rounds.entries()) {
        const plan = planExtend(stored, round.entities);
        // Real provisional entities: runs open at the cut, and the session, change in the next round.
        if (i > 0) {
          expect(plan.drop.length, `round ${i}`).toBeGreaterThan(0);
          expect(plan.append.length, `round ${i}`).toBeLessThan(round.entities.length);
        }
        await extendRound(store, round, plan);
        stored = plan.next;
        for (const kind of ENTITY_KINDS) {
          expect(await store.entities(kind, { fileIds: [LIVE] }), `round ${i} ${kind}`).toStrictEqual(
            byLine(round.entities, kind),
          );
        }
        // The file record is the round's, replaced: one "no final newline" diagnostic, then none.
        const info = (await store.files()).find((f) => f.fileId === LIVE);
        expect(info).toStrictEqual(round.info);
        expect(info?.diagnostics.length).toBe(i < rounds.length - 1 ? 1 : 0);
        expect((await store.printedFiles()).find((f) => f.fileId === LIVE)?.print).toStrictEqual(round.print);
      }
      const [got, expected] = [await readout(store), await readout(whole)];
      expect(got).toStrictEqual(expected);
      // The log's real content came through: every kind an extend can drop, and the fixture files untouched.
      expect(expected.summary.beatRuns).toBe(63 + 2 * 3);
      expect(expected.summary.handlerErrors).toBe(1 + 2 * 1);
      expect(expected.summary.files).toBe(3);
      expect(expected.files.map((f) => f.lines)).toStrictEqual([60, 1429, 60]);
    });

    it('orders entities on one line as one commit of the same list would: the kept ones, then the appended', async () => {
      const stored = fixtureEntities(A);
      // On the lines of the last stored entities of their kind (past the first ord): a subscription (no id) and a
      // beat run (a new id).
      const subscription = stored.findLast((e) => e.kind === 'subscription')!;
      const beat = stored.findLast((e): e is BeatRun => e.kind === 'beat-run')!;
      const appended: TraceEntity[] = [
        { ...subscription, event: 'library:appended' },
        { ...beat, id: `${beat.id}:again`, beat: 9 },
      ];
      const [extended, whole] = [await open(), await open()];
      const first = await extended.beginFile(A, { extend: { drop: [] } });
      await first.append(stored);
      await first.commit(fixtureFile(A));
      const second = await extended.beginFile(A, { extend: { drop: [] } });
      await second.appendColumns(new ColumnBatchEncoder(A).encode(appended));
      await second.commit(fixtureFile(A));
      const once = await whole.beginFile(A);
      await once.append([...stored, ...appended]);
      await once.commit(fixtureFile(A));
      for (const kind of ENTITY_KINDS) {
        expect(await extended.entities(kind), kind).toStrictEqual(await whole.entities(kind));
      }
      const subscriptions = await extended.entities('subscription');
      const at = subscriptions.findIndex((e) => e.event === 'library:appended');
      expect(subscriptions[at - 1]).toStrictEqual(subscription);
    });

    it('leaves everything as it was when an extend aborts, or its commit is refused', async () => {
      const { store, stored } = await withRounds(2);
      const before = await readout(store);
      const plan = planExtend(stored, rounds[2]!.entities);
      const aborted = await store.beginFile(LIVE, { extend: { drop: plan.drop }, print: rounds[2]!.print });
      await expect(store.beginFile(LIVE, { extend: { drop: [] } })).rejects.toThrow(/is already open/);
      await aborted.append(plan.append);
      await aborted.abort();
      expect(await readout(store)).toStrictEqual(before);

      // An entity stored and not dropped, appended again: the commit fails, nothing of it is kept.
      const kept = stored.find((e): e is BeatRun => e.kind === 'beat-run' && plan.next.includes(e))!;
      expect(kept).toBeDefined();
      const refused = await store.beginFile(LIVE, { extend: { drop: plan.drop } });
      await refused.append(plan.append);
      await refused.append([kept]);
      await expect(refused.commit(rounds[2]!.info)).rejects.toThrow(
        `appends beat-run ${kept.id}, which is stored and not dropped`,
      );
      expect(await readout(store)).toStrictEqual(before);
      // Named in drop, the same entity replaces the stored copy.
      const replacing = await store.beginFile(LIVE, {
        extend: { drop: [...plan.drop, { kind: 'beat-run', id: kept.id }] },
        print: rounds[2]!.print,
      });
      await replacing.append([...plan.append, kept]);
      await replacing.commit(rounds[2]!.info);
      expect(await store.entities('beat-run', { fileIds: [LIVE] })).toStrictEqual(
        byLine(rounds[2]!.entities, 'beat-run'),
      );
    });

    it('stores a file it does not hold as new (drop ignored), and drops only entities of the file extended', async () => {
      const store = await open();
      const [first, second] = [rounds[0]!, rounds[1]!];
      // Another file holding entities with the very ids of the live file's.
      const OTHER = 'cccccccccccccccc';
      const other = await store.beginFile(OTHER);
      await other.append(rehomed(first.entities, OTHER));
      await other.commit({ ...first.info, fileId: OTHER, path: '/logs/other.log' });
      const otherBefore = await Promise.all(ENTITY_KINDS.map((k) => store.entities(k, { fileIds: [OTHER] })));

      // As after a restart: the caller names last round's provisional entities, the store never had them.
      const drop = planExtend(first.entities, second.entities).drop;
      expect(drop.length).toBeGreaterThan(0);
      const writer = await store.beginFile(LIVE, { extend: { drop }, print: first.print });
      await writer.append(first.entities);
      await writer.commit(first.info);
      for (const kind of ENTITY_KINDS) {
        expect(await store.entities(kind, { fileIds: [LIVE] }), kind).toStrictEqual(byLine(first.entities, kind));
      }
      // Dropping every entity of the live file by id, and names it never held, leaves the other file whole.
      const every = first.entities.filter(isIdentified).map((e) => ({ kind: e.kind, id: e.id }));
      const emptying = await store.beginFile(LIVE, {
        extend: { drop: [...every, { kind: 'handler-error', id: 'no-such-error' }] },
      });
      await emptying.commit(first.info);
      expect(await store.entities('beat-run', { fileIds: [LIVE] })).toStrictEqual([]);
      expect(await store.entities('subscription', { fileIds: [LIVE] })).toStrictEqual(
        byLine(first.entities, 'subscription'),
      );
      expect(await Promise.all(ENTITY_KINDS.map((k) => store.entities(k, { fileIds: [OTHER] })))).toStrictEqual(
        otherBefore,
      );
      // No print given: the committed file has none.
      expect((await store.printedFiles()).map((f) => f.fileId)).toStrictEqual([]);
      expect((await store.summary()).files).toBe(2);
    });

    it('drops entities of kinds without an id by kind and line, before adding what the commit appends', async () => {
      const store = await open();
      const first = rounds[0]!;
      const writer = await store.beginFile(LIVE);
      await writer.append(first.entities);
      await writer.commit(first.info);
      const lineKinds = ENTITY_KINDS.filter((kind) => first.entities.some((e) => e.kind === kind && !isIdentified(e)));
      expect(lineKinds.length).toBeGreaterThan(2);
      // Of each such kind: the entities on its last line are named; the same ones are appended again, a copy of one
      // of them too (the line's entities as a later round reads them).
      const named = lineKinds.map((kind) => {
        const last = byLine(first.entities, kind).at(-1)!;
        return { kind, line: entityLine(last) } as EntityRef;
      });
      const onNamedLines = (e: TraceEntity) =>
        named.some((r) => 'line' in r && r.kind === e.kind && r.line === entityLine(e));
      const appended = first.entities.filter(onNamedLines);
      const extending = await store.beginFile(LIVE, { extend: { drop: [...named, entityRef(first.entities[0]!)] } });
      await extending.append([...appended, first.entities[0]!]);
      await extending.commit(first.info);
      for (const kind of ENTITY_KINDS) {
        expect(await store.entities(kind, { fileIds: [LIVE] }), kind).toStrictEqual(byLine(first.entities, kind));
      }
      // Named but not appended again: gone, and only those.
      const dropping = await store.beginFile(LIVE, { extend: { drop: named } });
      await dropping.commit(first.info);
      for (const kind of lineKinds) {
        const left = byLine(first.entities, kind).filter((e) => !onNamedLines(e));
        expect(await store.entities(kind, { fileIds: [LIVE] }), kind).toStrictEqual(left);
      }
    });
  });
}
