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

/**
 * Moves the `k`-th smallest of `values[lo..hi]` (inclusive bounds, lo ≤ k ≤ hi) to index k, with nothing larger
 * before it and nothing smaller after it within the range: Hoare's selection, O(hi − lo) on average, so a few order
 * statistics of a million durations cost a few passes instead of a sort. Equal values (1 ms resolution makes many)
 * are swapped across the pivot, which keeps both sides shrinking.
 */
export function selectInPlace(values: Float64Array, k: number, lo: number, hi: number): void {
  while (lo < hi) {
    const a = values[lo]!;
    const b = values[(lo + hi) >>> 1]!;
    const c = values[hi]!;
    // The median of the range's first, middle and last values: sorted or reversed input stays linear.
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    // Now values[lo..j] ≤ pivot ≤ values[i..hi], and any index between j and i holds the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The `p`-quantiles of `values`, exactly as `percentile` of the sorted values gives them (same ranks, same
 * interpolation), found by selection: `values` is reordered, not sorted. `ps` ascending; null for an empty array.
 */
export function percentilesInPlace(values: Float64Array, ps: readonly number[]): (number | null)[] {
  const n = values.length;
  let from = 0;
  return ps.map((p, at) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
    if (at > 0 && p < ps[at - 1]!) throw new RangeError(`percentiles must be ascending, got ${ps.join(', ')}`);
    if (n === 0) return null;
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    selectInPlace(values, lo, from, n - 1);
    from = lo;
    if (lo + 1 >= n || h === lo) return values[lo]!;
    // Everything after lo is ≥ values[lo]; its least is the next rank.
    let next = values[lo + 1]!;
    for (let i = lo + 2; i < n; i++) if (values[i]! < next) next = values[i]!;
    return values[lo]! + (h - lo) * (next - values[lo]!);
  });
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
 * `timingStats` over a scratch buffer the caller owns, reordered in place: hot loops fill one Float64Array per group
 * instead of building arrays of numbers. Percentiles by selection (no sort); min, max and the sum in one pass.
 */
export function timingStatsInPlace(values: Float64Array): TimingStats {
  const n = values.length;
  let total = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    total += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const [p50, p95, p99] = percentilesInPlace(values, [0.5, 0.95, 0.99]);
  return {
    count: n,
    min: n === 0 ? null : roundMs(min),
    max: n === 0 ? null : roundMs(max),
    avg: n === 0 ? null : roundMs(total / n),
    p50: nullable(p50 ?? null),
    p95: nullable(p95 ?? null),
    p99: nullable(p99 ?? null),
    total: roundMs(total),
  };
}
