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
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** Width of every bucket, ms. */
  readonly bucketWidthMs: number;
  readonly buckets: readonly HeatmapBucket[];
  /** Same order as the report's `handlers`. */
  readonly rows: readonly HeatmapRow[];
  /** Largest cell p95, ms, for scaling colours; null when no cell is timed. */
  readonly maxP95: number | null;
  /** Handler runs with no time at all (no settle timestamp, no beat start), left out of the matrix. */
  readonly unplacedExecutions: number;
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
  const bounds = [...data.sessions.flatMap((s) => [s.startMs, s.endMs]), ...times].filter(
    (t): t is number => t !== null,
  );
  const unplacedExecutions = times.filter((t) => t === null).length;
  const empty = { bucketWidthMs: 0, buckets: [], maxP95: null, unplacedExecutions };
  if (bounds.length === 0 || bucketCount < 1) {
    return { startMs: null, endMs: null, ...empty, rows: order.map((h) => ({ ...h, cells: [] })) };
  }
  const startMs = Math.min(...bounds);
  const endMs = Math.max(...bounds);
  // Whole milliseconds, at least 1, so bucket edges are readable and every time falls in a bucket.
  const width = Math.max(1, Math.ceil((endMs - startMs) / bucketCount));
  const columnOf = (t: number) => Math.min(bucketCount - 1, Math.floor((t - startMs) / width));

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
    const from = startMs + index * width;
    const to = from + width;
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
