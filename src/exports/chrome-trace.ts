/**
 * Chrome Trace Event export (JSON Object Format) for Perfetto UI, chrome://tracing and speedscope.
 * Spec: "Trace Event Format" (Google doc, docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).
 *
 * One process per session (`pid`), threads per timeline lane (`tid`): runs, movements and beats share a lane
 * thread and nest (children clamped into their parent, since complete events on one thread must nest);
 * handler runs get their own threads, one per stack row, because async handlers outlive their beat.
 * Errors are thread-scoped instant events. `ts`/`dur` are microseconds since the trace's first timestamp;
 * logs without timestamps use the timeline's log-order axis with one line = 1 ms (metadata says so).
 *
 * Event names are what viewers group by: the sequence name, the movement name, the beat's topic, the handler
 * name; ids, request ids, durations and lines go in `args`. A span that is zero-length after nesting is an
 * instant event (viewers mishandle zero-length complete events), and flow events (`s` → `f`, one id per beat
 * × handler run) link each beat to its handler runs on their own threads.
 */
import { createRequire } from 'node:module';
import { buildTimeline } from '../analyses/timeline.js';
import type { TraceData } from '../analyses/trace-data.js';

/** beatscope's version, from the package.json two levels up (src/exports or dist/exports). */
export const BEATSCOPE_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

export interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: 'X' | 'i' | 'M' | 's' | 'f';
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly s?: 't' | 'p' | 'g';
  /** Flow events: `s` and `f` with the same id are one arrow. */
  readonly id?: number;
  /** Flow end binding: 'e' = the slice enclosing `ts` on the `f` event's thread. */
  readonly bp?: 'e';
  readonly args?: Record<string, unknown>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly metadata: Record<string, unknown>;
  /** Shown by Perfetto and chrome://tracing as the trace's metadata. */
  readonly otherData: ChromeTraceOtherData;
}

export interface ChromeTraceOtherData {
  readonly exporter: 'beatscope';
  readonly version: string;
  /** What the trace was made from (the store path, when the CLI exports). */
  readonly source: string;
}

export interface ChromeTraceOptions {
  /** Recorded in `otherData.source`; default 'beatscope store'. */
  readonly source?: string;
}

/** Axis units (ms or lines) to µs, rounded to 0.001 µs. */
const US = (v: number) => Math.round(v * 1_000_000) / 1000;
/** Threads per lane: +1 = runs/movements/beats, +2.. = handler stack rows (uncapped, so slices never overlap). */
const TIDS_PER_LANE = 10_000;

export function chromeTraceMetadata(data: TraceData, axis: string, originMs: number | null): Record<string, unknown> {
  return {
    source: 'beatscope',
    axis,
    originEpochMs: originMs,
    note:
      axis === 'log-order'
        ? 'The logs carry no timestamps: events are laid out in log order, 1 log line = 1 ms.'
        : 'ts is microseconds since originEpochMs.',
    sessions: data.sessions.length,
    sequenceRuns: data.runs.length,
    beats: data.beats.length,
    handlerRuns: data.handlerRuns.length,
    errors: data.errors.length,
  };
}

