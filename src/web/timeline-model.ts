/**
 * Browser side: decodes the timeline page's column data into typed arrays and per-row item indexes, and
 * lays the rows out vertically. Everything here is computed once at page load; drawing reads only this.
 */
import type { TimelineData } from '../analyses/timeline.js';
import type { PackedTimeline } from '../reports/timeline-pack.js';

export type RowKind = 'session' | 'run' | 'beat' | 'handler';

/** Indexes of the items drawn in one row, sorted by start, with the longest item for overlap searches. */
export interface ItemList {
  readonly idx: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly maxLen: number;
}

export interface Row {
  readonly kind: RowKind;
  /** Top in content pixels (before vertical scroll). */
  readonly y: number;
  readonly h: number;
  readonly session: number;
  readonly lane: number;
  readonly label: string;
  readonly items: ItemList | null;
}

export interface Model {
  readonly data: TimelineData;
  readonly s: readonly string[];
  readonly beatStart: Float64Array;
  readonly beatEnd: Float64Array;
  readonly rows: readonly Row[];
  readonly contentHeight: number;
  /** Whole extent on the axis. */
  readonly min: number;
  readonly max: number;
  readonly beatIds: readonly string[];
  readonly beatById: ReadonlyMap<string, number>;
  readonly handlerRunsOfBeat: ReadonlyMap<number, number[]>;
  readonly batonsOfBeat: ReadonlyMap<number, number[]>;
  readonly errorsOfBeat: ReadonlyMap<number, number[]>;
  readonly errorsOfLane: ReadonlyMap<number, ItemList>;
}

export const ROW_H: Record<RowKind, number> = { session: 22, run: 16, beat: 18, handler: 12 };
const LANE_GAP = 6;

function list(indexes: number[], startOf: (i: number) => number, endOf: (i: number) => number): ItemList {
  indexes.sort((a, b) => startOf(a) - startOf(b));
  const idx = Int32Array.from(indexes);
  const start = new Float64Array(idx.length);
  const end = new Float64Array(idx.length);
  let maxLen = 0;
  for (let i = 0; i < idx.length; i++) {
    start[i] = startOf(idx[i]!);
    end[i] = endOf(idx[i]!);
    maxLen = Math.max(maxLen, end[i]! - start[i]!);
  }
  return { idx, start, end, maxLen };
}

function groupBy(keys: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  keys.forEach((k, i) => {
    if (k < 0) return;
    const bucket = out.get(k);
    if (bucket) bucket.push(i);
    else out.set(k, [i]);
  });
  return out;
}

