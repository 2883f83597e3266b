/**
 * The handler × time-bucket matrix of the heatmap: the sessions' time span cut into equal buckets, one p95 of
 * handler time per (handler, bucket), so a handler getting slower from one session to the next shows as a colour
 * change along its row. Each cell keeps the ids of its handler runs (capped) for drill-down into the timeline.
 */

import type { Session } from '../model/index.js';
import { groupPositions, largestGroup } from '../model/position-groups.js';
import { type RunColumns, runColumns } from './handler-times.js';
import { percentile, roundMs } from './percentile.js';
import type { TraceData } from './trace-data.js';
import { type HandlerTable, traceIndex } from './trace-index.js';

/** Most handler-run ids a cell lists; `executions` keeps the full count. */
export const CELL_ID_CAP = 50;

export interface HeatmapBucket {
  /** 0-based column. */
  readonly index: number;
  /** Epoch ms, start inclusive, end exclusive (the last bucket includes its end). */
  readonly startMs: number;
  readonly endMs: number;
  /** Sessions whose time span overlaps the bucket. */
  readonly sessionIds: readonly string[];
}

export interface HeatmapCell {
  /** Handler runs in the bucket (timed or not). */
  readonly executions: number;
  /** Executions in `p95`: settled within their beat, with a duration. */
  readonly timedExecutions: number;
  /** p95 of handler time in the bucket, ms; null when none was timed. */
  readonly p95: number | null;
  /** p95 of settle time of the async executions (settled after their beat), ms; null when none. */
  readonly settleP95: number | null;
  /** HandlerRun ids, at most CELL_ID_CAP, in log order. */
  readonly executionIds: readonly string[];
  /** True when executionIds was cut at the cap. */
  readonly truncated: boolean;
}

export interface HeatmapRow {
  readonly name: string;
  readonly plugin: string | null;
  /** One entry per bucket; null where the handler did not run. */
  readonly cells: readonly (HeatmapCell | null)[];
}

export interface HeatmapMatrix {
  /** The sessions' time span, epoch ms; null when nothing carried a timestamp (then there are no buckets). */
  // Buckets cut this span's *active* time (inside sessions) in equal parts: see ActiveTimeAxis.
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** Active (in-session) time per bucket, ms; idle time between sessions is not in any bucket. */
  readonly bucketWidthMs: number;
  readonly buckets: readonly HeatmapBucket[];
  /** Same order as the report's `handlers`. */
  readonly rows: readonly HeatmapRow[];
  /** Largest cell p95, ms, for scaling colours; null when no cell is timed. */
  readonly maxP95: number | null;
  /** Handler runs with no time at all (no settle timestamp, no beat start), left out of the matrix. */
  readonly unplacedExecutions: number;
}

/**
 * Time with the idle stretches between sessions cut out: sessions of one day are often hours apart,
 * and equal buckets over wall time would leave most columns empty. Buckets are equal slices of
 * *active* time (inside some session); a bucket's startMs/endMs map back to wall time.
 */
export class ActiveTimeAxis {
  private constructor(
    /** Merged, sorted [start, end] wall-time segments, epoch ms. */
    private readonly segments: readonly (readonly [number, number])[],
  ) {}