export function chromeTraceEvents(
  data: TraceData,
  options: ChromeTraceOptions = {},
): { events: TraceEvent[]; metadata: Record<string, unknown>; otherData: ChromeTraceOtherData } {
  const tl = buildTimeline(data, { maxHandlerRows: TIDS_PER_LANE - 2 });
  const s = tl.strings;
  const str = (i: number) => (i >= 0 ? s[i] : undefined);
  const events: TraceEvent[] = [];
  const meta: TraceEvent[] = [];
  const laneTid = (lane: number) => (lane - (tl.sessions.firstLane[tl.lanes.session[lane]!] ?? 0)) * TIDS_PER_LANE + 1;
  const pidOf = (lane: number) => (tl.lanes.session[lane] ?? 0) + 1;
  tl.sessions.id.forEach((_, si) => {
    meta.push({ name: 'process_name', ph: 'M', ts: 0, pid: si + 1, tid: 0, args: { name: s[tl.sessions.label[si]!] } });
    meta.push({ name: 'process_sort_index', ph: 'M', ts: 0, pid: si + 1, tid: 0, args: { sort_index: si } });
  });
  tl.lanes.session.forEach((_, lane) => {
    const k = laneTid(lane);
    meta.push({
      name: 'thread_name',
      ph: 'M',
      ts: 0,
      pid: pidOf(lane),
      tid: k,
      args: { name: `lane ${(k - 1) / TIDS_PER_LANE + 1} · runs › beats` },
    });
    for (let row = 0; row < tl.lanes.handlerRows[lane]!; row++)
      meta.push({
        name: 'thread_name',
        ph: 'M',
        ts: 0,
        pid: pidOf(lane),
        tid: k + 1 + row,
        args: { name: `lane ${(k - 1) / TIDS_PER_LANE + 1} · handlers ${row + 1}` },
      });
  });

  const runSpan = new Map<string, [number, number]>();
  tl.runs.id.forEach((id, r) => {
    const lane = tl.runs.lane[r]!;
    if (lane < 0) return;
    const [start, end] = [tl.runs.start[r]!, tl.runs.end[r]!];
    runSpan.set(s[id]!, [start, end]);
    events.push({
      name: s[tl.runs.name[r]!]!,
      cat: 'sequence',
      ph: 'X',
      ts: US(start),
      dur: US(end - start),
      pid: pidOf(lane),
      tid: laneTid(lane),
      args: {
        id: s[id],
        status: str(tl.runs.status[r]!),
        plugin: str(tl.runs.plugin[r]!),
        requestId: str(tl.runs.requestId[r]!),
        durationMs: tl.runs.durationMs[r],
        line: tl.runs.line[r],
      },
    });
  });
  const clamp = (span: [number, number], parent: [number, number] | undefined): [number, number] => {
    if (!parent) return span;
    const start = Math.min(Math.max(span[0], parent[0]), parent[1]);
    return [start, Math.max(start, Math.min(span[1], parent[1]))];
  };
  const runIndex = new Map(tl.runs.id.map((id, r) => [s[id]!, r]));
  const movementSpan = new Map<string, [number, number]>();
  for (const mv of data.movements) {
    const r = runIndex.get(mv.sequenceRunId);
    const parent = runSpan.get(mv.sequenceRunId);
    if (r === undefined || !parent || mv.startMs === null || tl.originMs === null) continue;
    const span = clamp([mv.startMs - tl.originMs, (mv.endMs ?? mv.startMs) - tl.originMs], parent);
    movementSpan.set(mv.id, span);
    events.push({
      name: mv.name,
      cat: 'movement',
      ph: 'X',
      ts: US(span[0]),
      dur: US(span[1] - span[0]),
      pid: pidOf(tl.runs.lane[r]!),
      tid: laneTid(tl.runs.lane[r]!),
      args: { id: mv.id, index: mv.index, status: mv.status },
    });
  }
  const movementOfBeat = new Map(data.beats.map((b) => [b.id, b.movementRunId]));
  let start = 0;
  const b = tl.beats;
  /** Per beat index: its (clamped) start, µs, pid and tid, for the flow events. */
  const beatAt: { ts: number; pid: number; tid: number }[] = [];
  for (let i = 0; i < b.startDelta.length; i++) {
    start += b.startDelta[i]!;
    const run = b.run[i]!;
    const runId = run >= 0 ? s[tl.runs.id[run]!]! : null;
    const id = runId === null ? s[b.idSuffix[i]!]! : `${runId}:${s[b.idSuffix[i]!]}`;
    const parent = movementSpan.get(movementOfBeat.get(id) ?? '') ?? (runId === null ? undefined : runSpan.get(runId));
    const span = clamp([start, start + b.length[i]!], parent);
    const handlers = (tl.handlerSets[b.handlerSet[i]!] ?? []).map((h) => s[tl.handlers.name[h]!]);
    beatAt.push({ ts: US(span[0]), pid: pidOf(b.lane[i]!), tid: laneTid(b.lane[i]!) });
    events.push({
      name: str(b.event[i]!) || `beat ${b.beat[i]}`,
      cat: 'beat',
      ph: 'X',
      ts: US(span[0]),
      dur: US(span[1] - span[0]),
      pid: pidOf(b.lane[i]!),
      tid: laneTid(b.lane[i]!),
      args: {
        id,
        event: str(b.event[i]!),
        title: str(b.title[i]!),
        handler: handlers.join(', '),
        plugin: str(b.plugin[i]!),
        beat: b.beat[i],
        durationMs: b.durationMs[i],
        durationSource: str(b.durationSource[i]!),
        requestId: run >= 0 ? str(tl.runs.requestId[run]!) : undefined,
        line: b.line[i],
        failed: (b.flags[i]! & 1) !== 0,
      },
    });
  }
  const h = tl.handlerRuns;
  const flows: TraceEvent[] = [];
  for (let i = 0; i < h.start.length; i++) {
    const lane = h.lane[i]!;
    const from = beatAt[h.beat[i]!];
    if (from) {
      const flow = { name: 'beat → handler', cat: 'flow', id: flows.length / 2 + 1 };
      flows.push({ ...flow, ph: 's', ts: from.ts, pid: from.pid, tid: from.tid });
      flows.push({
        ...flow,
        ph: 'f',
        bp: 'e',
        ts: US(h.start[i]!),
        pid: pidOf(lane),
        tid: laneTid(lane) + 1 + h.row[i]!,
      });
    }
    events.push({
      name: s[tl.handlers.name[h.handler[i]!]!]!,
      cat: (h.flags[i]! & 2) !== 0 ? 'handler,async' : 'handler',
      ph: 'X',
      ts: US(h.start[i]!),
      dur: US(h.end[i]! - h.start[i]!),
      pid: pidOf(lane),
      tid: laneTid(lane) + 1 + h.row[i]!,
      args: {
        id: h.id[i],
        handler: s[tl.handlers.name[h.handler[i]!]!],
        plugin: str(tl.handlers.plugin[h.handler[i]!]!),
        durationMs: h.durationMs[i],
        durationSource: str(h.durationSource[i]!),
        settledAfterBeat: (h.flags[i]! & 2) !== 0,
        status: (h.flags[i]! & 1) !== 0 ? 'error' : 'ok',
      },
    });
  }
  const e = tl.errors;
  for (let i = 0; i < e.at.length; i++)
    events.push({
      name: 'handler error',
      cat: 'error',
      ph: 'i',
      s: 't',
      ts: US(e.at[i]!),
      pid: pidOf(e.lane[i]!),
      tid: laneTid(e.lane[i]!),
      args: {
        handler: str(e.handler[i]!),
        plugin: str(e.plugin[i]!),
        message: str(e.message[i]!),
        frame: str(e.frame[i]!),
      },
    });
  // Sorted by ts, parents (longer) before children at equal ts: what the legacy viewer and streaming readers like.
  events.sort((x, y) => x.ts - y.ts || (y.dur ?? 0) - (x.dur ?? 0));
  nestSlices(events);
  for (const e of events as { ph: string; dur?: number; s?: string }[])
    if (e.ph === 'X' && e.dur === 0) {
      e.ph = 'i';
      e.s = 't';
      delete e.dur;
    }
  events.push(...flows);
  events.sort((x, y) => x.ts - y.ts);
  // ts must not be negative: a handler's start (settle − handler time) can precede the first timestamp.
  const shift = Math.max(0, -(events[0]?.ts ?? 0));
  if (shift > 0) for (const e of events as { ts: number }[]) e.ts = Math.round((e.ts + shift) * 1000) / 1000;
  const origin = tl.originMs === null ? null : tl.originMs - shift / 1000;
  const otherData: ChromeTraceOtherData = {
    exporter: 'beatscope',
    version: BEATSCOPE_VERSION,
    source: options.source ?? 'beatscope store',
  };
  return { events: [...meta, ...events], metadata: chromeTraceMetadata(data, tl.axis, origin), otherData };
}

