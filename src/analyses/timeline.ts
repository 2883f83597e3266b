/**
 * The execution timeline as compact column data for the timeline page: sessions → lanes (one per set of
 * non-overlapping runs, so concurrent runs get their own sub-lane) → runs, beats and handler runs, plus gaps
 * and errors. Strings go through one table and every entity kind is a set of parallel column arrays, so
 * 100,000 beats stay a few MB of JSON. Beats and handler runs are sorted by start: the client binary-searches.
 *
 * Axis: `time` = milliseconds since `originMs` (epoch ms). Logs without timestamps get the `log-order` axis:
 * each session's lines laid end to end, one unit per physical line, so order is kept but lengths are lines.
 */
import type { BeatRun, CodeIndex, HandlerRun } from '../model/index.js';
import { percentile } from './percentile.js';
import {
  columns,
  encodeBatons,
  encodeErrors,
  encodeHandlerRuns,
  encodeRuns,
  StringTable,
  suffixOf,
} from './timeline-encode.js';
import type { TimelineAxis, TimelineData, TimelineOptions } from './timeline-types.js';
import type { TraceData } from './trace-data.js';

export type { TimelineAxis, TimelineData, TimelineOptions } from './timeline-types.js';

type Span = [number, number];
const round = (x: number) => Math.round(x * 1000) / 1000;
const handlerKey = (plugin: string | null, name: string) => `${plugin ?? ''}\u0000${name}`;

/** Where things sit on the axis. A time axis when at least half the runs and beats carry timestamps. */
function layout(data: TraceData) {
  const timed =
    data.beats.filter((b) => b.startMs !== null).length + data.runs.filter((r) => r.startMs !== null).length;
  const axis: TimelineAxis = timed > 0 && timed * 2 >= data.beats.length + data.runs.length ? 'time' : 'log-order';
  const origin = axis === 'time' ? minTime(data) : null;
  const lineOffset = new Map<string, number>();
  let offset = 0;
  for (const s of data.sessions) {
    lineOffset.set(s.id, offset - s.startLine);
    offset += s.endLine - s.startLine + 1;
  }
  const at = (sessionId: string, ms: number | null, line: number): number | null =>
    origin !== null ? (ms === null ? null : round(ms - origin)) : (lineOffset.get(sessionId) ?? 0) + line;

  const runSpan = new Map<string, Span>();
  for (const r of data.runs) {
    const start = at(r.sessionId, r.startMs, r.span.startLine);
    if (start === null) continue;
    const end = at(r.sessionId, r.endMs, r.span.endLine + 1) ?? start + (r.durationMs ?? 0);
    runSpan.set(r.id, [start, Math.max(start, end)]);
  }
  const beatSpan = new Map<string, Span>();
  let untimedBeats = 0;
  for (const b of data.beats) {
    let start = at(b.sessionId, b.startMs, b.span.startLine);
    if (start === null && b.sequenceRunId !== null) start = runSpan.get(b.sequenceRunId)?.[0] ?? null;
    if (start === null) {
      untimedBeats++;
      continue;
    }
    // Time axis: the conductor's duration (more precise than the envelope's ms timestamps) sets the length.
    const end =
      origin === null
        ? at(b.sessionId, null, b.span.endLine + 1)!
        : b.durationMs !== null
          ? start + b.durationMs
          : (at(b.sessionId, b.endMs, 0) ?? start);
    beatSpan.set(b.id, [start, Math.max(start, round(end))]);
  }
  /** Beat start (or settle − handler time) to settle: async handlers reach past their beat. */
  const handlerSpan = (h: HandlerRun): Span | null => {
    const beat = h.beatRunId === null ? undefined : beatSpan.get(h.beatRunId);
    const settled = at(h.sessionId, h.settledMs, h.line + 1);
    if (settled === null) return beat ?? null;
    const start = origin !== null && h.durationMs !== null ? round(settled - h.durationMs) : (beat?.[0] ?? settled);
    return [Math.min(start, settled), settled];
  };
  return { axis, origin, at, runSpan, beatSpan, handlerSpan, untimedBeats };
}

type Layout = ReturnType<typeof layout>;

