/** Column encoders of the timeline (see timeline.ts): one string table, parallel arrays per entity kind. */

import { isUnchangedBaton } from '../model/events.js';
import type { BatonDiff, HandlerError, HandlerRun, SequenceRun } from '../model/index.js';
import { sequenceLabel } from '../model/unknown-names.js';
import type { Layout } from './timeline-layout.js';
import type { TimelineData } from './timeline-types.js';

export class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** Index of `s` in the table, -1 for null. */
  id = (s: string | null | undefined): number => {
    if (s === null || s === undefined) return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.push(s) - 1;
      this.ids.set(s, id);
    }
    return id;
  };
}

/** An object of empty column arrays. */
export function columns<T>(keys: readonly (keyof T)[]): T {
  return Object.fromEntries(keys.map((k) => [k, []])) as T;
}

/** Column arrays of `n` items to fill by index: no growth copies of million-item arrays. */
export function sizedColumns<T>(keys: readonly (keyof T)[], n: number): T {
  return Object.fromEntries(keys.map((k) => [k, new Array(n)])) as T;
}

/** Deduplicated handler lists of beats, numbered in first-seen order (`TimelineData.handlerSets`). */
export class HandlerSets {
  readonly sets: number[][] = [];
  private readonly singles = new Map<number, number>();
  private readonly byKey = new Map<string, number>();

  /** The set holding just `handler`: a numeric key, the common case of one handler per beat. */
  single(handler: number): number {
    let id = this.singles.get(handler);
    if (id === undefined) {
      id = this.sets.push([handler]) - 1;
      this.singles.set(handler, id);
    }
    return id;
  }

  of(set: number[]): number {
    if (set.length === 1) return this.single(set[0]!);
    const key = set.join(',');
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.sets.push(set) - 1;
      this.byKey.set(key, id);
    }
    return id;
  }
}

/** `id` without its parent's `parent:` prefix, so repeated prefixes cost nothing in the string table. */
export function suffixOf(id: string, parent: string | null): string {
  // startsWith(`${parent}:`) without building that string per beat.
  return parent !== null && id.charCodeAt(parent.length) === 58 && id.startsWith(parent)
    ? id.slice(parent.length + 1)
    : id;
}

/**
 * Positions whose start is not NaN, sorted by start; equal starts keep position order (the tie-break makes the
 * sort stable whatever the engine does, and Array#sort is fast on the nearly sorted input logs give).
 */
export function sortedByStart(start: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < start.length; i++) if (!Number.isNaN(start[i]!)) out.push(i);
  return out.sort((a, b) => start[a]! - start[b]! || a - b);
}

export function encodeRuns(
  runs: readonly SequenceRun[],
  l: Pick<Layout, 'runStart' | 'runEnd'>,
  runLane: Int32Array,
  t: StringTable,
): TimelineData['runs'] {
  const out = columns<TimelineData['runs']>([
    'id',
    'name',
    'status',
    'plugin',
    'requestId',
    'lane',
    'start',
    'end',
    'durationMs',
    'durationSource',
    'line',
  ]);
  // Kept in data order (not sorted) so beats refer to runs by their TraceData index.
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    const placed = !Number.isNaN(l.runStart[i]!);
    out.id.push(t.id(r.id));
    out.name.push(t.id(sequenceLabel(r.sequenceName)));
    out.status.push(t.id(r.status));
    out.plugin.push(t.id(r.pluginId));
    out.requestId.push(t.id(r.requestId));
    out.lane.push(placed ? runLane[i]! : -1);
    out.start.push(placed ? l.runStart[i]! : -1);
    out.end.push(placed ? l.runEnd[i]! : -1);
    out.durationMs.push(r.durationMs);
    out.durationSource.push(t.id(r.durationSource));
    out.line.push(r.span.startLine);
  }
  return out;
}

/** Per handler run (positions of `data.handlerRuns`): its span (NaN when not drawn), drawn beat, lane, handler. */
export interface HandlerRunPlaces {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly beat: Int32Array;
  readonly lane: Int32Array;
  readonly handler: Int32Array;
}

export function encodeHandlerRuns(
  runs: readonly HandlerRun[],
  at: HandlerRunPlaces,
  lanes: TimelineData['lanes'],
  maxRows: number,
  t: StringTable,
): TimelineData['handlerRuns'] {
  const order = sortedByStart(at.start);
  const out = sizedColumns<TimelineData['handlerRuns']>(
    ['id', 'handler', 'beat', 'lane', 'row', 'start', 'end', 'durationMs', 'durationSource', 'flags'],
    order.length,
  );
  const rowEnds = new Map<number, number[]>();
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    const h = runs[i]!;
    const lane = at.lane[i]!;
    const start = at.start[i]!;
    let ends = rowEnds.get(lane);
    if (ends === undefined) {
      ends = [];
      rowEnds.set(lane, ends);
    }
    // Stack overlapping handler runs (several handlers per beat, async ones past their beat).
    let row = 0;
    while (row < ends.length && ends[row]! > start) row++;
    if (row === ends.length) row = Math.min(ends.length, maxRows - 1);
    ends[row] = Math.max(ends[row] ?? -Infinity, at.end[i]!);
    lanes.handlerRows[lane] = Math.max(lanes.handlerRows[lane] ?? 1, row + 1);
    out.id[j] = h.id;
    out.handler[j] = at.handler[i]!;
    out.beat[j] = at.beat[i]!;
    out.lane[j] = lane;
    out.row[j] = row;
    out.start[j] = start;
    out.end[j] = at.end[i]!;
    out.durationMs[j] = h.durationMs;
    out.durationSource[j] = t.id(h.durationSource);
    out.flags[j] = (h.status === 'error' ? 1 : 0) | (h.settledAfterBeat ? 2 : 0);
  }
  return out;
}

/** Only diffs that changed something or carry a preview, on beats that are drawn. */
export function encodeBatons(
  batons: readonly BatonDiff[],
  /** Drawn beat of the i-th diff, -1 when it has none. */
  drawnBeat: (i: number) => number,
  previewChars: number,
  t: StringTable,
): TimelineData['batons'] {
  const out = columns<TimelineData['batons']>(['beat', 'handler', 'added', 'updated', 'removed', 'preview']);
  for (let i = 0; i < batons.length; i++) {
    const d = batons[i]!;
    const beat = drawnBeat(i);
    if (beat < 0 || isUnchangedBaton(d)) continue;
    const { added, updated, removed } = d.change;
    out.beat.push(beat);
    out.handler.push(t.id(d.handler));
    out.added.push(added.map(t.id));
    out.updated.push(updated.map(t.id));
    out.removed.push(removed.map(t.id));
    out.preview.push(t.id(d.preview === null ? null : d.preview.slice(0, previewChars)));
  }
  return out;
}

export function encodeErrors(
  errors: readonly HandlerError[],
  place: (e: HandlerError, i: number) => { beat: number; lane: number; at: number } | null,
  t: StringTable,
): TimelineData['errors'] {
  const out = columns<TimelineData['errors']>(['beat', 'lane', 'at', 'handler', 'plugin', 'message', 'frame']);
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]!;
    const where = place(e, i);
    if (where === null) continue;
    const top = e.stack[0];
    out.beat.push(where.beat);
    out.lane.push(where.lane);
    out.at.push(where.at);
    out.handler.push(t.id(e.handler));
    out.plugin.push(t.id(e.pluginId));
    out.message.push(t.id(e.message));
    out.frame.push(t.id(top ? `${top.file}${top.line === undefined ? '' : `:${top.line}`}` : null));
  }
  return out;
}
