import { describe, expect, it } from 'vitest';
import { analyzeHandlerPerformance } from './handler-performance.js';
import {
  beatRun,
  codeIndex,
  handlerDefinition,
  handlerRun,
  sequenceRun,
  session,
  traceData,
} from './trace-fixtures.js';

// Two sessions. Beat b2 ran two handlers: notify (awaited, 5 ms) and syncAsync, which settled 100 ms after the
// beat completed, so it has a handler time but gives b2 no overhead. h5 has no timestamps at all.
const timed = { durationSource: 'timestamps' as const };
const perf = { durationSource: 'performance-tracker' as const };
const data = traceData({
  sessions: [session('s1', 1000, 2000), session('s2', 5000, 6000)],
  runs: [sequenceRun('r1'), sequenceRun('r2', { sessionId: 's2', sequenceName: 'Save', sequenceId: 'save-symphony' })],
  beats: [
    beatRun('b1', 'r1', { startMs: 1005, durationMs: 30, ...perf }),
    beatRun('b2', 'r1', { beat: 2, position: 2, startMs: 1035, durationMs: 20, ...perf }),
    beatRun('b3', 'r2', { sessionId: 's2', startMs: 5005, durationMs: 50, ...perf }),
  ],
  handlerRuns: [
    handlerRun('h1', 'loadData', { beatRunId: 'b1', sequenceRunId: 'r1', settledMs: 1030, durationMs: 25, ...timed }),
    handlerRun('h2', 'notify', { beatRunId: 'b2', sequenceRunId: 'r1', settledMs: 1040, durationMs: 5, ...timed }),
    handlerRun('h3', 'loadData', {
      sessionId: 's2',
      beatRunId: 'b3',
      sequenceRunId: 'r2',
      settledMs: 5050,
      durationMs: 45,
      ...timed,
    }),
    handlerRun('h4', 'syncAsync', {
      beatRunId: 'b2',
      sequenceRunId: 'r1',
      settledMs: 1155,
      durationMs: 120,
      settledAfterBeat: true,
      ...timed,
    }),
    handlerRun('h5', 'loadData', { sessionId: 's2', status: 'error' }),
  ],
});
const code = codeIndex({
  handlers: [handlerDefinition('loadData', 'LoadPlugin'), handlerDefinition('notify', 'OtherPlugin')],
});

const stats = (
  count: number,
  min: number,
  max: number,
  avg: number,
  p50: number,
  p95: number,
  p99: number,
  total: number,
) => ({
  count,
  min,
  max,
  avg,
  p50,
  p95,
  p99,
  total,
});
const none = { count: 0, min: null, max: null, avg: null, p50: null, p95: null, p99: null, total: 0 };
const sources = (counts: Partial<Record<string, number>>) => ({
  'performance-tracker': 0,
  'beat-executor': 0,
  'eventbus-trace': 0,
  timestamps: 0,
  none: 0,
  ...counts,
});

