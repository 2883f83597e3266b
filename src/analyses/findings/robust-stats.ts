/** Robust statistics for the anomaly finders: median, MAD, the binomial tail, and Fisher's exact test. */

import { selectInPlace } from '../percentile.js';

export function median(values: ArrayLike<number>): number {
  // Copied by index: `Float64Array.from` walks an iterator, boxing every number it passes.
  const copy = new Float64Array(values.length);
  for (let i = 0; i < copy.length; i++) copy[i] = values[i]!;
  return medianOf(copy);
}

/**
 * Median of the values, reordering them in place; NaN when empty. The middle value is selected in linear time
 * (percentile.ts `selectInPlace`) rather than by sorting: the latency baselines take medians of whole handler histories.
 * With a NaN among the values the typed array is sorted instead (it orders NaN last, which comparisons cannot).
 */
export function medianOf(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  if (hasNaN(values)) {
    values.sort();
    return n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  }
  selectInPlace(values, mid, 0, n - 1);
  if (n % 2 === 1) return values[mid]!;
  // Everything before `mid` is now ≤ values[mid]: the lower middle value is their largest.
  let lower = values[0]!;
  for (let i = 1; i < mid; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + values[mid]!) / 2;
}

/** A loop, not `values.some(Number.isNaN)`: the callback boxes each value it is given. */
function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) return true;
  return false;
}

/**
 * Median absolute deviation from the median (unscaled; × 1.4826 estimates σ for normal data). `into`: where the
 * deviations are written (as many values as `values`), when the caller has room to spare.
 */
export function mad(
  values: ArrayLike<number>,
  center = median(values),
  into: Float64Array = new Float64Array(values.length),
): number {
  for (let i = 0; i < values.length; i++) into[i] = Math.abs(values[i]! - center);
  return medianOf(into);
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space so large n neither overflows nor underflows to NaN. */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let logC = 0; // log C(n, i), built up from i = 0
  let total = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    if (i >= k) total += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log(1 - p));
  }
  return Math.min(1, total);
}

/** log C(n, k). */
function logChoose(n: number, k: number): number {
  let out = 0;
  for (let i = 1; i <= k; i++) out += Math.log(n - k + i) - Math.log(i);
  return out;
}

/**
 * One-sided Fisher's exact test: P(X ≥ k) for X ~ Hypergeometric(population, marked, drawn), i.e. the chance that
 * `drawn` items picked from `population` of which `marked` are marked hold `k` or more marked ones.
 */
export function hypergeometricTail(k: number, population: number, marked: number, drawn: number): number {
  const hi = Math.min(marked, drawn);
  const lo = Math.max(k, 0, drawn - (population - marked));
  if (lo > hi) return 0;
  const logTotal = logChoose(population, drawn);
  let total = 0;
  for (let i = lo; i <= hi; i++) {
    total += Math.exp(logChoose(marked, i) + logChoose(population - marked, drawn - i) - logTotal);
  }
  return Math.min(1, total);
}
