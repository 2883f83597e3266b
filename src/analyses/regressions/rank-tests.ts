/**
 * The statistics the comparison decides with. Handler times have 1 ms resolution (docs/log-formats.md §7), so
 * samples are full of ties: the Mann–Whitney U test with the tie-corrected normal approximation fits, and needs
 * no assumption about the (skewed, multi-modal) shape of the times.
 */

export interface MannWhitney {
  /** U of the candidate sample `b`: how often a b time exceeds an a time (ties count ½). */
  readonly u: number;
  /** Two-sided p-value, normal approximation with tie and continuity correction. 1 when all values tie. */
  readonly pValue: number;
  /** Common-language effect size U / (n·m): P(b > a) + ½·P(b = a); 0.5 means no shift. */
  readonly effect: number;
}

/** Two-sided Mann–Whitney U test of `a` against `b` (any order; neither may be empty). */
export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new RangeError('mannWhitney needs two non-empty samples');
  const all = [...a.map((v) => ({ v, fromB: false })), ...b.map((v) => ({ v, fromB: true }))].sort((x, y) => x.v - y.v);
  const total = n + m;
  let rankSumB = 0;
  let tieTerm = 0;
  for (let i = 0; i < total; ) {
    let j = i;
    while (j + 1 < total && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2; // mean of 1-based ranks i+1 .. j+1
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.fromB) rankSumB += rank;
    i = j + 1;
  }
  const u = rankSumB - (m * (m + 1)) / 2;
  const mean = (n * m) / 2;
  const variance = ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1) || 1));
  const effect = u / (n * m);
  if (!(variance > 0)) return { u, pValue: 1, effect };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, pValue: Math.min(1, 2 * normalUpperTail(z)), effect };
}

/** P(Z > z) for a standard normal Z: erfc(z/√2)/2 (Numerical Recipes' erfc, relative error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const erfc =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the input order: rejecting q ≤ α controls the false
 * discovery rate across the family at α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const out = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    out[i] = running;
  }
  return out;
}

/**
 * One-sided two-proportion z-test that rate b exceeds rate a (pooled variance): p-value. 1 when nothing can
 * be said (no executions, or no errors on either side).
 */
export function proportionIncrease(errorsA: number, nA: number, errorsB: number, nB: number): number {
  if (nA === 0 || nB === 0) return 1;
  const pooled = (errorsA + errorsB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (!(se > 0)) return 1;
  return normalUpperTail((errorsB / nB - errorsA / nA) / se);
}

/** Mean of the middle values of a sorted sample, `trim` (0..0.5) cut at each end: robust to a few outliers. */
export function trimmedMean(sorted: readonly number[], trim = 0.1): number {
  const cut = Math.floor(sorted.length * trim);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((s, v) => s + v, 0) / kept.length;
}
