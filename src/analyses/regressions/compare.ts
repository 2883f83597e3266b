/**
 * Compares a candidate's handler times and errors with a baseline's (both `Baseline` values: a committed file,
 * or built from a store). A handler time changed when the Mann–Whitney test says so after Benjamini–Hochberg
 * across every test (FDR `alpha`) *and* its 10 %-trimmed mean moved by at least `minChange`: significance
 * alone flags tiny shifts on big samples, magnitude alone flags noise on small ones. Below `minSamples` timed
 * executions on either side a handler is listed as insufficient, never passed or failed silently.
 */
import { compareStrings, round2, round4 } from '../collections.js';
import { percentile } from '../percentile.js';
import type { Baseline, BaselineEntry } from './baseline-types.js';
import {
  COMPARE_SCHEMA,
  COMPARE_VERSION,
  type CompareOptions,
  type CompareReport,
  type ErrorRateIncrease,
  type HandlerChange,
  type Insufficient,
  type NewError,
  type SampleSummary,
  type StructuralChange,
} from './compare-types.js';
import { benjaminiHochberg, mannWhitney, proportionIncrease, trimmedMean } from './rank-tests.js';

export const DEFAULT_MIN_CHANGE = 0.1;
export const DEFAULT_ALPHA = 0.01;
export const DEFAULT_MIN_SAMPLES = 20;

/** The inputs cannot be compared (exit 2): nothing in common, or an empty candidate. */
export class IncomparableError extends Error {
  override readonly name = 'IncomparableError';
}

const keyOf = (e: { plugin: string; handler: string; sequence: string | null }) =>
  `${e.plugin}\u0000${e.handler}\u0000${e.sequence ?? '\u0001'}`;

export function compareBaselines(base: Baseline, cand: Baseline, options: CompareOptions = {}): CompareReport {
  const minChange = options.minChange ?? DEFAULT_MIN_CHANGE;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (cand.handlers.length === 0) throw new IncomparableError('the candidate holds no handler runs');
  const candByKey = new Map(cand.handlers.map((e) => [keyOf(e), e]));
  const baseByKey = new Map(base.handlers.map((e) => [keyOf(e), e]));
  const common = base.handlers.filter((e) => e.sequence === null && candByKey.has(keyOf(e)));
  if (common.length === 0) {
    throw new IncomparableError(
      'the baseline and the candidate have no plugin × handler in common (a baseline of another app?)',
    );
  }
  // Sequence × handler entries add information only for handlers that run in more than one sequence.
  const sequencesOf = new Map<string, number>();
  for (const e of base.handlers) {
    if (e.sequence !== null)
      sequencesOf.set(keyOf({ ...e, sequence: null }), (sequencesOf.get(keyOf({ ...e, sequence: null })) ?? 0) + 1);
  }
  const insufficient: Insufficient[] = [];
  const tests: Array<{ b: BaselineEntry; c: BaselineEntry; p: number; effect: number }> = [];
  for (const b of base.handlers) {
    const c = candByKey.get(keyOf(b));
    if (!c) continue;
    if (b.sequence !== null && (sequencesOf.get(keyOf({ ...b, sequence: null })) ?? 0) < 2) continue;
    const nB = b.timedExecutions;
    const nC = c.timedExecutions;
    if (nB < minSamples || nC < minSamples) {
      insufficient.push({
        plugin: b.plugin,
        handler: b.handler,
        sequence: b.sequence,
        reason:
          nB === 0 && nC === 0
            ? 'no timed execution on either side (logs without timestamps, or async handlers settling after their beat)'
            : `${nB} timed executions in the baseline, ${nC} in the candidate: at least ${minSamples} needed on each side`,
      });
      continue;
    }
    tests.push({ b, c, p: 1, effect: 0.5 });
  }
  const shift = releaseShift(tests, options.normalize ?? false);
  if (shift.normalized) {
    for (const t of tests) {
      const mw = mannWhitney(
        t.b.timesMs,
        t.c.timesMs.map((v) => v / shift.factor),
      );
      t.p = mw.pValue;
      t.effect = mw.effect;
    }
  }
  if (!shift.normalized) {
    for (const t of tests) {
      const mw = mannWhitney(t.b.timesMs, t.c.timesMs);
      t.p = mw.pValue;
      t.effect = mw.effect;
    }
  }
  const q = benjaminiHochberg(tests.map((t) => t.p));
  const compared = tests.map(({ b, c, effect }, i): HandlerChange => {
    const before = trimmedMean(b.timesMs);
    const after = trimmedMean(c.timesMs) / (shift.normalized ? shift.factor : 1);
    // 1 ms floor: a handler that took ~0 ms (timestamp resolution) has no meaningful relative change.
    const change = (after - before) / Math.max(before, 1);
    const threshold = minChangeFor(b, options, minChange);
    const significant = q[i]! <= alpha;
    const verdict =
      significant && change >= threshold && effect > 0.5
        ? 'regression'
        : significant && change <= -threshold && effect < 0.5
          ? 'improvement'
          : 'unchanged';
    return {
      plugin: b.plugin,
      handler: b.handler,
      sequence: b.sequence,
      metric: 'handlerTime',
      baseline: summarize(b),
      candidate: summarize(c),
      change: round4(change),
      pValue: q[i]!,
      minChange: threshold,
      verdict,
    };
  });
  const errors = errorChanges(base, cand, alpha);
  const structural = structuralChanges(base, cand, baseByKey, candByKey, minSamples, insufficient);
  const regressions = compared.filter((c) => c.verdict === 'regression').sort(byChange);
  const improvements = compared.filter((c) => c.verdict === 'improvement').sort((a, b) => -byChange(a, b));
  return {
    schema: COMPARE_SCHEMA,
    version: COMPARE_VERSION,
    options: { minChange, alpha, minSamples, normalize: shift.normalized },
    releaseShift: { factor: round4(shift.factor), handlers: shift.handlers },
    summary: {
      tested: compared.length,
      regressions: regressions.length,
      improvements: improvements.length,
      newErrors: errors.newErrors.length,
      errorRateIncreases: errors.increases.length,
      structural: structural.length,
      insufficient: insufficient.length,
    },
    regressions,
    improvements,
    newErrors: errors.newErrors,
    errorRateIncreases: errors.increases,
    structural,
    insufficient,
    compared,
  };
}