export function buildModel(data: TimelineData): Model {
  const s = data.strings;
  const b = data.beats;
  const n = b.startDelta.length;
  const beatStart = new Float64Array(n);
  const beatEnd = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += b.startDelta[i]!;
    beatStart[i] = t;
    beatEnd[i] = t + b.length[i]!;
  }
  const beatIds: string[] = new Array(n);
  const beatById = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const run = b.run[i]!;
    const suffix = s[b.idSuffix[i]!] ?? '';
    beatIds[i] = run >= 0 ? `${s[data.runs.id[run]!]}:${suffix}` : suffix;
    beatById.set(beatIds[i]!, i);
  }

  const beatsOfLane = groupBy(b.lane);
  const runsOfLane = groupBy(data.runs.lane);
  const h = data.handlerRuns;
  const handlerRowsOfLane = new Map<number, Map<number, number[]>>();
  h.lane.forEach((lane, i) => {
    const rows = handlerRowsOfLane.get(lane) ?? new Map<number, number[]>();
    handlerRowsOfLane.set(lane, rows);
    const bucket = rows.get(h.row[i]!);
    if (bucket) bucket.push(i);
    else rows.set(h.row[i]!, [i]);
  });
  const errorsOfLane = new Map<number, ItemList>();
  for (const [lane, idx] of groupBy(data.errors.lane))
    errorsOfLane.set(
      lane,
      list(
        idx,
        (i) => data.errors.at[i]!,
        (i) => data.errors.at[i]!,
      ),
    );

  const rows: Row[] = [];
  let y = 0;
  const push = (kind: RowKind, session: number, lane: number, label: string, items: ItemList | null) => {
    rows.push({ kind, y, h: ROW_H[kind], session, lane, label, items });
    y += ROW_H[kind];
  };
  const ss = data.sessions;
  for (let si = 0; si < ss.id.length; si++) {
    push('session', si, -1, s[ss.label[si]!] ?? '', null);
    for (let k = 0; k < ss.laneCount[si]!; k++) {
      const lane = ss.firstLane[si]! + k;
      const suffix = k === 0 ? '' : ` · lane ${k + 1} (concurrent)`;
      push(
        'run',
        si,
        lane,
        `runs${suffix}`,
        list(
          runsOfLane.get(lane) ?? [],
          (i) => data.runs.start[i]!,
          (i) => data.runs.end[i]!,
        ),
      );
      push(
        'beat',
        si,
        lane,
        'beats',
        list(
          beatsOfLane.get(lane) ?? [],
          (i) => beatStart[i]!,
          (i) => beatEnd[i]!,
        ),
      );
      const handlerRows = handlerRowsOfLane.get(lane);
      for (let r = 0; r < data.lanes.handlerRows[lane]!; r++)
        push(
          'handler',
          si,
          lane,
          r === 0 ? 'handlers' : '',
          list(
            handlerRows?.get(r) ?? [],
            (i) => h.start[i]!,
            (i) => h.end[i]!,
          ),
        );
      y += LANE_GAP;
    }
    y += LANE_GAP;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let si = 0; si < ss.id.length; si++) {
    min = Math.min(min, ss.start[si]!);
    max = Math.max(max, ss.end[si]!);
  }
  if (n > 0) min = Math.min(min, beatStart[0]!);
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  if (max <= min) max = min + 1;
  return {
    data,
    s,
    beatStart,
    beatEnd,
    rows,
    contentHeight: y,
    min,
    max,
    beatIds,
    beatById,
    handlerRunsOfBeat: groupBy(h.beat),
    batonsOfBeat: groupBy(data.batons.beat),
    errorsOfBeat: groupBy(data.errors.beat),
    errorsOfLane,
  };
}

function prefixSums(deltas: readonly number[], minus = 0): number[] {
  let sum = 0;
  return deltas.map((d) => {
    sum += d;
    return Math.round((sum - minus) * 1000) / 1000;
  });
}

/** Back to the plain column shape (handler-run ids stay out: the page does not need them). */
export function unpackTimeline(p: PackedTimeline): TimelineData {
  const { runDelta, ...beats } = p.beats;
  const { startDelta, length, beatDelta, ...handlerRuns } = p.handlerRuns;
  const start = prefixSums(startDelta);
  return {
    ...p,
    beats: { ...beats, run: prefixSums(runDelta, 1) },
    handlerRuns: {
      ...handlerRuns,
      id: [],
      start,
      end: start.map((s, i) => s + length[i]!),
      beat: prefixSums(beatDelta, 1),
    },
  };
}

/** First position in `sorted` (from `lo`) whose value is >= x. */
export function lowerBound(sorted: Float64Array, x: number, lo = 0): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The item of a row under axis position t, within `tol` axis units; -1 when none. Returns the list position. */
export function hitItem(items: ItemList, t: number, tol: number): number {
  let best = -1;
  let bestDist = Infinity;
  const from = lowerBound(items.start, t - tol - items.maxLen);
  const to = lowerBound(items.start, t + tol, from);
  for (let i = from; i < to; i++) {
    const d = t < items.start[i]! ? items.start[i]! - t : t > items.end[i]! ? t - items.end[i]! : 0;
    // Prefer the innermost (shortest) item among those containing t.
    const score = d === 0 ? -1 / (1 + items.end[i]! - items.start[i]!) : d;
    if (d <= tol && score < bestDist) {
      best = i;
      bestDist = score;
    }
  }
  return best;
}