/** Greedy interval partitioning per session of runs (extended to their async handlers) and run-less beats. */
function assignLanes(data: TraceData, l: Layout, t: StringTable) {
  const extentEnd = new Map<string, number>();
  for (const h of data.handlerRuns) {
    const span = h.sequenceRunId === null ? null : l.handlerSpan(h);
    if (span) extentEnd.set(h.sequenceRunId!, Math.max(extentEnd.get(h.sequenceRunId!) ?? -Infinity, span[1]));
  }
  const bySession = new Map<string, { id: string; start: number; end: number }[]>();
  const place = (session: string, id: string, start: number, end: number) => {
    const list = bySession.get(session) ?? [];
    bySession.set(session, list);
    list.push({ id, start, end });
  };
  for (const r of data.runs) {
    const span = l.runSpan.get(r.id);
    if (span) place(r.sessionId, r.id, span[0], Math.max(span[1], extentEnd.get(r.id) ?? -Infinity));
  }
  for (const b of data.beats) {
    const span = l.beatSpan.get(b.id);
    if (span && (b.sequenceRunId === null || !l.runSpan.has(b.sequenceRunId)))
      place(b.sessionId, b.id, span[0], span[1]);
  }
  const laneOf = new Map<string, number>();
  const sessions = columns<TimelineData['sessions']>(['id', 'label', 'start', 'end', 'firstLane', 'laneCount']);
  const lanes = columns<TimelineData['lanes']>(['session', 'handlerRows']);
  // Display order: by start time (the store lists files by content hash), untimed sessions last.
  const ordered = [...data.sessions].sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity));
  ordered.forEach((s, si) => {
    const items = (bySession.get(s.id) ?? []).sort((a, b) => a.start - b.start);
    const laneEnds: number[] = [];
    for (const item of items) {
      let k = laneEnds.findIndex((end) => end <= item.start);
      if (k < 0) k = laneEnds.push(item.end) - 1;
      else laneEnds[k] = item.end;
      laneOf.set(item.id, lanes.session.length + k);
    }
    const start = l.at(s.id, s.startMs, s.startLine) ?? items[0]?.start ?? 0;
    sessions.id.push(t.id(s.id));
    sessions.label.push(t.id(`Session ${si + 1} · ${s.fileId}#${s.index}`));
    sessions.start.push(start);
    sessions.end.push(Math.max(start, l.at(s.id, s.endMs, s.endLine + 1) ?? start, ...laneEnds));
    sessions.firstLane.push(lanes.session.length);
    sessions.laneCount.push(Math.max(1, laneEnds.length));
    for (let k = 0; k < Math.max(1, laneEnds.length); k++) {
      lanes.session.push(si);
      lanes.handlerRows.push(1);
    }
  });
  const sessionIndex = new Map(ordered.map((s, i) => [s.id, i]));
  /** Lane of an entity: its run's, else its own, else its session's first. */
  const laneFor = (runId: string | null, ownId: string, sessionId: string): number =>
    laneOf.get(runId ?? '') ?? laneOf.get(ownId) ?? sessions.firstLane[sessionIndex.get(sessionId) ?? 0] ?? 0;
  return { laneOf, sessions, lanes, sessionIndex, laneFor };
}

