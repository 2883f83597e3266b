/**
 * Student's t distribution for the change-point test (Welch's two-sample t-test): the two-sided tail from the
 * regularized incomplete beta function, I_x(a, b) by its continued fraction (Numerical Recipes §6.4; relative
 * error ~1e-12 over the range used here: df ≥ 1, any t).
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error < 1e-14). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of I_x(a, b) (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b), 0 ≤ x ≤ 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(|T| ≥ |t|) for T ~ Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

export interface WelchResult {
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided. */
  readonly pValue: number;
}

/**
 * Welch's t-test of mean(b) − mean(a); each sample needs ≥ 2 values. Equal, constant samples give p = 1;
 * constant samples that differ give p = 0 (nothing varies but the level).
 */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) throw new RangeError('welchTest needs two samples of at least 2 values');
  const stats = (v: readonly number[]) => {
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1);
    return { mean, q: variance / v.length };
  };
  const sa = stats(a);
  const sb = stats(b);
  const diff = sb.mean - sa.mean;
  const se2 = sa.q + sb.q;
  if (!(se2 > 0))
    return {
      t: diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY,
      df: a.length + b.length - 2,
      pValue: diff === 0 ? 1 : 0,
    };
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((sa.q * sa.q) / (a.length - 1) + (sb.q * sb.q) / (b.length - 1));
  return { t, df, pValue: studentTwoSided(t, df) };
}
