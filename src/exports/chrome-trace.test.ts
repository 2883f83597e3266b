import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceData } from '../analyses/trace-data.js';
import { beatRun, handlerRun, sequenceRun, session, traceData } from '../analyses/trace-fixtures.js';
import type { HandlerError } from '../model/index.js';
import { type ChromeTrace, toChromeTrace } from './chrome-trace.js';
import { checkTraceEventFormat } from './chrome-trace-check.js';
import { writeChromeTrace } from './chrome-trace-write.js';

const T0 = 5_000;

function sample(): TraceData {
  const error: HandlerError = {
    kind: 'handler-error',
    id: 's1:e9',
    sessionId: 's1',
    pluginId: 'LoadPlugin',
    handler: 'load',
    message: 'Error: boom',
    stack: [],
    beatRunId: 's1:r1:b1',
    sequenceRunId: 's1:r1',
    beatStillCompleted: true,
    timeMs: T0 + 15,
    line: 9,
  };
  return traceData({
    sessions: [session('s1', T0, T0 + 500)],
    runs: [
      sequenceRun('s1:r1', { sessionId: 's1', startMs: T0, endMs: T0 + 50, requestId: 'req-1' }),
      sequenceRun('s1:r2', { sessionId: 's1', startMs: T0 + 20, endMs: T0 + 40 }),
    ],
    beats: [
      // Its printed duration runs past the run end: the export clamps it into its parent.
      beatRun('s1:r1:b1', 's1:r1', {
        sessionId: 's1',
        startMs: T0 + 10,
        durationMs: 45,
        handlers: ['load'],
        event: 'e:load',
      }),
      beatRun('s1:r2:b1', 's1:r2', { sessionId: 's1', startMs: T0 + 20, durationMs: 5, handlers: ['nested'] }),
    ],
    handlerRuns: [
      handlerRun('s1:h1', 'load', {
        sessionId: 's1',
        beatRunId: 's1:r1:b1',
        settledMs: T0 + 200,
        durationMs: 190,
        settledAfterBeat: true,
      }),
      handlerRun('s1:h2', 'other', { sessionId: 's1', beatRunId: 's1:r1:b1', settledMs: T0 + 30, durationMs: 20 }),
      handlerRun('s1:h3', 'nested', { sessionId: 's1', beatRunId: 's1:r2:b1', settledMs: T0 + 24, durationMs: 4 }),
    ],
    errors: [error],
  });
}

describe('toChromeTrace', () => {
  it('follows the Trace Event Format and round-trips the counts', () => {
    const trace = JSON.parse(JSON.stringify(toChromeTrace(sample()))) as ChromeTrace;
    expect(checkTraceEventFormat(trace)).toEqual([]);
    const count = (cat: string) =>
      trace.traceEvents.filter((e) => e.cat === cat || e.cat?.startsWith(`${cat},`)).length;
    expect([count('sequence'), count('beat'), count('handler'), count('error')]).toEqual([2, 2, 3, 1]);
    expect(trace.metadata).toMatchObject({
      sessions: 1,
      sequenceRuns: 2,
      beats: 2,
      handlerRuns: 3,
      errors: 1,
      axis: 'time',
    });
    const beat = trace.traceEvents.find((e) => e.cat === 'beat' && e.args?.['event'] === 'e:load')!;
    expect(beat).toMatchObject({
      ph: 'X',
      ts: 10_000,
      dur: 40_000,
      pid: 1,
      args: { id: 's1:r1:b1', handler: 'load, other', requestId: 'req-1' },
    });
    const async = trace.traceEvents.find((e) => e.name === 'load' && e.cat === 'handler,async')!;
    expect([async.ts, async.dur]).toEqual([10_000, 190_000]);
    const names = trace.traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'thread_name')
      .map((e) => e.args?.['name']);
    expect(names).toContain('lane 2 · runs › beats');
  });

  it('names events by topic and handler, ids in args, one flow from each beat to each of its handler runs', () => {
    const trace = toChromeTrace(sample(), { source: 'telemetry.duckdb' });
    expect(trace.otherData).toEqual({ exporter: 'beatscope', version: '0.1.0', source: 'telemetry.duckdb' });
    const beats = trace.traceEvents.filter((e) => e.cat === 'beat');
    expect(beats.map((e) => [e.name, e.args?.['id']])).toEqual([
      ['e:load', 's1:r1:b1'],
      ['beat 1', 's1:r2:b1'],
    ]);
    const handlers = trace.traceEvents.filter((e) => e.cat?.startsWith('handler'));
    expect(handlers.map((e) => [e.name, e.args?.['id']]).sort()).toEqual([
      ['load', 's1:h1'],
      ['nested', 's1:h3'],
      ['other', 's1:h2'],
    ]);
    expect(trace.traceEvents.find((e) => e.cat === 'error')!.name).toBe('handler error');
    const starts = trace.traceEvents.filter((e) => e.ph === 's');
    const ends = trace.traceEvents.filter((e) => e.ph === 'f');
    expect(starts.map((e) => e.id).sort()).toEqual([1, 2, 3]);
    // Each flow starts at its beat (same thread and ts) and ends inside its handler's slice.
    for (const f of ends) {
      const s = starts.find((x) => x.id === f.id)!;
      expect(beats.some((b) => b.ts === s.ts && b.tid === s.tid)).toBe(true);
      const handler = handlers.find((h) => h.tid === f.tid && h.ts === f.ts)!;
      expect(handler).toBeDefined();
    }
  });

  it('writes a zero-length span as an instant event, not a zero-length complete event', () => {
    const data = sample();
    const zero = { ...data, beats: data.beats.map((b, i) => (i === 1 ? { ...b, durationMs: 0 } : b)) };
    const trace = toChromeTrace(zero);
    expect(checkTraceEventFormat(trace)).toEqual([]);
    const beat = trace.traceEvents.find((e) => e.args?.['id'] === 's1:r2:b1')!;
    expect([beat.ph, beat.s, beat.dur]).toEqual(['i', 't', undefined]);
    expect(trace.traceEvents.some((e) => e.ph === 'X' && e.dur === 0)).toBe(false);
  });

  it('the checker reports ids in names, zero-length slices, lone flow events and a missing otherData', () => {
    const trace = toChromeTrace(sample());
    const slice = trace.traceEvents.find((e) => e.ph === 'X' && e.cat === 'beat')!;
    const flow = trace.traceEvents.find((e) => e.ph === 's')!;
    const broken: ChromeTrace = {
      ...trace,
      otherData: undefined as never,
      traceEvents: [
        ...trace.traceEvents.filter((e) => e !== flow),
        { ...slice, name: `beat ${slice.args?.['id']}` },
        { ...slice, dur: 0 },
      ],
    };
    expect(checkTraceEventFormat(broken)).toEqual([
      'otherData must give version and source',
      expect.stringMatching(/name carries its id$/),
      expect.stringMatching(/dur must be > 0/),
      `flow ${flow.id}: 0 starts and 1 ends`,
    ]);
  });

  it('streams the same JSON to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beatscope-trace-'));
    try {
      const path = join(dir, 'trace.json');
      const { events } = await writeChromeTrace(path, sample());
      const written = JSON.parse(await readFile(path, 'utf8')) as ChromeTrace;
      expect(written).toEqual(JSON.parse(JSON.stringify(toChromeTrace(sample()))));
      expect(written.traceEvents).toHaveLength(events);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
