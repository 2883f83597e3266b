import { describe, expect, it } from 'vitest';
import type { BatonDiff, Gap, HandlerError } from '../model/index.js';
import { buildTimeline } from './timeline.js';
import {
  beatRun,
  codeIndex,
  handlerDefinition,
  handlerRun,
  sequenceRun,
  session,
  traceData,
} from './trace-fixtures.js';

const T0 = 1_000_000;

function sample() {
  return traceData({
    sessions: [session('s1', T0, T0 + 1000)],
    runs: [
      sequenceRun('s1:r1', { sessionId: 's1', startMs: T0 + 10, endMs: T0 + 100, durationMs: 90, requestId: 'req-1' }),
      // Overlaps r1: must get its own lane.
      sequenceRun('s1:r2', { sessionId: 's1', sequenceName: 'Nested', startMs: T0 + 50, endMs: T0 + 80 }),
      sequenceRun('s1:r3', { sessionId: 's1', startMs: T0 + 300, endMs: T0 + 320 }),
    ],
    beats: [
      beatRun('s1:r1:b1', 's1:r1', {
        sessionId: 's1',
        startMs: T0 + 10,
        durationMs: 20,
        handlers: ['load'],
        event: 'a:load',
      }),
      beatRun('s1:r1:b2', 's1:r1', {
        sessionId: 's1',
        beat: 2,
        startMs: T0 + 40,
        durationMs: 10,
        handlers: ['notify'],
      }),
      beatRun('s1:r2:b1', 's1:r2', { sessionId: 's1', startMs: T0 + 55, durationMs: 5, handlers: ['nested'] }),
      beatRun('s1:r3:b1', 's1:r3', { sessionId: 's1', startMs: T0 + 300, durationMs: 30, handlers: ['load'] }),
    ],
    handlerRuns: [
      handlerRun('s1:h1', 'load', {
        sessionId: 's1',
        beatRunId: 's1:r1:b1',
        sequenceRunId: 's1:r1',
        settledMs: T0 + 28,
        durationMs: 18,
      }),
      // Async: settles 200 ms after its beat started, after the run completed.
      handlerRun('s1:h2', 'notify', {
        sessionId: 's1',
        beatRunId: 's1:r1:b2',
        sequenceRunId: 's1:r1',
        settledMs: T0 + 240,
        durationMs: 200,
        settledAfterBeat: true,
      }),
      handlerRun('s1:h3', 'load', {
        sessionId: 's1',
        beatRunId: 's1:r3:b1',
        sequenceRunId: 's1:r3',
        settledMs: T0 + 328,
        durationMs: 28,
        status: 'error',
      }),
    ],
  });
}

