/**
 * Browser side: indexes the decoded timeline columns (web/timeline-unpack.ts) into per-row item lists, and
 * lays the rows out vertically. Everything here is computed once at page load; drawing reads only this. Per-beat
 * lists are compressed sparse rows and beat ids are built on demand, so a million beats cost typed arrays, not
 * a million small arrays and strings.
 */
import type { DecodedTimeline } from '../reports/timeline-pack.js';

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

/** Item indexes by a small integer key (a beat), in item order. */
export interface Lists {
  get(key: number): Int32Array | undefined;
}

export interface Model {
  readonly data: DecodedTimeline;
  readonly s: readonly string[];
  readonly beatStart: Float64Array;
  readonly beatEnd: Float64Array;
  readonly rows: readonly Row[];
  readonly contentHeight: number;
  /** Whole extent on the axis. */
  readonly min: number;
  readonly max: number;
  readonly beatCount: number;
  /** A beat's id (its run's id + ':' + suffix). */
  beatId(beat: number): string;
  /** Beat index by id; the id map is built on the first call. */
  beatById(id: string): number | undefined;
  readonly handlerRunsOfBeat: Lists;
  readonly batonsOfBeat: Lists;
  readonly errorsOfBeat: Lists;
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

function groupBy(keys: ArrayLike<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k < 0) continue;
    const bucket = out.get(k);
    if (bucket) bucket.push(i);
    else out.set(k, [i]);
  }
  return out;
}

/** Positions grouped by key 0..count-1 (negative keys left out): counting sort into one Int32Array. */
function lists(keys: ArrayLike<number>, count: number): Lists {
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < keys.length; i++) if (keys[i]! >= 0 && keys[i]! < count) offsets[keys[i]! + 1]!++;
  for (let k = 0; k < count; k++) offsets[k + 1]! += offsets[k]!;
  const items = new Int32Array(offsets[count]!);
  const next = offsets.slice(0, count);
  for (let i = 0; i < keys.length; i++) if (keys[i]! >= 0 && keys[i]! < count) items[next[keys[i]!]!++] = i;
  return {
    get: (key) =>
      key >= 0 && key < count && offsets[key + 1]! > offsets[key]!
        ? items.subarray(offsets[key]!, offsets[key + 1]!)
        : undefined,
  };
}

export function buildModel(data: DecodedTimeline): Model {
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
  const beatId = (i: number): string => {
    const run = b.run[i]!;
    const suffix = s[b.idSuffix[i]!] ?? '';
    return run >= 0 ? `${s[data.runs.id[run]!]}:${suffix}` : suffix;
  };
  let ids: Map<string, number> | undefined;
  const beatById = (id: string): number | undefined => {
    if (ids === undefined) {
      ids = new Map();
      for (let i = 0; i < n; i++) ids.set(beatId(i), i);
    }
    return ids.get(id);
  };

  const beatsOfLane = groupBy(b.lane);
  const runsOfLane = groupBy(data.runs.lane);
  const h = data.handlerRuns;
  const handlerRowsOfLane = new Map<number, Map<number, number[]>>();
  for (let i = 0; i < h.lane.length; i++) {
    const lane = h.lane[i]!;
    const rows = handlerRowsOfLane.get(lane) ?? new Map<number, number[]>();
    handlerRowsOfLane.set(lane, rows);
    const bucket = rows.get(h.row[i]!);
    if (bucket) bucket.push(i);
    else rows.set(h.row[i]!, [i]);
  }
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
  const drawsSomething = (lane: number) =>
    runsOfLane.has(lane) || beatsOfLane.has(lane) || handlerRowsOfLane.has(lane) || errorsOfLane.has(lane);
  for (let si = 0; si < ss.id.length; si++) {
    push('session', si, -1, s[ss.label[si]!] ?? '', null);
    // A session with nothing to draw in its lanes (an app start with no run, e.g. a capture of other output)
    // is its header bar alone: a hundred such sessions would otherwise be three empty rows each.
    let empty = true;
    for (let k = 0; k < ss.laneCount[si]!; k++) if (drawsSomething(ss.firstLane[si]! + k)) empty = false;
    if (empty) {
      y += LANE_GAP;
      continue;
    }
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
    beatCount: n,
    beatId,
    beatById,
    handlerRunsOfBeat: lists(h.beat, n),
    batonsOfBeat: lists(data.batons.beat, n),
    errorsOfBeat: lists(data.errors.beat, n),
    errorsOfLane,
  };
}

/** The narrowest opening view, in axis units (ms, or lines): a session of one instant still shows its beats. */
const MIN_OPENING_SPAN = 10;

/** Sessions with something drawn (more than their header bar), in row order. */
export function drawnSessions(m: Model): number[] {
  return [...new Set(m.rows.filter((r) => r.kind !== 'session').map((r) => r.session))];
}

/**
 * Sessions with something drawn whose spans, added up, cover less than this share of the axis from the first one's
 * start to the last one's end open aligned at their starts (`opensAligned`).
 */
const FAR_APART_SHARE = 0.1;

/**
 * Whether the page opens with "align sessions at their start" ticked: two or more sessions have something drawn,
 * on the time axis, and they are far apart — together they cover less than FAR_APART_SHARE of the time from the
 * first's start to the last's end, so on one axis most of the view is the time between them (a folder of consoles
 * saved over days: each session a sliver, or every lane but one empty when zoomed onto one). Aligned, every lane
 * shows its own session's beats at one zoom.
 */
export function opensAligned(m: Model): boolean {
  if (m.data.axis === 'log-order') return false;
  const ss = m.data.sessions;
  const drawn = drawnSessions(m);
  if (drawn.length < 2) return false;
  let covered = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const si of drawn) {
    covered += ss.end[si]! - ss.start[si]!;
    from = Math.min(from, ss.start[si]!);
    to = Math.max(to, ss.end[si]!);
  }
  return covered < (to - from) * FAR_APART_SHARE;
}

/**
 * What the page opens on. Sessions are often hours or days apart: the first session with something drawn,
 * scrolled to its header, spanning the session and what is drawn in it, with 2% margins; everything when there
 * is one session, or when the sessions are `aligned` at their starts (they then share the axis from 0). Fit shows
 * everything.
 */
export function openingView(m: Model, aligned = false): { start: number; end: number; scrollY: number } {
  const ss = m.data.sessions;
  const first = ss.start.length > 1 && !aligned ? (m.rows.find((r) => r.kind !== 'session')?.session ?? 0) : -1;
  let from = first < 0 ? m.min : ss.start[first]!;
  let to = first < 0 ? m.max : ss.end[first]!;
  for (const row of m.rows) {
    if (row.session !== first || row.items === null) continue;
    const { start, end } = row.items;
    for (let i = 0; i < start.length; i++) {
      from = Math.min(from, start[i]!);
      to = Math.max(to, end[i]!);
    }
  }
  const grow = Math.max(0, MIN_OPENING_SPAN - (to - from)) / 2;
  from -= grow;
  to += grow;
  const pad = (to - from) * 0.02;
  const scrollY = first > 0 ? m.rows.find((r) => r.kind === 'session' && r.session === first)!.y : 0;
  return { start: from - pad, end: to + pad, scrollY };
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
