/**
 * Log-spaced latency bins, as latency heatmaps and histograms show them (Grafana, Datadog): each bin is about
 * 1.4× wider than the one before, so 3 ms and 300 ms runs both get readable detail.
 *
 * One fixed ladder for every handler (histograms compare across handlers and runs), with integer edges only:
 * `[0, 1) [1, 2) [2, 3) [3, 4) [4, 6) [6, 8) [8, 12) [12, 16) [16, 24) …` — after 1 ms the edges are 2^k and
 * 1.5·2^k. Handler times mostly come from settle-line timestamps of 1 ms resolution, so a bin narrower than
 * 1 ms or with a fractional edge would alias (some bins could never hold a value, others would hold two
 * timestamps' worth); here every bin up to 4 ms holds exactly one whole-ms value and later bins at least two.
 * Sub-millisecond (and, from a stepped clock, negative) times fall in the first bin, `[0, 1)`.
 */

/** One histogram bin: the runs whose time t satisfies `fromMs ≤ t < toMs` (ms). */
export interface LatencyBin {
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

/** The last ladder bin a finite double can fall in (2^1023 ≤ t < Number.MAX_VALUE). */
const MAX_BIN = 2 * 1023 + 1;

/** Lower edge of ladder bin `i` (0-based), ms: 0, 1, 2, 3, 4, 6, 8, 12, 16, … */
export function binEdgeMs(i: number): number {
  if (i <= 1) return i;
  const k = i >> 1;
  return i % 2 === 0 ? 2 ** k : 1.5 * 2 ** k;
}

/** The ladder bin holding `ms` (a finite number). */
export function latencyBin(ms: number): number {
  if (!(ms >= 1)) return 0;
  if (ms < 2) return 1;
  let k = Math.floor(Math.log2(ms));
  // log2 may land one off near powers of two; settle it on exact comparisons.
  while (2 ** k > ms) k--;
  while (2 ** (k + 1) <= ms) k++;
  return 2 * k + (ms >= 1.5 * 2 ** k ? 1 : 0);
}

/**
 * The histogram of `values` (ms, finite) on the ladder, from the bin of the smallest value to that of the
 * largest, empty bins in between kept (count 0) so the bins tile one range; [] for no values.
 * Invariant: the counts sum to `values.length`.
 */
export function latencyHistogram(values: ArrayLike<number>): LatencyBin[] {
  if (values.length === 0) return [];
  const counts = new Int32Array(MAX_BIN + 1);
  let lo = MAX_BIN;
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    const b = latencyBin(values[i]!);
    counts[b]!++;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  const bins: LatencyBin[] = [];
  for (let b = lo; b <= hi; b++) bins.push({ fromMs: binEdgeMs(b), toMs: binEdgeMs(b + 1), count: counts[b]! });
  return bins;
}