/**
 * The release-wide factor: the median over the tested handlers (not per sequence) of the ratio of trimmed
 * means. Times measured on another machine or under another load move together (the simulator's A/A runs on a
 * busy machine differ by ~25 % throughout); dividing the candidate's times by this factor leaves each handler's
 * own change (opt-in: with many handlers really slower the median moves too). Not applied below 5 handlers.
 */
function releaseShift(
  tests: ReadonlyArray<{ b: BaselineEntry; c: BaselineEntry }>,
  normalize: boolean,
): { factor: number; handlers: number; normalized: boolean } {
  const ratios = tests
    .filter((t) => t.b.sequence === null && trimmedMean(t.b.timesMs) > 0)
    .map((t) => trimmedMean(t.c.timesMs) / trimmedMean(t.b.timesMs))
    .sort((x, y) => x - y);
  if (ratios.length === 0) return { factor: 1, handlers: 0, normalized: false };
  const factor = percentile(ratios, 0.5)!;
  return { factor, handlers: ratios.length, normalized: normalize && ratios.length >= 5 && factor > 0 };
}

function byChange(a: HandlerChange, b: HandlerChange): number {
  return b.change - a.change || compareStrings(a.plugin, b.plugin) || compareStrings(a.handler, b.handler);
}

function summarize(e: BaselineEntry): SampleSummary {
  return {
    n: e.timedExecutions,
    p50: round2(percentile(e.timesMs, 0.5) ?? 0),
    p95: round2(percentile(e.timesMs, 0.95) ?? 0),
  };
}

function minChangeFor(e: BaselineEntry, options: CompareOptions, fallback: number): number {
  let best: { score: number; minChange: number } | null = null;
  for (const o of options.overrides ?? []) {
    if (o.plugin !== undefined && o.plugin !== e.plugin) continue;
    if (o.handler !== undefined && o.handler !== e.handler) continue;
    if (o.sequence !== undefined && o.sequence !== e.sequence) continue;
    const score = (o.plugin ? 1 : 0) + (o.handler ? 2 : 0) + (o.sequence ? 4 : 0);
    if (!best || score > best.score) best = { score, minChange: o.minChange };
  }
  return best?.minChange ?? fallback;
}