export function buildTimeline(data: TraceData, options: TimelineOptions = {}): TimelineData {
  const t = new StringTable();
  const l = layout(data);
  const { laneOf, sessions, lanes, sessionIndex, laneFor } = assignLanes(data, l, t);

  // Handlers: one row per (plugin, name), with percentiles of handler time and of the beats they ran in.
  const handlerIds = new Map<string, number>();
  const handlerTimes: number[][] = [];
  const beatTimes: number[][] = [];
  const handlers = columns<TimelineData['handlers']>([
    'name',
    'plugin',
    'location',
    'count',
    'p50Ms',
    'p95Ms',
    'beatP95Ms',
  ]);
  const handlerOf = (plugin: string | null, name: string): number => {
    let id = handlerIds.get(handlerKey(plugin, name));
    if (id === undefined) {
      id = handlers.name.push(t.id(name)) - 1;
      handlers.plugin.push(t.id(plugin));
      handlers.location.push(t.id(locate(options.codeIndex, plugin, name)));
      handlers.count.push(0);
      handlerTimes.push([]);
      beatTimes.push([]);
      handlerIds.set(handlerKey(plugin, name), id);
    }
    return id;
  };
  const runsOfBeat = new Map<string, HandlerRun[]>();
  for (const h of data.handlerRuns) {
    const id = handlerOf(h.pluginId, h.handler);
    handlers.count[id]!++;
    if (h.durationMs !== null) handlerTimes[id]!.push(h.durationMs);
    if (h.beatRunId !== null) {
      const list = runsOfBeat.get(h.beatRunId);
      if (list) list.push(h);
      else runsOfBeat.set(h.beatRunId, [h]);
    }
  }

  const runIndex = new Map(data.runs.map((r, i) => [r.id, i]));
  const setIds = new Map<string, number>();
  const handlerSets: number[][] = [];
  const beatOrder = data.beats
    .filter((b) => l.beatSpan.has(b.id))
    .sort((a, b) => l.beatSpan.get(a.id)![0] - l.beatSpan.get(b.id)![0]);
  const beatIndex = new Map(beatOrder.map((b, i) => [b.id, i]));
  const beats = columns<TimelineData['beats']>([
    'idSuffix',
    'run',
    'lane',
    'startDelta',
    'length',
    'durationMs',
    'durationSource',
    'handlerSet',
    'event',
    'title',
    'plugin',
    'beat',
    'line',
    'flags',
  ]);
  const erroredBeats = new Set(data.errors.map((e) => e.beatRunId));
  let previous = 0;
  for (const b of beatOrder) {
    const [start, end] = l.beatSpan.get(b.id)!;
    const ran = runsOfBeat.get(b.id) ?? [];
    const named = b.handlers.filter((n) => !ran.some((h) => h.handler === n)).map((n) => handlerOf(b.pluginId, n));
    const set = [...new Set([...ran.map((h) => handlerOf(h.pluginId, h.handler)), ...named])];
    if (b.durationMs !== null) for (const h of set) beatTimes[h]!.push(b.durationMs);
    const setKey = set.join(',');
    if (!setIds.has(setKey)) setIds.set(setKey, handlerSets.push(set) - 1);
    const run = b.sequenceRunId === null ? undefined : runIndex.get(b.sequenceRunId);
    beats.idSuffix.push(t.id(run === undefined ? b.id : suffixOf(b.id, b.sequenceRunId)));
    beats.run.push(run ?? -1);
    beats.lane.push(laneFor(b.sequenceRunId, b.id, b.sessionId));
    beats.startDelta.push(round(start - previous));
    previous = start;
    beats.length.push(round(end - start));
    beats.durationMs.push(b.durationMs);
    beats.durationSource.push(t.id(b.durationSource));
    beats.handlerSet.push(setIds.get(setKey)!);
    beats.event.push(t.id(b.event));
    beats.title.push(t.id(b.title));
    beats.plugin.push(t.id(b.pluginId));
    beats.beat.push(b.beat);
    beats.line.push(b.span.startLine);
    beats.flags.push((isFailed(b, ran, erroredBeats) ? 1 : 0) | (ran.some((h) => h.settledAfterBeat) ? 2 : 0));
  }
  handlerTimes.forEach((times, i) => {
    times.sort((a, b) => a - b);
    handlers.p50Ms.push(percentile(times, 0.5));
    handlers.p95Ms.push(percentile(times, 0.95));
    handlers.beatP95Ms.push(
      percentile(
        beatTimes[i]!.sort((a, b) => a - b),
        0.95,
      ),
    );
  });

  const handlerRuns = encodeHandlerRuns(
    data.handlerRuns,
    l.handlerSpan,
    (h) => {
      const beat = h.beatRunId === null ? undefined : beatIndex.get(h.beatRunId);
      const lane = beat !== undefined ? beats.lane[beat]! : laneFor(h.sequenceRunId, h.id, h.sessionId);
      return { beat: beat ?? -1, lane, handler: handlerOf(h.pluginId, h.handler) };
    },
    lanes,
    options.maxHandlerRows ?? 4,
    t,
  );
  const errors = encodeErrors(
    data.errors,
    (e) => {
      const beat = e.beatRunId === null ? undefined : beatIndex.get(e.beatRunId);
      const at = l.at(e.sessionId, e.timeMs, e.line) ?? (beat === undefined ? null : l.beatSpan.get(e.beatRunId!)![0]);
      if (at === null) return null;
      const lane = beat !== undefined ? beats.lane[beat]! : laneFor(e.sequenceRunId, e.id, e.sessionId);
      return { beat: beat ?? -1, lane, at };
    },
    t,
  );
  const gaps = columns<TimelineData['gaps']>(['session', 'start', 'end']);
  if (l.origin !== null)
    for (const g of data.gaps) {
      gaps.session.push(sessionIndex.get(g.sessionId) ?? 0);
      gaps.start.push(round(g.startMs - l.origin));
      gaps.end.push(round(g.endMs - l.origin));
    }
  return {
    version: 1,
    axis: l.axis,
    originMs: l.origin,
    strings: t.strings,
    handlerSets,
    sessions,
    lanes,
    runs: encodeRuns(data.runs, l.runSpan, laneOf, t),
    beats,
    handlerRuns,
    handlers,
    batons: encodeBatons(data.batons, beatIndex, options.previewChars ?? 160, t),
    errors,
    gaps,
    untimedBeats: l.untimedBeats,
  };
}

function isFailed(b: BeatRun, ran: readonly HandlerRun[], erroredBeats: ReadonlySet<string | null>): boolean {
  return b.status === 'failed' || b.error !== null || erroredBeats.has(b.id) || ran.some((h) => h.status === 'error');
}

function minTime(data: TraceData): number {
  let min = Infinity;
  for (const s of data.sessions) if (s.startMs !== null) min = Math.min(min, s.startMs);
  for (const r of data.runs) if (r.startMs !== null) min = Math.min(min, r.startMs);
  for (const b of data.beats) if (b.startMs !== null) min = Math.min(min, b.startMs);
  return Number.isFinite(min) ? min : 0;
}

function locate(index: CodeIndex | undefined, plugin: string | null, name: string): string | null {
  if (!index) return null;
  const found =
    index.handlers.find((h) => h.handler === name && h.pluginId === plugin && h.location) ??
    index.handlers.find((h) => h.handler === name && h.location);
  return found?.location ? `${found.location.file}:${found.location.line}` : null;
}
