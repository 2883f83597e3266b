import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandlerRun } from '../model/index.js';
import { factsOf } from '../store/handler-run-facts.js';
import { AXIS_FROM_RUNS, HandlerRunAggregator, type HandlerRunCount } from './handler-aggregate.js';
import { ActiveTimeAxis } from './heatmap-matrix.js';
import { timingStats } from './percentile.js';
import { beatRun, handlerRun, sequenceRun, session } from './trace-fixtures.js';

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
        const aggregator = new HandlerRunAggregator(undefined, 24);
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

  it('places runs after the pass, over their own time range, as an axis known up front places them', () => {
    const timed = fc.record({
      handler: fc.constantFrom('a', 'b', 'c'),
      settledMs: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      beatStartMs: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      durationMs: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
      late: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(timed, { maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (drawn, buckets) => {
        const beats = drawn.map((r, i) => beatRun(`b${i}`, 'r1', { startMs: r.beatStartMs }));
        const runs = drawn.map((r, i) =>
          handlerRun(`h${i}`, r.handler, {
            settledMs: r.settledMs,
            durationMs: r.durationMs,
            settledAfterBeat: r.late,
            beatRunId: `b${i}`,
            sequenceRunId: 'r1',
          }),
        );
        // Sessions without an end: the axis is the runs' own range, found here by a first pass as the store did.
        const sessions = [session('s1', 5, null)];
        const times = runs.flatMap((h, i) => {
          const t = h.settledMs ?? beats[i]!.startMs;
          return t === null ? [] : [t];
        });
        const range = times.length === 0 ? undefined : ([Math.min(...times), Math.max(...times)] as const);
        const upFront = new HandlerRunAggregator(
          ActiveTimeAxis.over(sessions, () => range),
          buckets,
        );
        const later = new HandlerRunAggregator(AXIS_FROM_RUNS, buckets);
        for (const batch of factsOf(runs, beats, [sequenceRun('r1')])) {
          upFront.add(batch);
          later.add(batch);
        }
        later.placePending(sessions);
        expect(later.report(sessions)).toStrictEqual(upFront.report(sessions));
      }),
      { numRuns: 200 },
    );
  });
});
