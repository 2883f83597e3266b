/** Column encoders of the timeline (see timeline.ts): one string table, parallel arrays per entity kind. */
import type { BatonDiff, HandlerError, HandlerRun, SequenceRun } from '../model/index.js';
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

/** `id` without its parent's `parent:` prefix, so repeated prefixes cost nothing in the string table. */
export function suffixOf(id: string, parent: string | null): string {
  return parent !== null && id.startsWith(`${parent}:`) ? id.slice(parent.length + 1) : id;
}

export function encodeRuns(
  runs: readonly SequenceRun[],
  span: ReadonlyMap<string, [number, number]>,
  laneOf: ReadonlyMap<string, number>,
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
  for (const r of runs) {
    const [start, end] = span.get(r.id) ?? [-1, -1];
    out.id.push(t.id(r.id));
    out.name.push(t.id(r.sequenceName));
    out.status.push(t.id(r.status));
    out.plugin.push(t.id(r.pluginId));
    out.requestId.push(t.id(r.requestId));
    out.lane.push(span.has(r.id) ? (laneOf.get(r.id) ?? -1) : -1);
    out.start.push(start);
    out.end.push(end);
    out.durationMs.push(r.durationMs);
    out.durationSource.push(t.id(r.durationSource));
    out.line.push(r.span.startLine);
  }
  return out;
}

export function encodeHandlerRuns(
  runs: readonly HandlerRun[],
  spanOf: (h: HandlerRun) => [number, number] | null,
  place: (h: HandlerRun) => { beat: number; lane: number; handler: number },
  lanes: TimelineData['lanes'],
  maxRows: number,
  t: StringTable,
): TimelineData['handlerRuns'] {
  const out = columns<TimelineData['handlerRuns']>([
    'id',
    'handler',
    'beat',
    'lane',
    'row',
    'start',
    'end',
    'durationMs',
    'durationSource',
    'flags',
  ]);
  const items = runs.flatMap((h) => {
    const span = spanOf(h);
    return span ? [{ h, span }] : [];
  });
  items.sort((a, b) => a.span[0] - b.span[0]);
  const rowEnds = new Map<number, number[]>();
  for (const { h, span } of items) {
    const { beat, lane, handler } = place(h);
    const ends = rowEnds.get(lane) ?? [];
    rowEnds.set(lane, ends);
    // Stack overlapping handler runs (several handlers per beat, async ones past their beat).
    let row = ends.findIndex((end) => end <= span[0]);
    if (row < 0) row = Math.min(ends.length, maxRows - 1);
    ends[row] = Math.max(ends[row] ?? -Infinity, span[1]);
    lanes.handlerRows[lane] = Math.max(lanes.handlerRows[lane] ?? 1, row + 1);
    out.id.push(h.id);
    out.handler.push(handler);
    out.beat.push(beat);
    out.lane.push(lane);
    out.row.push(row);
    out.start.push(span[0]);
    out.end.push(span[1]);
    out.durationMs.push(h.durationMs);
    out.durationSource.push(t.id(h.durationSource));
    out.flags.push((h.status === 'error' ? 1 : 0) | (h.settledAfterBeat ? 2 : 0));
  }
  return out;
}

/** Only diffs that changed something or carry a preview, on beats that are drawn. */
export function encodeBatons(
  batons: readonly BatonDiff[],
  beatIndex: ReadonlyMap<string, number>,
  previewChars: number,
  t: StringTable,
): TimelineData['batons'] {
  const out = columns<TimelineData['batons']>(['beat', 'handler', 'added', 'updated', 'removed', 'preview']);
  for (const d of batons) {
    const beat = d.beatRunId === null ? undefined : beatIndex.get(d.beatRunId);
    const { added, updated, removed } = d.change;
    if (beat === undefined || added.length + updated.length + removed.length + (d.preview ? 1 : 0) === 0) continue;
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
  place: (e: HandlerError) => { beat: number; lane: number; at: number } | null,
  t: StringTable,
): TimelineData['errors'] {
  const out = columns<TimelineData['errors']>(['beat', 'lane', 'at', 'handler', 'plugin', 'message', 'frame']);
  for (const e of errors) {
    const where = place(e);
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