  /** `times`: epoch ms of each handler run, NaN when unknown (used only when no session carries times). */
  static of(sessions: readonly Session[], times: Float64Array): ActiveTimeAxis | undefined {
    return ActiveTimeAxis.over(sessions, () => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        if (Number.isNaN(t)) continue;
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
      return lo > hi ? undefined : [lo, hi];
    });
  }

  /**
   * The axis over the sessions' spans; when no session carries times (only some handler lines do), one segment
   * over `timeRange()`: the earliest and latest handler-run time, undefined when none has one.
   */
  static over(
    sessions: readonly Session[],
    timeRange: () => readonly [number, number] | undefined,
  ): ActiveTimeAxis | undefined {
    const spans: [number, number][] = [];
    for (const s of sessions) if (s.startMs !== null && s.endMs !== null) spans.push([s.startMs, s.endMs]);
    if (spans.length === 0) {
      const range = timeRange();
      if (range === undefined) return undefined;
      spans.push([range[0], range[1]]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [a, b] of spans) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    return new ActiveTimeAxis(merged);
  }

  get startMs(): number {
    return this.segments[0]![0];
  }

  get endMs(): number {
    return this.segments[this.segments.length - 1]![1];
  }

  get activeMs(): number {
    return this.segments.reduce((n, [a, b]) => n + (b - a), 0);
  }

  /** Active milliseconds before wall time `t` (times between segments count as the next segment's start). */
  offsetOf(t: number): number {
    let before = 0;
    for (const [a, b] of this.segments) {
      if (t <= b) return before + Math.max(0, t - a);
      before += b - a;
    }
    return before;
  }

  /**
   * Wall time at `offset` active milliseconds. An offset exactly at a segment's end is that segment's end
   * when `edge` is 'end', the next segment's start when it is 'start' (so buckets never span idle time).
   */
  timeAt(offset: number, edge: 'start' | 'end'): number {
    let left = offset;
    for (const [a, b] of this.segments) {
      if (edge === 'end' ? left <= b - a : left < b - a) return a + left;
      left -= b - a;
    }
    return this.endMs + left;
  }
}

/** When each handler run happened, epoch ms: its settle line, else its beat's start; NaN when neither is known. */
function runTimes(data: TraceData, beatOf: Int32Array): Float64Array {
  const times = new Float64Array(data.handlerRuns.length);
  for (let i = 0; i < times.length; i++) {
    const b = beatOf[i]!;
    times[i] = data.handlerRuns[i]!.settledMs ?? (b < 0 ? null : data.beats[b]!.startMs) ?? Number.NaN;
  }
  return times;
}

export function buildHeatmapMatrix(
  data: TraceData,
  order: readonly { readonly name: string; readonly plugin: string | null }[],
  bucketCount: number,
  cols: RunColumns = runColumns(data, traceIndex(data)),
): HeatmapMatrix {
  const index = traceIndex(data);
  const times = runTimes(data, index.beatOfHandlerRun);
  const runs = data.handlerRuns;
  return matrixOfRuns(
    {
      cols,
      times,
      handlerOfRun: index.handlerOfRun,
      handlers: index.handlers,
      idOf: (i) => runs[i]!.id,
      axis: ActiveTimeAxis.of(data.sessions, times),
      sessions: data.sessions,
    },
    order,
    bucketCount,
  );
}

/** Handler runs as the matrix reads them, one position per run: from trace data or from streamed facts. */
export interface MatrixRuns {
  readonly cols: Pick<RunColumns, 'duration' | 'late'>;
  /** When each run happened, epoch ms; NaN when unknown (the run is unplaced). */
  readonly times: Float64Array;
  readonly handlerOfRun: Int32Array;
  readonly handlers: Pick<HandlerTable, 'size' | 'find'>;
  idOf(position: number): string;
  /** The time axis; undefined when nothing is timed. */
  readonly axis: ActiveTimeAxis | undefined;
  readonly sessions: readonly Session[];
}