/**
 * Makes the complete events of each thread nest, as the format requires. Beat starts are envelope timestamps
 * (1 ms resolution) while their lengths are the conductor's 0.01 ms durations, so consecutive beats can
 * overlap by a fraction of a millisecond: an earlier sibling (same category) is cut at the next one's start,
 * and a child that outlives a parent of another category is cut at the parent's end. Events must be sorted.
 */
function nestSlices(events: TraceEvent[]): void {
  const stacks = new Map<string, { e: { ts: number; dur?: number; cat?: string } }[]>();
  for (const e of events as { ph: string; ts: number; dur?: number; cat?: string; pid: number; tid: number }[]) {
    if (e.ph !== 'X') continue;
    const key = `${e.pid}/${e.tid}`;
    const stack = stacks.get(key) ?? [];
    stacks.set(key, stack);
    for (;;) {
      const top = stack.at(-1)?.e;
      if (!top) break;
      const topEnd = top.ts + (top.dur ?? 0);
      if (topEnd <= e.ts) stack.pop();
      else if (e.ts + (e.dur ?? 0) <= topEnd) break;
      else if (top.cat === e.cat) {
        top.dur = Math.max(0, e.ts - top.ts);
        stack.pop();
      } else {
        e.dur = Math.max(0, topEnd - e.ts);
        break;
      }
    }
    stack.push({ e });
  }
}

/** The whole trace as one object; for large traces prefer `writeChromeTrace`, which streams. */
export function toChromeTrace(data: TraceData, options: ChromeTraceOptions = {}): ChromeTrace {
  const { events, metadata, otherData } = chromeTraceEvents(data, options);
  return { traceEvents: events, displayTimeUnit: 'ms', metadata, otherData };
}
