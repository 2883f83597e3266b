/**
 * Exact order statistics over durations. Percentiles interpolate linearly between the two closest ranks,
 * the way DuckDB's `quantile_cont` (and numpy's default) does, so numbers match `beatscope sql` queries.
 */

/** Descriptive statistics of a set of durations, ms. All fields but `count` and `total` are null when empty. */
export interface TimingStats {
  /** How many durations the statistics are over. */
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly avg: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Sum, ms; 0 when empty. */
  readonly total: number;
}

/**
 * The `p`-quantile (0 ≤ p ≤ 1) of values sorted ascending: position h = (n − 1)·p, then
 * sorted[⌊h⌋] + (h − ⌊h⌋)·(sorted[⌊h⌋+1] − sorted[⌊h⌋]). Null for an empty array.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Rounds to 0.01 ms, the resolution of the most precise source (PerformanceTracker). */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

const nullable = (v: number | null): number | null => (v === null ? null : roundMs(v));

export function timingStats(values: readonly number[]): TimingStats {
  return timingStatsInPlace(Float64Array.from(values));
}

/**
 * `timingStats` over a scratch buffer the caller owns, sorted in place: hot loops fill one Float64Array per group
 * instead of building arrays of numbers (a typed array sorts numerically with no comparator). The sum runs over
 * the sorted values, as `timingStats` always has, so totals are bit-identical.
 */
export function timingStatsInPlace(values: Float64Array): TimingStats {
  const sorted = values.sort();
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i]!;
  const n = sorted.length;
  return {
    count: n,
    min: n === 0 ? null : roundMs(sorted[0]!),
    max: n === 0 ? null : roundMs(sorted[n - 1]!),
    avg: n === 0 ? null : roundMs(total / n),
    p50: nullable(percentile(sorted, 0.5)),
    p95: nullable(percentile(sorted, 0.95)),
    p99: nullable(percentile(sorted, 0.99)),
    total: roundMs(total),
  };
}