/** The matrix: one row per handler of `order`, `bucketCount` columns of the axis, runs counting-sorted into cells. */
export function matrixOfRuns(
  runs: MatrixRuns,
  order: readonly { readonly name: string; readonly plugin: string | null }[],
  bucketCount: number,
): HeatmapMatrix {
  const { cols, times, handlerOfRun, axis } = runs;
  let unplacedExecutions = 0;
  for (let i = 0; i < times.length; i++) if (Number.isNaN(times[i]!)) unplacedExecutions++;
  if (axis === undefined || bucketCount < 1) {
    const empty = { bucketWidthMs: 0, buckets: [], maxP95: null, unplacedExecutions };
    return { startMs: null, endMs: null, ...empty, rows: order.map((h) => ({ ...h, cells: [] })) };
  }
  const { startMs, endMs } = axis;
  const width = bucketWidth(axis, bucketCount);

  // Cell of each handler run: handler id × bucketCount + column; -1 when unplaced. Counting-sorted, log order kept.
  const cellOf = new Int32Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    cellOf[i] = Number.isNaN(t) ? -1 : handlerOfRun[i]! * bucketCount + bucketOf(axis, width, bucketCount, t);
  }
  const cells = groupPositions(cellOf, runs.handlers.size * bucketCount);
  const timed = new Float64Array(largestGroup(cells));
  const settle = new Float64Array(timed.length);

  let maxP95: number | null = null;
  const cellAt = (k: number): HeatmapCell | null => {
    const from = cells.offsets[k]!;
    const to = cells.offsets[k + 1]!;
    if (from === to) return null;
    let nTimed = 0;
    let nSettle = 0;
    for (let j = from; j < to; j++) {
      const i = cells.items[j]!;
      const d = cols.duration[i]!;
      if (Number.isNaN(d)) continue;
      if (cols.late[i] === 1) settle[nSettle++] = d;
      else timed[nTimed++] = d;
    }
    const p95 = p95Of(timed.subarray(0, nTimed));
    if (p95 !== null) maxP95 = Math.max(maxP95 ?? 0, p95);
    const ids: string[] = [];
    for (let j = from; j < Math.min(to, from + CELL_ID_CAP); j++) ids.push(runs.idOf(cells.items[j]!));
    return {
      executions: to - from,
      timedExecutions: nTimed,
      p95,
      settleP95: p95Of(settle.subarray(0, nSettle)),
      executionIds: ids,
      truncated: to - from > CELL_ID_CAP,
    };
  };
  const rows = order.map(({ name, plugin }): HeatmapRow => {
    const h = runs.handlers.find(plugin, name);
    const row = Array.from({ length: bucketCount }, (_, col) =>
      h === undefined ? null : cellAt(h * bucketCount + col),
    );
    return { name, plugin, cells: row };
  });

  const buckets = bucketsOf(axis, width, bucketCount, runs.sessions);
  return {
    startMs,
    endMs,
    bucketWidthMs: width,
    buckets,
    rows,
    maxP95: maxP95 === null ? null : roundMs(maxP95),
    unplacedExecutions,
  };
}

/** Whole milliseconds of active time per bucket, at least 1, so bucket edges are readable and every time falls in a bucket. */
export function bucketWidth(axis: ActiveTimeAxis, bucketCount: number): number {
  return Math.max(1, Math.ceil(axis.activeMs / bucketCount));
}

/** The bucket of a handler run at wall time `t` (epoch ms, not NaN), 0-based. */
export function bucketOf(axis: ActiveTimeAxis, width: number, bucketCount: number, t: number): number {
  return Math.min(bucketCount - 1, Math.floor(axis.offsetOf(t) / width));
}

export function bucketsOf(
  axis: ActiveTimeAxis,
  width: number,
  bucketCount: number,
  sessions: readonly Session[],
): HeatmapBucket[] {
  return Array.from({ length: bucketCount }, (_, index): HeatmapBucket => {
    const from = axis.timeAt(index * width, 'start');
    const to = axis.timeAt((index + 1) * width, 'end');
    const sessionIds = sessions
      .filter((s) => s.startMs !== null && s.endMs !== null && s.startMs < to && s.endMs >= from)
      .map((s) => s.id);
    return { index, startMs: from, endMs: to, sessionIds };
  });
}

/** p95 rounded to 0.01 ms (as `timingStats` reports it) of a scratch slice, sorted in place; null when empty. */
export function p95Of(values: Float64Array): number | null {
  const p = percentile(values.sort(), 0.95);
  return p === null ? null : roundMs(p);
}
