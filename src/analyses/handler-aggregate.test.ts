import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandlerRun } from '../model/index.js';
import { factsOf } from '../store/handler-run-facts.js';
import { HandlerRunAggregator, type HandlerRunCount } from './handler-aggregate.js';
import { analyzeHandlerPerformance } from './handler-performance.js';
import { timingStats } from './percentile.js';
import { beatRun, handlerRun, sequenceRun, session, traceData } from './trace-fixtures.js';

/** The counts written plainly: one `plugin\0n|s\0handler` string key per run, in first-seen order. */
function countsByStringKey(runs: readonly HandlerRun[]): HandlerRunCount[] {
  const counts = new Map<string, { handler: string; pluginId: string | null; executions: number; errors: number }>();
  for (const h of runs) {
    const key = `${h.pluginId ?? ''}\u0000${h.pluginId === null ? 'n' : 's'}\u0000${h.handler}`;
    const c = counts.get(key) ?? { handler: h.handler, pluginId: h.pluginId, executions: 0, errors: 0 };
    c.executions++;
    if (h.status === 'error') c.errors++;
    counts.set(key, c);
  }
  return [...counts.values()];
}

const run = fc.record({
  plugin: fc.constantFrom(null, '', 'PluginA', 'PluginB'),
  handler: fc.constantFrom('a', 'b', 'c'),
  error: fc.boolean(),
  // Many runs per group, so every group's list of durations outgrows any initial capacity.
  durationMs: fc.option(
    fc.integer({ min: 0, max: 5_000 }).map((n) => n / 8),
    { nil: null },
  ),
});

describe('HandlerRunAggregator', () => {
  it('counts runs per logged (plugin, handler), a null plugin apart from an empty one, in first-seen order', () => {
    fc.assert(
      fc.property(fc.array(run, { maxLength: 300 }), (drawn) => {
        const runs = drawn.map((r, i) =>
          handlerRun(`h${i}`, r.handler, {
            pluginId: r.plugin,
            status: r.error ? 'error' : 'ok',
            durationMs: r.durationMs,
            beatRunId: 'b1',
            sequenceRunId: 'r1',
          }),
        );
        const aggregator = new HandlerRunAggregator(24);
        for (const batch of factsOf(runs, [beatRun('b1', 'r1')], [sequenceRun('r1')])) aggregator.add(batch);
        expect(aggregator.handlerRunCounts()).toEqual(countsByStringKey(runs));
        // Each handler's timing is the statistics of every duration it was given (null and empty plugin merged).
        const report = aggregator.report([session('s1', null, null)]);
        for (const row of report.handlers) {
          const own = runs.filter((h) => h.handler === row.name && (h.pluginId ?? '') === (row.plugin ?? ''));
          const durations = own.flatMap((h) => (h.durationMs === null ? [] : [h.durationMs]));
          expect(row.timing).toEqual(timingStats(durations));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the report the trace-data path gives for the same runs: times, cells, sessions and sequences', () => {
    const timed = fc.record({
      handler: fc.constantFrom('a', 'b', 'c'),
      plugin: fc.constantFrom(null, '', 'PluginA'),
      session: fc.constantFrom('s1', 's2', 'gone'),
      sequence: fc.constantFrom('r1', 'r2', null),
      settledMs: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      beatStartMs: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      beatMs: fc.option(
        fc.integer({ min: 0, max: 2_000 }).map((n) => n / 4),
        { nil: null },
      ),
      durationMs: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
      late: fc.boolean(),
      error: fc.boolean(),
      sharesBeat: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(timed, { maxLength: 200 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        // Rows reserved up front: fewer than the runs, so the columns grow as they arrive.
        fc.integer({ min: 0, max: 8 }),
        (drawn, buckets, sessionTimes, expected) => {
          // Some runs share the beat of the run before them (overhead is the beat's, first-of-beat counts once).
          const beatOf = drawn.map((r, i) => (r.sharesBeat && i > 0 ? `b${i - 1}` : `b${i}`));
          const beats = drawn.map((r, i) =>
            beatRun(`b${i}`, r.sequence ?? 'r1', { startMs: r.beatStartMs, durationMs: r.beatMs }),
          );
          const runs = drawn.map((r, i) =>
            handlerRun(`h${i}`, r.handler, {
              pluginId: r.plugin,
              sessionId: r.session,
              status: r.error ? 'error' : 'ok',
              settledMs: r.settledMs,
              durationMs: r.durationMs,
              settledAfterBeat: r.late,
              beatRunId: beatOf[i]!,
              sequenceRunId: r.sequence,
              sequenceName: r.sequence === null ? 'seq-from-baton' : null,
            }),
          );
          // With session times the axis is theirs; without, the runs' own time range.
          const sessions = [
            session('s2', sessionTimes ? 40_000 : 7, sessionTimes ? 100_000 : null),
            session('s1', sessionTimes ? 0 : 5, sessionTimes ? 50_000 : null),
          ];
          const sequenceRuns = [sequenceRun('r1'), sequenceRun('r2', { sequenceName: 'Second' })];
          const streamed = new HandlerRunAggregator(buckets, expected);
          for (const batch of factsOf(runs, beats, sequenceRuns)) streamed.add(batch);
          const data = traceData({ sessions, runs: sequenceRuns, beats, handlerRuns: runs });
          expect(streamed.report(sessions)).toStrictEqual(analyzeHandlerPerformance(data, undefined, { buckets }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
