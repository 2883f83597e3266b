import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandlerRun } from '../../model/index.js';
import { groupBy } from '../collections.js';
import { handlerRun } from '../trace-fixtures.js';
import { byTime, HistoryTimes, MAX_RANK, SEQUENCE_SPLIT_MS } from './handler-histories.js';

const median = (values: readonly number[]) => {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
};

/**
 * The histories written plainly: a handler's executions, split by sequence when two sequences' medians (of ≥ 5
 * executions each) are SEQUENCE_SPLIT_MS apart; each ranked in its session by a stable sort on `byTime`.
 */
function plainHistories(runs: readonly HandlerRun[]) {
  const byHandler = groupBy(runs, (r) => `${r.pluginId}\u0000${r.handler}`);
  const out = new Map<string, { session: string[]; durationMs: number[]; rank: number[]; sessions: number }>();
  for (const [key, all] of byHandler) {
    const bySequence = groupBy(all, (r) => r.sequenceName ?? '');
    const medians = [...bySequence.values()]
      .filter((l) => l.length >= 5)
      .map((l) => median(l.map((r) => r.durationMs!)));
    const split = medians.length >= 2 && Math.max(...medians) - Math.min(...medians) >= SEQUENCE_SPLIT_MS;
    const histories = split
      ? [...bySequence].map(([seq, l]) => [`${key}\u0000${seq}`, l] as const)
      : [[key, all] as const];
    for (const [historyKey, list] of histories) {
      const rank = list.map(() => 0);
      const bySession = groupBy(
        list.map((r, j) => ({ r, j })),
        ({ r }) => r.sessionId,
      );
      for (const own of bySession.values()) {
        own.sort((a, b) => byTime(a.r, b.r));
        own.forEach(({ j }, k) => {
          rank[j] = Math.min(k + 1, MAX_RANK);
        });
      }
      out.set(historyKey, {
        session: list.map((r) => r.sessionId),
        durationMs: list.map((r) => r.durationMs!),
        rank,
        sessions: bySession.size,
      });
    }
  }
  return out;
}

describe('HistoryTimes', () => {
  it('splits and ranks executions as a stable sort of each session by settle time and line does', () => {
    const execution = fc.record({
      handler: fc.constantFrom('a', 'b'),
      session: fc.constantFrom('s1', 's2', 's3', 's4'),
      sequence: fc.constantFrom('Load', 'Save'),
      // Few values, so settle times and lines tie often; null (unknown) sorts last.
      settledMs: fc.option(fc.integer({ min: 0, max: 4 })),
      line: fc.integer({ min: 1, max: 4 }),
      durationMs: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(execution, { maxLength: 60 }), (drawn) => {
        const runs = drawn.map((d, i) =>
          handlerRun(`h${i}`, d.handler, {
            sessionId: d.session,
            sequenceName: d.sequence,
            settledMs: d.settledMs,
            line: d.line,
            durationMs: d.durationMs,
          }),
        );
        const times = HistoryTimes.ofRuns(runs);
        const found = new Map(
          [...times.keys()].map((key) => {
            const h = times.history(key);
            const session = [...h.session].map((s) => times.sessionAt(s));
            return [key, { session, durationMs: [...h.durationMs], rank: [...h.rank], sessions: h.sessions }];
          }),
        );
        expect(found).toStrictEqual(plainHistories(runs));
      }),
      { numRuns: 400 },
    );
  });
});