function errorChanges(
  base: Baseline,
  cand: Baseline,
  alpha: number,
): { newErrors: NewError[]; increases: ErrorRateIncrease[] } {
  const baseByHandler = new Map(base.handlers.filter((e) => e.sequence === null).map((e) => [keyOf(e), e]));
  const newErrors: NewError[] = [];
  const candidates: Array<{ b: BaselineEntry; c: BaselineEntry; p: number }> = [];
  for (const c of cand.handlers) {
    if (c.sequence !== null) continue;
    const b = baseByHandler.get(keyOf(c));
    const known = new Set(b?.errorSignatures.map((s) => s.signature) ?? []);
    for (const s of c.errorSignatures) {
      if (known.has(s.signature)) continue;
      newErrors.push({
        plugin: c.plugin,
        handler: c.handler,
        signature: s.signature,
        count: s.count,
        rate: round4(s.count / Math.max(1, c.executions)),
      });
    }
    if (b && c.errors > 0)
      candidates.push({ b, c, p: proportionIncrease(b.errors, b.executions, c.errors, c.executions) });
  }
  const q = benjaminiHochberg(candidates.map((t) => t.p));
  const rates = (e: BaselineEntry) => ({
    executions: e.executions,
    errors: e.errors,
    rate: round4(e.errors / Math.max(1, e.executions)),
  });
  const increases = candidates
    .map(({ b, c }, i) => ({
      plugin: c.plugin,
      handler: c.handler,
      baseline: rates(b),
      candidate: rates(c),
      pValue: q[i]!,
    }))
    .filter((x) => x.pValue <= alpha && x.candidate.rate > x.baseline.rate);
  newErrors.sort(
    (a, b) => b.count - a.count || compareStrings(a.plugin, b.plugin) || compareStrings(a.handler, b.handler),
  );
  return { newErrors, increases };
}

function structuralChanges(
  base: Baseline,
  cand: Baseline,
  baseByKey: ReadonlyMap<string, BaselineEntry>,
  candByKey: ReadonlyMap<string, BaselineEntry>,
  minSamples: number,
  insufficient: Insufficient[],
): StructuralChange[] {
  const out: StructuralChange[] = [];
  const change = (kind: StructuralChange['kind'], e: BaselineEntry, detail: string): StructuralChange => ({
    kind,
    plugin: e.plugin,
    handler: e.handler,
    sequence: null,
    added: [],
    removed: [],
    detail,
  });
  for (const c of cand.handlers) {
    if (c.sequence === null && !baseByKey.has(keyOf(c)))
      out.push(change('handler-appeared', c, `ran ${c.executions} times; the baseline never ran it`));
  }
  for (const b of base.handlers) {
    if (b.sequence !== null || candByKey.has(keyOf(b))) continue;
    // One or two runs in the baseline and none now is what sampling does to a rarely played sequence.
    if (b.executions >= minSamples)
      out.push(change('handler-vanished', b, `ran ${b.executions} times in the baseline, never in the candidate`));
    else
      insufficient.push({
        plugin: b.plugin,
        handler: b.handler,
        sequence: null,
        reason: `ran ${b.executions} times in the baseline and never in the candidate: too few to call it vanished (${minSamples} needed)`,
      });
  }
  const candSeq = new Map(cand.sequences.map((s) => [s.sequence, s]));
  for (const b of base.sequences) {
    const c = candSeq.get(b.sequence);
    if (!c) continue;
    const before = new Set(b.beats);
    const after = new Set(c.beats);
    const added = c.beats.filter((x) => !before.has(x));
    const removed = b.beats.filter((x) => !after.has(x));
    if (added.length + removed.length === 0) continue;
    out.push({
      kind: 'beats-changed',
      plugin: null,
      handler: null,
      sequence: b.sequence,
      added,
      removed,
      detail: [
        added.length > 0 ? `new beats ${added.join(', ')}` : '',
        removed.length > 0 ? `beats no longer run ${removed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  return out;
}
