/**
 * The handler × time-bucket matrix of the heatmap: the sessions' time span cut into equal buckets, one p95 of
 * handler time per (handler, bucket), so a handler getting slower from one session to the next shows as a colour
 * change along its row. Each cell keeps the ids of its handler runs (capped) for drill-down into the timeline.
 */
import type { HandlerRun } from '../model/entities.js';
import { handlerKey } from './handler-lookup.js';
import { roundMs, timingStats } from './percentile.js';
import type { TraceData } from './trace-data.js';

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
class ActiveTimeAxis {
  private constructor(
    /** Merged, sorted [start, end] wall-time segments, epoch ms. */
    private readonly segments: readonly (readonly [number, number])[],
  ) {}

  static of(data: TraceData, times: readonly (number | null)[]): ActiveTimeAxis | undefined {
    const spans: [number, number][] = [];
    for (const s of data.sessions) if (s.startMs !== null && s.endMs !== null) spans.push([s.startMs, s.endMs]);
    if (spans.length === 0) {
      // No session carries times (only some handler lines do): one segment over those times.
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const t of times) if (t !== null) [lo, hi] = [Math.min(lo, t), Math.max(hi, t)];
      if (lo > hi) return undefined;
      spans.push([lo, hi]);
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

/** When a run happened: its settle line, else its beat's start. */
function timeOf(h: HandlerRun, beatStart: ReadonlyMap<string, number | null>): number | null {
  return h.settledMs ?? (h.beatRunId === null ? null : (beatStart.get(h.beatRunId) ?? null));
}

export function buildHeatmapMatrix(
  data: TraceData,
  order: readonly { readonly name: string; readonly plugin: string | null }[],
  bucketCount: number,
): HeatmapMatrix {
  const beatStart = new Map(data.beats.map((b) => [b.id, b.startMs]));
  const times = data.handlerRuns.map((h) => timeOf(h, beatStart));
  const unplacedExecutions = times.filter((t) => t === null).length;
  const axis = ActiveTimeAxis.of(data, times);
  if (axis === undefined || bucketCount < 1) {
    const empty = { bucketWidthMs: 0, buckets: [], maxP95: null, unplacedExecutions };
    return { startMs: null, endMs: null, ...empty, rows: order.map((h) => ({ ...h, cells: [] })) };
  }
  const { startMs, endMs } = axis;
  // Whole milliseconds of active time, at least 1, so bucket edges are readable and every time falls in a bucket.
  const width = Math.max(1, Math.ceil(axis.activeMs / bucketCount));
  const columnOf = (t: number) => Math.min(bucketCount - 1, Math.floor(axis.offsetOf(t) / width));

  const byKey = new Map<string, HandlerRun[][]>();
  data.handlerRuns.forEach((h, i) => {
    const t = times[i];
    if (t === null || t === undefined) return;
    const key = handlerKey(h.handler, h.pluginId);
    const columns = byKey.get(key) ?? Array.from({ length: bucketCount }, () => []);
    columns[columnOf(t)]!.push(h);
    byKey.set(key, columns);
  });

  let maxP95: number | null = null;
  const rows = order.map(({ name, plugin }): HeatmapRow => {
    const columns = byKey.get(handlerKey(name, plugin)) ?? [];
    const cells = Array.from({ length: bucketCount }, (_, i): HeatmapCell | null => {
      const runs = columns[i] ?? [];
      if (runs.length === 0) return null;
      const durations = (late: boolean) =>
        runs
          .filter((h) => h.settledAfterBeat === late)
          .map((h) => h.durationMs)
          .filter((d) => d !== null);
      const stats = timingStats(durations(false));
      if (stats.p95 !== null) maxP95 = Math.max(maxP95 ?? 0, stats.p95);
      return {
        executions: runs.length,
        timedExecutions: stats.count,
        p95: stats.p95,
        settleP95: timingStats(durations(true)).p95,
        executionIds: runs.slice(0, CELL_ID_CAP).map((h) => h.id),
        truncated: runs.length > CELL_ID_CAP,
      };
    });
    return { name, plugin, cells };
  });

  const buckets = Array.from({ length: bucketCount }, (_, index): HeatmapBucket => {
    const from = axis.timeAt(index * width, 'start');
    const to = axis.timeAt((index + 1) * width, 'end');
    const sessionIds = data.sessions
      .filter((s) => s.startMs !== null && s.endMs !== null && s.startMs < to && s.endMs >= from)
      .map((s) => s.id);
    return { index, startMs: from, endMs: to, sessionIds };
  });
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
