/**
 * The load of each session, shared by every handler in it: on one machine at one time, a busy host or a slower
 * device makes every handler slower together (on the simulator's shared 2-core host, by 0.6× to 1.5× from one
 * session to the next, drifting over a run). Left in, such a drift is a change point of every handler at once;
 * taken out, a handler's own change stands out from less noise.
 *
 * A session's factor is the median, over the handlers timed in it, of how far the handler's point (mean ln time)
 * lies from that handler's median point: ln(factor). Handler points are tested minus it. The factors form a
 * series of their own, tested like a handler's (`(all handlers)`): a release that slows everything shows there.
 */
import { percentile, roundMs } from '../percentile.js';
import type { TrendPoint } from './trends-types.js';

/** Fewest handlers timed in a session for its factor to be estimated (else 0: no correction). */
export const MIN_HANDLERS_FOR_LOAD = 3;

export const ALL_PLUGINS = '(all plugins)';
export const ALL_HANDLERS = '(all handlers)';

export interface PointSeries {
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string | null;
  /** Per point: its runs' times, ms, ascending. */
  readonly times: number[][];
  readonly points: TrendPoint[];
  /** ln-mean per point. */
  readonly values: number[];
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  )!;

/** ln(load factor) per session rank (0 where fewer than MIN_HANDLERS_FOR_LOAD handlers were timed). */
export function sessionLoad(handlerSeries: readonly PointSeries[], sessions: number): Float64Array {
  const deviations: number[][] = Array.from({ length: sessions }, () => []);
  for (const s of handlerSeries) {
    const mid = median(s.values);
    s.points.forEach((p, i) => {
      deviations[p.sessionIndex]!.push(s.values[i]! - mid);
    });
  }
  return Float64Array.from(deviations, (d) => (d.length >= MIN_HANDLERS_FOR_LOAD ? median(d) : 0));
}

/** The series with each point's value minus its session's ln(load factor). */
export function withoutLoad<S extends PointSeries>(s: S, load: Float64Array): S {
  return { ...s, values: s.values.map((v, i) => v - load[s.points[i]!.sessionIndex]!) };
}

/**
 * The load factors as a series: a point per session whose factor was estimated; its runs are every handler's
 * (the p50 shown is theirs pooled), its value ln(factor).
 */
export function loadSeries(
  handlerSeries: readonly PointSeries[],
  load: Float64Array,
  sessionIds: readonly { readonly id: string; readonly startMs: number | null }[],
): PointSeries {
  const contributors = new Map<number, number[]>();
  for (const s of handlerSeries)
    s.points.forEach((p, i) => {
      const list = contributors.get(p.sessionIndex) ?? [];
      list.push(...s.times[i]!);
      contributors.set(p.sessionIndex, list);
    });
  const counts = new Map<number, number>();
  for (const s of handlerSeries)
    for (const p of s.points) counts.set(p.sessionIndex, (counts.get(p.sessionIndex) ?? 0) + 1);
  const times: number[][] = [];
  const points: TrendPoint[] = [];
  const values: number[] = [];
  for (const rank of [...contributors.keys()].sort((a, b) => a - b)) {
    if ((counts.get(rank) ?? 0) < MIN_HANDLERS_FOR_LOAD) continue;
    const sorted = contributors.get(rank)!.sort((a, b) => a - b);
    times.push(sorted);
    values.push(load[rank]!);
    points.push({
      session: sessionIds[rank]!.id,
      startMs: sessionIds[rank]!.startMs!,
      sessionIndex: rank,
      n: sorted.length,
      p50: roundMs(percentile(sorted, 0.5)!),
      geoMean: roundMs(Math.exp(load[rank]!)),
    });
  }
  return { plugin: ALL_PLUGINS, handler: ALL_HANDLERS, sequence: null, times, points, values };
}