describe('analyzeHandlerPerformance', () => {
  const report = analyzeHandlerPerformance(data, code, { top: 2, buckets: 2 });

  it('keeps handler time, beat time and overhead apart per handler', () => {
    expect(report.handlers).toEqual([
      {
        name: 'loadData',
        plugin: 'LoadPlugin',
        executions: 3,
        timedExecutions: 2,
        errors: 1,
        settledAfterBeat: 0,
        timing: stats(2, 25, 45, 35, 35, 44, 44.8, 70),
        settleTiming: none,
        beatTiming: stats(2, 30, 50, 40, 40, 49, 49.8, 80),
        overhead: stats(2, 5, 5, 5, 5, 5, 5, 10),
        durationSources: { handler: sources({ timestamps: 2, none: 1 }), beat: sources({ 'performance-tracker': 2 }) },
        totalTime: 70,
        share: 0.9333,
        sourceFile: 'src/loadData.ts',
        sourceLine: 3,
        sequences: ['Load', 'Save'],
        // 25 ms in [24, 32), 45 ms in [32, 48): the bins between the two, none here, would be listed with count 0.
        histogram: [
          { fromMs: 24, toMs: 32, count: 1 },
          { fromMs: 32, toMs: 48, count: 1 },
        ],
        // h5 ran in s2 without a duration: an execution of that session, not in its p95.
        p95BySession: [
          { sessionId: 's1', startMs: 1000, executions: 1, timedExecutions: 1, p95: 25 },
          { sessionId: 's2', startMs: 5000, executions: 2, timedExecutions: 1, p95: 45 },
        ],
      },
      {
        name: 'notify',
        plugin: 'LoadPlugin',
        executions: 1,
        timedExecutions: 1,
        errors: 0,
        settledAfterBeat: 0,
        timing: stats(1, 5, 5, 5, 5, 5, 5, 5),
        settleTiming: none,
        beatTiming: stats(1, 20, 20, 20, 20, 20, 20, 20),
        // b2 also ran syncAsync, but the beat did not wait for it: 20 − 5.
        overhead: stats(1, 15, 15, 15, 15, 15, 15, 15),
        durationSources: { handler: sources({ timestamps: 1 }), beat: sources({ 'performance-tracker': 1 }) },
        totalTime: 5,
        share: 0.0667,
        // notify is defined for another plugin only: no source location rather than a wrong one.
        sourceFile: null,
        sourceLine: null,
        sequences: ['Load'],
        histogram: [{ fromMs: 4, toMs: 6, count: 1 }],
        p95BySession: [{ sessionId: 's1', startMs: 1000, executions: 1, timedExecutions: 1, p95: 5 }],
      },
      {
        // Settled 100 ms after its beat: a settle bound, kept out of handler time and ranked after timed handlers.
        name: 'syncAsync',
        plugin: 'LoadPlugin',
        executions: 1,
        timedExecutions: 0,
        errors: 0,
        settledAfterBeat: 1,
        timing: none,
        settleTiming: stats(1, 120, 120, 120, 120, 120, 120, 120),
        beatTiming: stats(1, 20, 20, 20, 20, 20, 20, 20),
        overhead: none,
        durationSources: { handler: sources({ timestamps: 1 }), beat: sources({ 'performance-tracker': 1 }) },
        totalTime: 0,
        share: 0,
        sourceFile: null,
        sourceLine: null,
        sequences: ['Load'],
        // Its only run is async: no handler time to bin, a session point without a p95.
        histogram: [],
        p95BySession: [{ sessionId: 's1', startMs: 1000, executions: 1, timedExecutions: 0, p95: null }],
      },
    ]);
  });

  it('summarises, ranks the top N by p95 and explains itself', () => {
    expect(report.slowest).toEqual([
      { name: 'loadData', plugin: 'LoadPlugin', p95: 44, executions: 3 },
      { name: 'notify', plugin: 'LoadPlugin', p95: 5, executions: 1 },
    ]);
    expect(report.summary).toEqual({
      totalHandlers: 3,
      totalExecutions: 5,
      timedExecutions: 3,
      asyncExecutions: 1,
      untimedExecutions: 1,
      totalTime: 75,
      slowestHandler: 'loadData',
      slowestHandlerPlugin: 'LoadPlugin',
      fastestHandler: 'notify',
      fastestHandlerPlugin: 'LoadPlugin',
      beatsWithHandlers: 3,
      beatTime: 100,
      overheadTime: 25,
      overheadShare: 0.25,
      durationSources: { handler: sources({ timestamps: 4, none: 1 }), beat: sources({ 'performance-tracker': 3 }) },
    });
    expect(report.notes).toEqual([
      '1 handler execution(s) had no timestamps: counted in executions, not in timing',
      '1 handler execution(s) settled after their beat completed (async): their times are upper bounds, in settleTiming, not in timing',
    ]);
    expect(report.codeIndex).toBe(true);
  });

  it('groups per sequence × handler', () => {
    expect(report.bySequence.map((r) => [r.sequence, r.sequenceId, r.name, r.executions, r.timing.p95])).toEqual([
      // h5 has no sequence run: its DataBaton `seq=` name files it under Load.
      ['Load', 'load-symphony', 'loadData', 2, 25],
      ['Load', 'load-symphony', 'notify', 1, 5],
      ['Load', 'load-symphony', 'syncAsync', 1, null],
      ['Save', 'save-symphony', 'loadData', 1, 45],
    ]);
  });

  it('cuts the sessions active time (idle time between sessions left out) into buckets with drill-down ids per cell', () => {
    const cell = (p95: number | null, ids: string[], settleP95: number | null = null) => ({
      executions: ids.length,
      timedExecutions: p95 === null ? 0 : ids.length,
      p95,
      settleP95,
      executionIds: ids,
      truncated: false,
    });
    expect(report.matrix).toEqual({
      startMs: 1000,
      endMs: 6000,
      bucketWidthMs: 1000,
      buckets: [
        { index: 0, startMs: 1000, endMs: 2000, sessionIds: ['s1'] },
        { index: 1, startMs: 5000, endMs: 6000, sessionIds: ['s2'] },
      ],
      rows: [
        { name: 'loadData', plugin: 'LoadPlugin', cells: [cell(25, ['h1']), cell(45, ['h3'])] },
        { name: 'notify', plugin: 'LoadPlugin', cells: [cell(5, ['h2']), null] },
        { name: 'syncAsync', plugin: 'LoadPlugin', cells: [cell(null, ['h4'], 120), null] },
      ],
      maxP95: 45,
      unplacedExecutions: 1,
    });
  });

  it('ranks handlers without handler-level timings by their beat time, not by name', () => {
    // As in the Chrome corpus logs without DataBaton lines: beats report durations, handlers never settle.
    const untimed = traceData({
      sessions: [session('s1', 1000, 2000)],
      runs: [sequenceRun('r1')],
      beats: [
        beatRun('b1', 'r1', { startMs: 1005, durationMs: 8, ...perf }),
        beatRun('b2', 'r1', { beat: 2, position: 2, startMs: 1015, durationMs: 14.5, ...perf }),
      ],
      handlerRuns: [
        handlerRun('h1', 'initConfig', { beatRunId: 'b1', sequenceRunId: 'r1' }),
        handlerRun('h2', 'renderView', { beatRunId: 'b2', sequenceRunId: 'r1' }),
        handlerRun('h3', 'aFirstByName', { sequenceRunId: 'r1' }),
      ],
    });
    const ranked = analyzeHandlerPerformance(untimed).handlers;
    expect(ranked.map((h) => [h.name, h.timing.p95, h.beatTiming.p95])).toEqual([
      ['renderView', null, 14.5],
      ['initConfig', null, 8],
      ['aFirstByName', null, null],
    ]);
  });

  it('works without code and without any handler run', () => {
    const empty = analyzeHandlerPerformance(traceData({}));
    expect(empty.handlers).toEqual([]);
    expect(empty.summary.slowestHandler).toBeNull();
    expect(empty.matrix).toEqual({
      startMs: null,
      endMs: null,
      bucketWidthMs: 0,
      buckets: [],
      rows: [],
      maxP95: null,
      unplacedExecutions: 0,
    });
    expect(empty.notes).toEqual(['no code index: sourceFile/sourceLine are null (pass --code)']);
  });
});
