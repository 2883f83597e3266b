/**
 * The OTLP export of logs made by the real conductor (the demo simulator, 2 sessions, indexed code), read back
 * through the official opentelemetry-proto schema (test/otlp/otlp-proto.ts): every key survives the protobuf
 * round trip, ids have the schema's sizes and come from the store's ids, times are Unix nanoseconds, spans nest
 * run › movement › beat › handler run, errors are exception events on ERROR spans. Logs without times: left out,
 * and counted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTrace, demoTrace } from '../../test/demo/demo-trace.js';
import { protoRoundTrip } from '../../test/otlp/otlp-proto.js';
import { beatRun, handlerRun, sequenceRun, session, traceData } from '../analyses/trace-fixtures.js';
import type { MovementRun } from '../model/index.js';
import { otlpSpanId, otlpTraceId, toOtlp } from './otlp.js';
import type { OtlpKeyValue, OtlpSpan, OtlpTraceRequest } from './otlp-types.js';
import { writeOtlp } from './otlp-write.js';

let demo: DemoTrace;
let request: OtlpTraceRequest;
let spans: OtlpSpan[];
beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 7 });
  const out = toOtlp(demo.data, { codeIndex: demo.code, files: demo.files });
  request = JSON.parse(JSON.stringify(out.request)) as OtlpTraceRequest;
  spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}, 120_000);
afterAll(() => demo?.cleanup());

const attr = (list: readonly OtlpKeyValue[], key: string) => {
  const v = list.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.boolValue ?? (v?.intValue === undefined ? v?.doubleValue : Number(v.intValue));
};
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

describe('OTLP export of real conductor logs', () => {
  it('is an ExportTraceServiceRequest of the official schema: nothing is lost in a protobuf round trip', () => {
    const { json, wireBytes } = protoRoundTrip(request);
    expect(json).toEqual(request);
    expect(wireBytes).toBeGreaterThan(spans.length * 100);
  });

  it('the schema check catches what a collector would refuse', () => {
    const span = spans[0]!;
    const withSpan = (s: object) => ({ resourceSpans: [{ scopeSpans: [{ spans: [s] }] }] });
    expect(() => protoRoundTrip(withSpan({ ...span, traceId: span.traceId.slice(2) }))).toThrow(/traceId/);
    expect(() => protoRoundTrip(withSpan({ ...span, spanId: 'AAECAwQFBgc=' }))).toThrow(/spanId/);
    expect(protoRoundTrip(withSpan({ ...span, startTimeMs: 1 })).json).toEqual(withSpan(span));
  });

  it('makes one trace per sequence run, one resource per session, every run, movement, beat and handler run a span', () => {
    const { data } = demo;
    expect(request.resourceSpans).toHaveLength(data.sessions.length);
    expect(spans).toHaveLength(data.runs.length + data.movements.length + data.beats.length + data.handlerRuns.length);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(data.runs.length);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    // Resources go by session start, runs within a session in log order.
    const pairs = (list: [string, string][]) => list.sort((a, b) => a[0].localeCompare(b[0]));
    expect(pairs(roots.map((s) => [s.traceId, s.name]))).toEqual(
      pairs(data.runs.map((r) => [otlpTraceId(r.id), r.sequenceName])),
    );
    const resource = request.resourceSpans[0]!.resource.attributes;
    const first = [...data.sessions].sort((a, b) => a.startMs! - b.startMs!)[0]!;
    expect(attr(resource, 'session.id')).toBe(first.id);
    expect(attr(resource, 'service.name')).toBe('musical-conductor-app');
    expect(attr(resource, 'log.file.path')).toBe(demo.files.find((f) => f.fileId === first.fileId)!.path);
    expect(request.resourceSpans[0]!.scopeSpans[0]!.scope).toEqual({ name: 'beatscope', version: '0.1.0' });
  });

  it('nests run › movement › beat › handler run, ids derived from the store ids, within one trace', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const s of spans) {
      if (s.parentSpanId === undefined) continue;
      expect(byId.get(s.parentSpanId)?.traceId).toBe(s.traceId);
    }
    const beat = demo.data.beats.find((b) => b.movementRunId !== null && b.handlers.length > 0)!;
    const beatSpan = byId.get(otlpSpanId(beat.id))!;
    expect(beatSpan.parentSpanId).toBe(otlpSpanId(beat.movementRunId!));
    expect(byId.get(otlpSpanId(beat.movementRunId!))!.parentSpanId).toBe(otlpSpanId(beat.sequenceRunId!));
    expect(beatSpan.traceId).toBe(otlpTraceId(beat.sequenceRunId!));
    expect(beatSpan.name).toBe(beat.event);
    expect(attr(beatSpan.attributes, 'conductor.beat.number')).toBe(beat.beat);
    expect(attr(beatSpan.attributes, 'beatscope.log.line')).toBe(beat.span.startLine);
    const h = demo.data.handlerRuns.find((x) => x.beatRunId === beat.id)!;
    const handlerSpan = byId.get(otlpSpanId(h.id))!;
    expect(handlerSpan.parentSpanId).toBe(beatSpan.spanId);
    expect(handlerSpan.name).toBe(h.handler);
    expect(attr(handlerSpan.attributes, 'conductor.plugin')).toBe(h.pluginId);
    expect(attr(handlerSpan.attributes, 'conductor.event')).toBe(h.event);
    expect(attr(handlerSpan.attributes, 'beatscope.log.line')).toBe(h.line);
  });

  it('gives Unix nanosecond times as decimal strings, from the log: start ≤ end, runs as printed', () => {
    for (const s of spans) {
      expect(s.startTimeUnixNano).toMatch(/^[1-9]\d{18}$/);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    const run = demo.data.runs[0]!;
    const root = spans.find((s) => s.spanId === otlpSpanId(run.id))!;
    expect([root.startTimeUnixNano, root.endTimeUnixNano]).toEqual([nanos(run.startMs!), nanos(run.endMs!)]);
    expect(attr(root.attributes, 'conductor.request.id')).toBe(run.requestId);
    expect(attr(root.attributes, 'conductor.sequence.id')).toBe(run.sequenceId);
    expect(attr(root.attributes, 'beatscope.duration_ms')).toBe(run.durationMs);
    // A handler span ends at its settle line and lasts its handler time.
    const h = demo.data.handlerRuns.find((x) => x.durationMs !== null && x.durationMs > 0)!;
    const span = spans.find((s) => s.spanId === otlpSpanId(h.id))!;
    expect(span.endTimeUnixNano).toBe(nanos(h.settledMs!));
    expect(Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6).toBeCloseTo(h.durationMs!, 6);
  });

  it('records each handler error as an exception event on its handler run, with status ERROR', () => {
    const { errors } = demo.data;
    expect(errors.length).toBeGreaterThan(0);
    const withEvents = spans.filter((s) => s.events?.length);
    expect(withEvents.flatMap((s) => s.events!)).toHaveLength(errors.length);
    const error = errors[0]!;
    const span = withEvents.find((s) => s.events!.some((e) => attr(e.attributes, 'beatscope.id') === error.id))!;
    expect(span.name).toBe(error.handler);
    expect(span.status).toEqual({ code: 2, message: error.message });
    const event = span.events!.find((e) => attr(e.attributes, 'beatscope.id') === error.id)!;
    expect(event.name).toBe('exception');
    expect(event.timeUnixNano).toBe(nanos(error.timeMs!));
    expect(attr(event.attributes, 'exception.message')).toBe(error.message);
    expect(attr(event.attributes, 'exception.type')).toBe('Error');
    expect(attr(event.attributes, 'exception.stacktrace')).toContain(
      `at ${error.stack[0]!.fn} (${error.stack[0]!.file}:`,
    );
    const failing = new Set(demo.truth.failingHandlers.map((f) => f.handler));
    expect(
      spans
        .filter((s) => s.status)
        .every((s) => failing.has(s.name) || attr(s.attributes, 'conductor.status') === 'failed'),
    ).toBe(true);
  });

  it("gives handler spans the code index's file:line", () => {
    const { slowHandler } = demo.truth;
    const span = spans.find((s) => s.name === slowHandler.handler && s.parentSpanId)!;
    expect(attr(span.attributes, 'code.file.path')).toBe(
      'plugins/canvas-component/src/symphonies/arrange/arrange.layout.ts',
    );
    expect(Number.isInteger(attr(span.attributes, 'code.line.number'))).toBe(true);
    const bare = toOtlp(demo.data).request.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(bare.some((s) => s.attributes.some((a) => a.key.startsWith('code.file')))).toBe(false);
  });

  it('is deterministic: the same store gives the same file', () => {
    expect(JSON.parse(JSON.stringify(toOtlp(demo.data, { codeIndex: demo.code, files: demo.files }).request))).toEqual(
      request,
    );
  });
});

describe('OTLP export of runs with unknown times', () => {
  const T0 = 1_700_000_000_000;
  const movement = (id: string, runId: string, startMs: number | null): MovementRun => ({
    kind: 'movement-run',
    id,
    sequenceRunId: runId,
    sessionId: 's1',
    name: 'Load',
    index: 1,
    total: 1,
    declaredBeats: 1,
    status: 'completed',
    startMs,
    endMs: null,
    durationMs: null,
    durationSource: 'none',
    span: { fileId: 'f1', startLine: 3, endLine: 9 },
  });
  const data = traceData({
    sessions: [session('s1', T0, null)],
    runs: [
      sequenceRun('s1:r1', { startMs: T0, endMs: null, durationMs: null, status: 'incomplete' }),
      sequenceRun('s1:r2', { startMs: null, endMs: null, durationMs: null }),
    ],
    movements: [movement('s1:r1:m1', 's1:r1', null)],
    beats: [
      beatRun('s1:r1:b1', 's1:r1', { movementRunId: 's1:r1:m1', startMs: T0 + 10, endMs: T0 + 30.25 }),
      beatRun('s1:r2:b1', 's1:r2', { startMs: null }),
    ],
    handlerRuns: [
      // No handler time: starts with its beat. No settle time: left out.
      handlerRun('s1:h1', 'load', {
        beatRunId: 's1:r1:b1',
        sequenceRunId: 's1:r1',
        settledMs: T0 + 50,
        durationMs: null,
      }),
      handlerRun('s1:h2', 'load', { beatRunId: 's1:r1:b1', sequenceRunId: 's1:r1', settledMs: null, durationMs: null }),
    ],
  });
  const { request, stats } = toOtlp(data);
  const list = request.resourceSpans[0]!.scopeSpans[0]!.spans;

  it('leaves out what has no start, counts it, and hangs children on the nearest timed ancestor', () => {
    expect(stats).toEqual({
      traces: 1,
      spans: 3,
      events: 0,
      leftOut: { runs: 1, movements: 1, beats: 1, handlerRuns: 1, errors: 0 },
    });
    expect(protoRoundTrip(request).json).toEqual(JSON.parse(JSON.stringify(request)));
    const [run, beat, handler] = list;
    expect(beat!.parentSpanId).toBe(run!.spanId);
    expect(handler!.parentSpanId).toBe(beat!.spanId);
    expect([beat!.startTimeUnixNano, beat!.endTimeUnixNano]).toEqual([nanos(T0 + 10), '1700000000030250000']);
    expect([handler!.startTimeUnixNano, handler!.endTimeUnixNano]).toEqual([nanos(T0 + 10), nanos(T0 + 50)]);
  });

  it('ends a span whose end the log does not give at its latest child, and says so', () => {
    const run = list[0]!;
    expect([run.startTimeUnixNano, run.endTimeUnixNano]).toEqual([nanos(T0), nanos(T0 + 50)]);
    expect(attr(run.attributes, 'beatscope.end_unknown')).toBe(true);
    expect(attr(list[1]!.attributes, 'beatscope.end_unknown')).toBeUndefined();
  });
});

describe('writeOtlp', () => {
  it('streams the same request to a file, on one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beatscope-otlp-'));
    try {
      const path = join(dir, 'traces.json');
      const written = await writeOtlp(path, demo.data, { codeIndex: demo.code, files: demo.files });
      const text = await readFile(path, 'utf8');
      expect(text.split('\n')).toHaveLength(2);
      expect(JSON.parse(text)).toEqual(request);
      expect(written).toMatchObject({
        traces: demo.data.runs.length,
        spans: spans.length,
        bytes: Buffer.byteLength(text),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
