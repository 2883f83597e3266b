/**
 * The execution timeline as compact column data for the timeline page: sessions → lanes (one per set of
 * non-overlapping runs, so concurrent runs get their own sub-lane) → runs, beats and handler runs, plus gaps
 * and errors. Strings go through one table and every entity kind is a set of parallel column arrays, so
 * 100,000 beats stay a few MB (the page embeds them packed: reports/timeline-pack.ts). Beats and handler runs are
 * sorted by start: the client binary-searches.
 *
 * Axis: `time` = milliseconds since `originMs` (epoch ms). Logs without timestamps get the `log-order` axis:
 * each session's lines laid end to end, one unit per physical line, so order is kept but lengths are lines.
 *
 * Built in a few linear passes over positions (see trace-index.ts): spans, lanes and per-beat handler runs are
 * typed arrays, handlers are interned integers, and only the output columns are JS arrays.
 */
import type { BeatRun, CodeIndex } from '../model/index.js';
import { groupPositions } from '../model/position-groups.js';
import { percentile } from './percentile.js';
import {
  columns,
  encodeBatons,
  encodeErrors,
  encodeHandlerRuns,
  encodeRuns,
  HandlerSets,
  StringTable,
  sizedColumns,
  sortedByStart,
  suffixOf,
} from './timeline-encode.js';
import { assignLanes, layout, round } from './timeline-layout.js';
import type { TimelineData, TimelineOptions } from './timeline-types.js';
import type { TraceData } from './trace-data.js';
import { type HandlerTable, traceIndex } from './trace-index.js';

export type { TimelineAxis, TimelineData, TimelineOptions } from './timeline-types.js';

const BEAT_COLUMNS = [
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
] as const;

export function buildTimeline(data: TraceData, options: TimelineOptions = {}): TimelineData {
  const index = traceIndex(data);
  const t = new StringTable();
  const l = layout(data, index);
  const { sessions, lanes, runLane, sessionIndex, laneFor } = assignLanes(data, index, l, t);

  // Handlers: one row per (plugin, name), with percentiles of handler time and of the beats they ran in.
  // Ids extend the shared table's (handler runs first seen in log order) with handlers only beats name.
  const names: HandlerTable = index.handlers.fork();
  const handlers = columns<TimelineData['handlers']>([
    'name',
    'plugin',
    'location',
    'count',
    'p50Ms',
    'p95Ms',
    'beatP95Ms',
  ]);
  const beatTimes: number[][] = [];
  const handlerOf = (plugin: string | null, name: string): number => {
    const id = names.intern(plugin, name);
    if (id === handlers.name.length) {
      handlers.name.push(t.id(name));
      handlers.plugin.push(t.id(plugin));
      handlers.location.push(t.id(locate(options.codeIndex, plugin, name)));
      handlers.count.push(0);
      beatTimes.push([]);
    }
    return id;
  };
  for (let k = 0; k < index.handlers.size; k++) handlerOf(index.handlers.plugins[k]!, index.handlers.names[k]!);
  for (let i = 0; i < data.handlerRuns.length; i++) handlers.count[index.handlerOfRun[i]!]!++;
  const runsOfBeat = groupPositions(index.beatOfHandlerRun, data.beats.length);

  const beatOrder = sortedByStart(l.beatStart);
  // Position of each beat (by data position) in the drawn, start-sorted order; -1 when not drawn.
  const drawnAt = new Int32Array(data.beats.length).fill(-1);
  for (let i = 0; i < beatOrder.length; i++) drawnAt[beatOrder[i]!] = i;
  const errored = new Uint8Array(data.beats.length);
  const errorBeat = index.beats.resolve(data.errors.length, (i) => data.errors[i]!.beatRunId);
  for (const b of errorBeat) if (b >= 0) errored[b] = 1;
  const sets = new HandlerSets();
  const n = beatOrder.length;
  const beats = sizedColumns<TimelineData['beats']>(BEAT_COLUMNS, n);
  let previous = 0;
  for (let j = 0; j < n; j++) {
    const p = beatOrder[j]!;
    const b = data.beats[p]!;
    const start = l.beatStart[p]!;
    const from = runsOfBeat.offsets[p]!;
    const to = runsOfBeat.offsets[p + 1]!;
    let setId: number;
    if (
      to - from === 1 &&
      (b.handlers.length === 0 ||
        (b.handlers.length === 1 && b.handlers[0] === data.handlerRuns[runsOfBeat.items[from]!]!.handler))
    ) {
      // The common case, one handler run that is the one the beat names: no arrays or string keys per beat.
      const h = index.handlerOfRun[runsOfBeat.items[from]!]!;
      if (b.durationMs !== null) beatTimes[h]!.push(b.durationMs);
      setId = sets.single(h);
    } else {
      // Handlers the beat names but no handler run of it shows (matched by name, as the log names them).
      const named: number[] = [];
      for (const name of b.handlers) {
        let ran = false;
        for (let k = from; k < to && !ran; k++) ran = data.handlerRuns[runsOfBeat.items[k]!]!.handler === name;
        if (!ran) named.push(handlerOf(b.pluginId, name));
      }
      const set: number[] = [];
      for (let k = from; k < to; k++) {
        const h = index.handlerOfRun[runsOfBeat.items[k]!]!;
        if (!set.includes(h)) set.push(h);
      }
      for (const h of named) if (!set.includes(h)) set.push(h);
      if (b.durationMs !== null) for (const h of set) beatTimes[h]!.push(b.durationMs);
      setId = sets.of(set);
    }
    const run = index.runOfBeat[p]!;
    beats.idSuffix[j] = t.id(run < 0 ? b.id : suffixOf(b.id, b.sequenceRunId));
    beats.run[j] = run;
    beats.lane[j] = laneFor(run, p, b.sessionId);
    beats.startDelta[j] = round(start - previous);
    previous = start;
    beats.length[j] = round(l.beatEnd[p]! - start);
    beats.durationMs[j] = b.durationMs;
    beats.durationSource[j] = t.id(b.durationSource);
    beats.handlerSet[j] = setId;
    beats.event[j] = t.id(b.event);
    beats.title[j] = t.id(b.title);
    beats.plugin[j] = t.id(b.pluginId);
    beats.beat[j] = b.beat;
    beats.line[j] = b.span.startLine;
    beats.flags[j] = beatFlags(data, b, runsOfBeat.items, from, to, errored[p] === 1);
  }
  handlerPercentiles(data, index.handlerOfRun, handlers, beatTimes);

  // Handler runs: their drawn beat and lane (the beat's, else their run's, else their session's first).
  const beatOfRun = new Int32Array(data.handlerRuns.length);
  const laneOfRun = new Int32Array(data.handlerRuns.length);
  for (let i = 0; i < data.handlerRuns.length; i++) {
    const b = index.beatOfHandlerRun[i]!;
    const beat = b < 0 ? -1 : drawnAt[b]!;
    beatOfRun[i] = beat;
    laneOfRun[i] =
      beat >= 0 ? beats.lane[beat]! : laneFor(index.runOfHandlerRun[i]!, -1, data.handlerRuns[i]!.sessionId);
  }
  const handlerRuns = encodeHandlerRuns(
    data.handlerRuns,
    { start: l.handlerStart, end: l.handlerEnd, beat: beatOfRun, lane: laneOfRun, handler: index.handlerOfRun },
    lanes,
    options.maxHandlerRows ?? 4,
    t,
  );
  const errorRun = index.runs.resolve(data.errors.length, (i) => data.errors[i]!.sequenceRunId);
  const errors = encodeErrors(
    data.errors,
    (e, i) => {
      const b = errorBeat[i]!;
      const drawn = b < 0 ? -1 : drawnAt[b]!;
      const at = l.at(e.sessionId, e.timeMs, e.line) ?? (drawn < 0 ? null : l.beatStart[b]!);
      if (at === null) return null;
      const lane = drawn >= 0 ? beats.lane[drawn]! : laneFor(errorRun[i]!, -1, e.sessionId);
      return { beat: drawn, lane, at };
    },
    t,
  );
  const batonBeat = index.beats.resolve(data.batons.length, (i) => data.batons[i]!.beatRunId);
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
    handlerSets: sets.sets,
    sessions,
    lanes,
    runs: encodeRuns(data.runs, l, runLane, t),
    beats,
    handlerRuns,
    handlers,
    batons: encodeBatons(
      data.batons,
      (i) => (batonBeat[i]! < 0 ? -1 : drawnAt[batonBeat[i]!]!),
      options.previewChars ?? 160,
      t,
    ),
    errors,
    gaps,
    untimedBeats: l.untimedBeats,
  };
}

