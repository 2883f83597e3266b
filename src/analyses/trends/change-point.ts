/**
 * Change points in one series of per-session values, Otava-style: E-Divisive means (Matteson & James 2014, energy
 * divergence with α = 1) picks where a segment splits best, Welch's t-test on the two sides says whether the split
 * is real, and binary segmentation repeats inside each side. Deterministic: no permutations, no random numbers.
 *
 * The unit is the session, not the execution: executions of one app start share its machine and load (on a shared
 * host, session means of an untouched handler differ by 2× and more), so a test over executions would take every
 * busy session for a change. The t-test's p-value is Bonferroni-corrected for the splits the divergence chose among
 * (choosing the best split and then testing it as if fixed would inflate false alarms).
 */
import { welchTest } from './student-t.js';

export interface Split {
  /** Index of the first value after the change (0-based, within the whole series). */
  readonly at: number;
  /** Energy divergence Q̂ of the split (scaled by mn/(m+n)); larger is a clearer split. */
  readonly divergence: number;
  /** Welch two-sided p-value of the two sides of its segment, times the candidate splits of that segment. */
  readonly pValue: number;
  /** Bounds of the segment it split, [from, to). */
  readonly from: number;
  readonly to: number;
}

/**
 * Q̂(τ) for every split τ of `x[from..to)` with at least `minSegment` values on each side, as [τ, Q̂] pairs.
 * O(n²) time, O(1) extra memory: within-side distance sums are updated as τ moves right.
 */
export function energyDivergences(
  x: readonly number[],
  from: number,
  to: number,
  minSegment: number,
): Array<[number, number]> {
  const n = to - from;
  if (n < 2 * minSegment) return [];
  let total = 0;
  for (let i = from; i < to; i++) for (let k = i + 1; k < to; k++) total += Math.abs(x[i]! - x[k]!);
  // left: Σ|xi − xk| over pairs in [from, τ); right: over pairs in [τ, to).
  let left = 0;
  let right = total;
  const out: Array<[number, number]> = [];
  for (let tau = from + 1; tau <= to - minSegment; tau++) {
    const moved = tau - 1; // x[moved] leaves the right side and joins the left
    for (let i = from; i < moved; i++) left += Math.abs(x[moved]! - x[i]!);
    for (let k = moved + 1; k < to; k++) right -= Math.abs(x[moved]! - x[k]!);
    const m = tau - from;
    const r = to - tau;
    if (m < minSegment) continue;
    const cross = total - left - right;
    const within = (sum: number, size: number) => (size < 2 ? 0 : sum / ((size * (size - 1)) / 2));
    const e = (2 * cross) / (m * r) - within(left, m) - within(right, r);
    out.push([tau, ((m * r) / (m + r)) * e]);
  }
  return out;
}

/** The best split of `x[from..to)` and its corrected p-value; null when the segment is too short to split. */
export function bestSplit(x: readonly number[], from: number, to: number, minSegment: number): Split | null {
  const candidates = energyDivergences(x, from, to, minSegment);
  if (candidates.length === 0) return null;
  let best = candidates[0]!;
  for (const c of candidates) if (c[1] > best[1]) best = c;
  const [at, divergence] = best;
  const { pValue } = welchTest(x.slice(from, at), x.slice(at, to));
  return { at, divergence, pValue: Math.min(1, pValue * candidates.length), from, to };
}

/**
 * Binary segmentation: the whole series' best split first; when `accept(split)` takes it, each side is split in
 * turn the same way. Returns the accepted splits by position, and the first (whole-series) test, accepted or not
 * (null when the series is shorter than 2 × minSegment), for the caller's multiple-testing control.
 */
export function segmentSeries(
  x: readonly number[],
  minSegment: number,
  accept: (split: Split, depth: number) => boolean,
): { first: Split | null; splits: Split[] } {
  const first = bestSplit(x, 0, x.length, minSegment);
  const splits: Split[] = [];
  const visit = (split: Split | null, depth: number) => {
    if (!split || !accept(split, depth)) return;
    splits.push(split);
    visit(bestSplit(x, split.from, split.at, minSegment), depth + 1);
    visit(bestSplit(x, split.at, split.to, minSegment), depth + 1);
  };
  visit(first, 0);
  return { first, splits: splits.sort((a, b) => a.at - b.at) };
}