describe('buildTimeline', () => {
  it('puts overlapping runs in separate lanes and keeps async handlers from beat start to settle time', () => {
    const t = buildTimeline(sample());
    expect(t.axis).toBe('time');
    expect(t.originMs).toBe(T0);
    expect(t.sessions.laneCount).toEqual([2]);
    const runLane = (id: string) => t.runs.lane[t.runs.id.findIndex((s) => t.strings[s] === id)];
    expect(runLane('s1:r1')).toBe(0);
    expect(runLane('s1:r2')).toBe(1);
    // r3 starts after r1's async handler settled (240), so it reuses lane 0.
    expect(runLane('s1:r3')).toBe(0);
    const h2 = t.handlerRuns.id.indexOf('s1:h2');
    expect([t.handlerRuns.start[h2], t.handlerRuns.end[h2], t.handlerRuns.flags[h2]]).toEqual([40, 240, 2]);
  });

  it('sorts beats by start, delta-encodes starts and shares strings', () => {
    const t = buildTimeline(sample());
    let at = 0;
    const starts = t.beats.startDelta.map((d) => (at += d));
    expect(starts).toEqual([10, 40, 55, 300]);
    expect(t.beats.idSuffix.map((s) => t.strings[s])).toEqual(['b1', 'b2', 'b1', 'b1']);
    expect(new Set(t.strings).size).toBe(t.strings.length);
    // Beats 0 and 3 both ran `load`: one handler set.
    expect(t.beats.handlerSet[0]).toBe(t.beats.handlerSet[3]);
    // Bit 1 = failed (its handler threw), bit 2 = an async handler settled after the beat.
    expect(t.beats.flags).toEqual([0, 2, 0, 1]);
  });

  it('computes handler p95 over all runs and beat p95 per handler', () => {
    const t = buildTimeline(sample());
    const load = t.handlers.name.findIndex((s) => t.strings[s] === 'load');
    expect(t.handlers.count[load]).toBe(2);
    expect(t.handlers.p95Ms[load]).toBeCloseTo(18 + 0.95 * 10);
    expect(t.handlers.beatP95Ms[load]).toBeCloseTo(20 + 0.95 * 10);
  });

  it('maps handlers to file:line with a code index', () => {
    const index = codeIndex({
      handlers: [handlerDefinition('load', 'LoadPlugin', { location: { file: 'src/load.ts', line: 12, column: 1 } })],
    });
    const t = buildTimeline(sample(), { codeIndex: index });
    const load = t.handlers.name.findIndex((s) => t.strings[s] === 'load');
    expect(t.strings[t.handlers.location[load]!]).toBe('src/load.ts:12');
  });

  it('keeps baton diffs, errors and gaps', () => {
    const baton: BatonDiff = {
      kind: 'baton-diff',
      id: 'd1',
      sessionId: 's1',
      level: 'handler',
      change: { added: ['items'], updated: [], removed: ['old'] },
      preview: 'x'.repeat(500),
      handler: 'load',
      pluginId: 'LoadPlugin',
      requestId: null,
      event: 'a:load',
      sequenceName: 'Load',
      beat: 1,
      beatRunId: 's1:r1:b1',
      sequenceRunId: 's1:r1',
      timeMs: T0 + 28,
      line: 5,
    };
    const error: HandlerError = {
      kind: 'handler-error',
      id: 'e1',
      sessionId: 's1',
      pluginId: 'LoadPlugin',
      handler: 'load',
      message: 'Error: boom',
      stack: [{ fn: 'load', file: 'src/load.ts', line: 14, column: 3 }],
      beatRunId: 's1:r3:b1',
      sequenceRunId: 's1:r3',
      beatStillCompleted: true,
      timeMs: T0 + 310,
      line: 9,
    };
    const gap: Gap = {
      kind: 'gap',
      sessionId: 's1',
      startMs: T0 + 100,
      endMs: T0 + 300,
      durationMs: 200,
      beforeLine: 7,
      afterLine: 8,
    };
    const t = buildTimeline({ ...sample(), batons: [baton], errors: [error], gaps: [gap] }, { previewChars: 20 });
    expect(t.batons.beat).toEqual([0]);
    expect(t.batons.added[0]!.map((s) => t.strings[s])).toEqual(['items']);
    expect(t.strings[t.batons.preview[0]!]).toHaveLength(20);
    expect(t.errors.at).toEqual([310]);
    expect(t.errors.beat).toEqual([3]);
    expect(t.strings[t.errors.frame[0]!]).toBe('src/load.ts:14');
    expect([t.gaps.start, t.gaps.end]).toEqual([[100], [300]]);
  });

  it('lays out logs without timestamps in log order', () => {
    const span = (startLine: number, endLine: number) => ({ fileId: 'f1', startLine, endLine });
    const data = traceData({
      sessions: [{ ...session('s1', null, null), startLine: 1, endLine: 40 }],
      runs: [
        sequenceRun('s1:r1', { sessionId: 's1', span: span(3, 20), durationMs: 12, durationSource: 'beat-executor' }),
      ],
      beats: [
        beatRun('s1:r1:b1', 's1:r1', { sessionId: 's1', span: span(5, 8), durationMs: 4 }),
        beatRun('s1:r1:b2', 's1:r1', { sessionId: 's1', span: span(10, 15) }),
      ],
    });
    const t = buildTimeline(data);
    expect(t.axis).toBe('log-order');
    expect(t.originMs).toBeNull();
    expect([t.runs.start[0], t.runs.end[0]]).toEqual([2, 20]);
    expect(t.beats.startDelta).toEqual([4, 5]);
    expect(t.beats.length).toEqual([4, 6]);
    expect(t.untimedBeats).toBe(0);
  });
});
