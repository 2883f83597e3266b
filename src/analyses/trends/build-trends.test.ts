import { describe, expect, it } from 'vitest';
import type { Session } from '../../model/index.js';
import { type TimedRun, trendsOfRuns } from './build-trends.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T09:00:00.000Z');

function session(i: number, startMs: number | null = T0 + i * HOUR): Session {
  return {
    kind: 'session',
    id: `f${i}:s0`,
    fileId: `f${i}`,
    index: 0,
    startLine: 1,
    endLine: 100,
    startMs,
    endMs: startMs === null ? null : startMs + 60_000,
    marker: 'file-start',
  };
}

/** Sessions listed out of start order on purpose: the series follows start times, not input order. */
const SESSIONS = [5, 0, 7, 1, 6, 2, 4, 3].map((i) => session(i));

function runs(handler: string, perSession: readonly (readonly number[])[], sequence = 'Create'): TimedRun[] {
  return perSession.flatMap((times, i) =>
    times.map((durationMs) => ({ sessionId: `f${i}:s0`, plugin: 'P', handler, sequence, durationMs })),
  );
}

describe('trendsOfRuns', () => {
  // slow: ~10 ms in sessions 0–3, ~30 ms from session 4 on; flat: ~10 ms throughout, same noise.
  const slow = runs('slow', [
    [9, 11, 10],
    [10, 12, 9],
    [11, 10, 8],
    [9, 10, 12],
    [29, 31, 33],
    [30, 28, 32],
    [31, 30, 29],
    [27, 33, 30],
  ]);
  const flat = runs('flat', [
    [9, 11, 10],
    [10, 12, 9],
    [11, 10, 8],
    [9, 10, 12],
    [10, 11, 12],
    [9, 10, 11],
    [12, 10, 9],
    [11, 9, 10],
  ]);
  const rare = runs('rare', [[5], [6, 7], [5, 5], [], [], [], [], [6]]);
  const files = SESSIONS.map((s) => ({ fileId: s.fileId, path: `/logs/${s.fileId}.log` }));

  it('finds the step of the slowed handler at its first slow session, and nothing in the flat one', () => {
    const r = trendsOfRuns(SESSIONS, [...slow, ...flat, ...rare], files as never);
    expect(r.summary).toEqual({
      sessions: 8,
      sessionsWithoutStart: 0,
      tested: 2,
      handlersTested: 2,
      changePoints: 1,
      handlersChanged: 1,
      insufficient: 1,
    });
    const [cp] = r.changePoints;
    expect(cp).toMatchObject({
      plugin: 'P',
      handler: 'slow',
      sequence: null,
      metric: 'handlerTime',
      at: { session: 'f4:s0', file: '/logs/f4.log', time: '2026-11-20T13:00:00.000Z', sessionIndex: 4 },
      before: { sessions: 4, n: 12, p50: 10, p95: 12 },
      after: { sessions: 4, n: 12, p50: 30, p95: 33 },
    });
    // Trimmed means 10.08 → 30.25 ms (12 runs each side, one cut at each end).
    expect(cp!.change).toBeCloseTo(30.2 / 10.1 - 1, 1);
    expect(cp!.pValue).toBeLessThan(1e-4);
    expect(r.series.map((s) => [s.handler, s.changesAt, s.points.map((p) => p.p50)])).toEqual([
      ['slow', [4], [10, 10, 10, 10, 31, 30, 30, 30]],
    ]);
    expect(r.insufficient).toEqual([{ plugin: 'P', handler: 'rare', reason: 'timed in 4 sessions; needs 6' }]);
  });

  it('tests a handler per sequence when several sequences run it, and lists a change once', () => {
    const inImport = runs(
      'slow',
      Array.from({ length: 8 }, () => [10, 11, 9]),
      'Import',
    );
    const r = trendsOfRuns(SESSIONS, [...slow, ...inImport]);
    // Handler-wide series, Create × slow and Import × slow.
    expect(r.summary.tested).toBe(3);
    // Create × slow changes at the same session as the handler-wide series: only the handler-wide one is listed.
    expect(r.changePoints.map((c) => [c.sequence, c.at.sessionIndex])).toEqual([[null, 4]]);
  });

  it('leaves sessions without a start time out, and says so', () => {
    const r = trendsOfRuns([...SESSIONS, session(9, null)], slow);
    expect(r.summary.sessionsWithoutStart).toBe(1);
    expect(r.notes).toEqual(['1 session has no start time and cannot be ordered: left out.']);
  });

  it('reports no change below the minimum change, however significant', () => {
    const r = trendsOfRuns(SESSIONS, [...slow], [], { minChange: 5 });
    expect(r.changePoints).toEqual([]);
  });

  it('with normalize, a load that slows every handler alike is one change of (all handlers), not one per handler', () => {
    const flatTimes = [
      [9, 11, 10],
      [10, 12, 9],
      [11, 10, 8],
      [9, 10, 12],
      [10, 11, 12],
      [9, 10, 11],
      [12, 10, 9],
      [11, 9, 10],
    ];
    const doubled = (h: string) =>
      runs(
        h,
        flatTimes.map((times, i) => times.map((ms) => (i >= 4 ? ms * 2 : ms))),
      );
    const all = ['a', 'b', 'c', 'd'].flatMap(doubled);
    const plain = trendsOfRuns(SESSIONS, all);
    expect(plain.changePoints.map((c) => [c.handler, c.at.sessionIndex])).toEqual([
      ['a', 4],
      ['b', 4],
      ['c', 4],
      ['d', 4],
    ]);
    const normalized = trendsOfRuns(SESSIONS, all, [], { normalize: true });
    expect(normalized.changePoints.map((c) => [c.plugin, c.handler, c.at.sessionIndex])).toEqual([
      ['(all plugins)', '(all handlers)', 4],
    ]);
    // 2× on top of the flat data's own step: its geometric means rise 2.7 % from sessions 0–3 to 4–7.
    expect(normalized.changePoints[0]!.change).toBeCloseTo(1.054, 2);
  });
});