/** Bit 1: failed or errored; bit 2: one of its handlers settled after the beat. */
function beatFlags(data: TraceData, b: BeatRun, items: Int32Array, from: number, to: number, errored: boolean): number {
  let failed = b.status === 'failed' || b.error !== null || errored;
  let late = false;
  for (let k = from; k < to; k++) {
    const h = data.handlerRuns[items[k]!]!;
    failed ||= h.status === 'error';
    late ||= h.settledAfterBeat;
  }
  return (failed ? 1 : 0) | (late ? 2 : 0);
}

/** p50/p95 of each handler's times (all its runs with a duration) and p95 of the beats it ran in, ms. */
function handlerPercentiles(
  data: TraceData,
  handlerOfRun: Int32Array,
  handlers: TimelineData['handlers'],
  beatTimes: readonly number[][],
): void {
  const byHandler = groupPositions(handlerOfRun, handlers.name.length);
  const scratch = new Float64Array(data.handlerRuns.length);
  for (let h = 0; h < handlers.name.length; h++) {
    let n = 0;
    for (let k = byHandler.offsets[h]!; k < byHandler.offsets[h + 1]!; k++) {
      const d = data.handlerRuns[byHandler.items[k]!]!.durationMs;
      if (d !== null) scratch[n++] = d;
    }
    const times = scratch.subarray(0, n).sort();
    handlers.p50Ms.push(percentile(times, 0.5));
    handlers.p95Ms.push(percentile(times, 0.95));
    handlers.beatP95Ms.push(percentile(Float64Array.from(beatTimes[h]!).sort(), 0.95));
  }
}

function locate(index: CodeIndex | undefined, plugin: string | null, name: string): string | null {
  if (!index) return null;
  const found =
    index.handlers.find((h) => h.handler === name && h.pluginId === plugin && h.location) ??
    index.handlers.find((h) => h.handler === name && h.location);
  return found?.location ? `${found.location.file}:${found.location.line}` : null;
}
