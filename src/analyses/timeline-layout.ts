/**
 * Where the timeline's items sit on the axis, and which lane each run gets. Spans are typed columns by position
 * in TraceData (`runStart[i]` is `data.runs[i]`'s start), NaN where an item cannot be placed, so a million beats
 * cost a few Float64Arrays instead of a million `[start, end]` tuples in id-keyed maps.
 */
import { columns, type StringTable } from './timeline-encode.js';
import type { TimelineAxis, TimelineData } from './timeline-types.js';
import { byStartTime, type TraceData } from './trace-data.js';
import type { TraceIndex } from './trace-index.js';

/** Axis positions are kept to 0.001 units (µs on the time axis). */
export const round = (x: number): number => Math.round(x * 1000) / 1000;

export interface Layout {
  readonly axis: TimelineAxis;
  readonly origin: number | null;
  /** Axis position of a time (time axis) or a line (log-order axis); null when it has no place. */
  readonly at: (sessionId: string, ms: number | null, line: number) => number | null;
  readonly runStart: Float64Array;
  readonly runEnd: Float64Array;
  readonly beatStart: Float64Array;
  readonly beatEnd: Float64Array;
  /** Handler runs: beat start (or settle − handler time) to settle; async handlers reach past their beat. */
  readonly handlerStart: Float64Array;
  readonly handlerEnd: Float64Array;
  readonly untimedBeats: number;
}

/** Where things sit on the axis. A time axis when at least half the runs and beats carry timestamps. */
export function layout(data: TraceData, index: TraceIndex): Layout {
  let timed = 0;
  for (const b of data.beats) if (b.startMs !== null) timed++;
  for (const r of data.runs) if (r.startMs !== null) timed++;
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

  const runStart = new Float64Array(data.runs.length).fill(Number.NaN);
  const runEnd = new Float64Array(data.runs.length).fill(Number.NaN);
  for (let i = 0; i < data.runs.length; i++) {
    const r = data.runs[i]!;
    const start = at(r.sessionId, r.startMs, r.span.startLine);
    if (start === null) continue;
    const end = at(r.sessionId, r.endMs, r.span.endLine + 1) ?? start + (r.durationMs ?? 0);
    runStart[i] = start;
    runEnd[i] = Math.max(start, end);
  }
  const beatStart = new Float64Array(data.beats.length).fill(Number.NaN);
  const beatEnd = new Float64Array(data.beats.length).fill(Number.NaN);
  let untimedBeats = 0;
  for (let i = 0; i < data.beats.length; i++) {
    const b = data.beats[i]!;
    let start = at(b.sessionId, b.startMs, b.span.startLine);
    const run = index.runOfBeat[i]!;
    if (start === null && run >= 0 && !Number.isNaN(runStart[run]!)) start = runStart[run]!;
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
    beatStart[i] = start;
    beatEnd[i] = Math.max(start, round(end));
  }
  const handlerStart = new Float64Array(data.handlerRuns.length).fill(Number.NaN);
  const handlerEnd = new Float64Array(data.handlerRuns.length).fill(Number.NaN);
  for (let i = 0; i < data.handlerRuns.length; i++) {
    const h = data.handlerRuns[i]!;
    const b = index.beatOfHandlerRun[i]!;
    const inBeat = b >= 0 && !Number.isNaN(beatStart[b]!);
    const settled = at(h.sessionId, h.settledMs, h.line + 1);
    if (settled === null) {
      if (inBeat) [handlerStart[i], handlerEnd[i]] = [beatStart[b]!, beatEnd[b]!];
      continue;
    }
    const start =
      origin !== null && h.durationMs !== null ? round(settled - h.durationMs) : inBeat ? beatStart[b]! : settled;
    handlerStart[i] = Math.min(start, settled);
    handlerEnd[i] = settled;
  }
  return { axis, origin, at, runStart, runEnd, beatStart, beatEnd, handlerStart, handlerEnd, untimedBeats };
}

function minTime(data: TraceData): number {
  let min = Infinity;
  for (const s of data.sessions) if (s.startMs !== null) min = Math.min(min, s.startMs);
  for (const r of data.runs) if (r.startMs !== null) min = Math.min(min, r.startMs);
  for (const b of data.beats) if (b.startMs !== null) min = Math.min(min, b.startMs);
  return Number.isFinite(min) ? min : 0;
}

export interface Lanes {
  readonly sessions: TimelineData['sessions'];
  readonly lanes: TimelineData['lanes'];
  /** Lane of each run (positions of `data.runs`), -1 when not drawn. */
  readonly runLane: Int32Array;
  /** Lane of each beat drawn on its own (no drawn run), -1 otherwise. */
  readonly beatLane: Int32Array;
  /** Display index of a session by id (sessions are shown by start time). */
  readonly sessionIndex: ReadonlyMap<string, number>;
  /** Lane of an entity: its run's (position, -1 for none), else its own beat's, else its session's first. */
  laneFor(run: number, ownBeat: number, sessionId: string): number;
}

/** Greedy interval partitioning per session of runs (extended to their async handlers) and run-less beats. */
export function assignLanes(data: TraceData, index: TraceIndex, l: Layout, t: StringTable): Lanes {
  const extentEnd = new Float64Array(data.runs.length).fill(-Infinity);
  for (let i = 0; i < data.handlerRuns.length; i++) {
    const run = index.runOfHandlerRun[i]!;
    if (run >= 0 && !Number.isNaN(l.handlerStart[i]!)) extentEnd[run] = Math.max(extentEnd[run]!, l.handlerEnd[i]!);
  }
  // Items: runs (ref = position) then run-less beats (ref = -1 - position), in data order, so a stable sort by
  // start breaks ties the way the data lists them.
  const nRuns = data.runs.length;
  const itemStart = new Float64Array(nRuns + data.beats.length);
  const itemEnd = new Float64Array(nRuns + data.beats.length);
  const itemRef = new Int32Array(nRuns + data.beats.length);
  const bySession: number[][] = data.sessions.map(() => []);
  let items = 0;
  const place = (sessionId: string, ref: number, start: number, end: number) => {
    const list = bySession[index.sessionPos.get(sessionId) ?? -1];
    if (list === undefined) return;
    itemStart[items] = start;
    itemEnd[items] = end;
    itemRef[items] = ref;
    list.push(items++);
  };
  for (let i = 0; i < nRuns; i++)
    if (!Number.isNaN(l.runStart[i]!))
      place(data.runs[i]!.sessionId, i, l.runStart[i]!, Math.max(l.runEnd[i]!, extentEnd[i]!));
  for (let i = 0; i < data.beats.length; i++) {
    const b = data.beats[i]!;
    if (Number.isNaN(l.beatStart[i]!)) continue;
    const run = index.runOfBeat[i]!;
    if (run < 0 || Number.isNaN(l.runStart[run]!)) place(b.sessionId, -1 - i, l.beatStart[i]!, l.beatEnd[i]!);
  }
  const runLane = new Int32Array(nRuns).fill(-1);
  const beatLane = new Int32Array(data.beats.length).fill(-1);
  const sessions = columns<TimelineData['sessions']>(['id', 'label', 'start', 'end', 'firstLane', 'laneCount']);
  const lanes = columns<TimelineData['lanes']>(['session', 'handlerRows']);
  // Display order: by start time (the store lists files by content hash), untimed sessions last.
  const ordered = data.sessions.map((s, pos) => ({ s, pos })).sort((a, b) => byStartTime(a.s, b.s));
  ordered.forEach(({ s, pos }, si) => {
    const list = bySession[pos]!.sort((a, b) => itemStart[a]! - itemStart[b]! || a - b);
    const laneEnds: number[] = [];
    for (const item of list) {
      let k = 0;
      while (k < laneEnds.length && laneEnds[k]! > itemStart[item]!) k++;
      laneEnds[k] = itemEnd[item]!;
      const ref = itemRef[item]!;
      if (ref >= 0) runLane[ref] = lanes.session.length + k;
      else beatLane[-1 - ref] = lanes.session.length + k;
    }
    const start = l.at(s.id, s.startMs, s.startLine) ?? (list.length > 0 ? itemStart[list[0]!]! : 0);
    let end = Math.max(start, l.at(s.id, s.endMs, s.endLine + 1) ?? start);
    for (const e of laneEnds) end = Math.max(end, e);
    sessions.id.push(t.id(s.id));
    sessions.label.push(t.id(`Session ${si + 1} · ${s.fileId}#${s.index}`));
    sessions.start.push(start);
    sessions.end.push(end);
    sessions.firstLane.push(lanes.session.length);
    sessions.laneCount.push(Math.max(1, laneEnds.length));
    for (let k = 0; k < Math.max(1, laneEnds.length); k++) {
      lanes.session.push(si);
      lanes.handlerRows.push(1);
    }
  });
  const sessionIndex = new Map(ordered.map(({ s }, i) => [s.id, i]));
  const laneFor = (run: number, ownBeat: number, sessionId: string): number => {
    if (run >= 0 && runLane[run]! >= 0) return runLane[run]!;
    if (ownBeat >= 0 && beatLane[ownBeat]! >= 0) return beatLane[ownBeat]!;
    return sessions.firstLane[sessionIndex.get(sessionId) ?? 0] ?? 0;
  };
  return { sessions, lanes, runLane, beatLane, sessionIndex, laneFor };
}
