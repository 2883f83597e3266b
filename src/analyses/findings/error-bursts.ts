/**
 * `error-burst` findings: a handler whose errors cluster in one stretch of one session — from its first to its
 * last error there — at a rate far above its own rate everywhere else. "Far above" is a one-sided binomial test:
 * so many errors in so few executions would happen with probability below ALPHA at the elsewhere rate (a Laplace
 * estimate, (errors + 1) / (executions + 2), so a handler that never failed elsewhere is not rate 0). A burst needs
 * at least MIN_ERRORS errors; a handler that fails at a steady rate is a `handler-error`, not a burst.
 */
import type { HandlerRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import type { FindingContext } from './finding-context.js';
import { describeRate, quoteCode } from './finding-text.js';
import type { Finding } from './findings-types.js';
import { binomialTail } from './robust-stats.js';
import { byTime, sessionWindow, sessionWindowFinding } from './session-window.js';

export const MIN_ERRORS = 3;
/** Window error rate at least this (a burst is mostly failures). */
export const MIN_WINDOW_RATE = 0.5;
export const ALPHA = 0.005;

/** A stretch of one session's items, in order, that may be a burst: from its first to its last failing item. */
export interface BurstWindow<T> {
  readonly window: readonly T[];
  readonly failing: readonly T[];
  readonly k: number;
  readonly n: number;
}

/** A burst: its window, and the test's numbers. */
export interface Burst<T> extends BurstWindow<T> {
  readonly elsewhereErrors: number;
  readonly elsewhere: number;
  readonly pValue: number;
}

/**
 * The window of `ordered` (one session's items in time order) from its first to its last failing item, when it
 * has ≥ MIN_ERRORS failures making ≥ MIN_WINDOW_RATE of it; else null. With `burstTest`, shared by the handler
 * bursts (executions) and the sequence bursts (runs, sequence-bursts.ts, which test once every part is counted).
 */
export function burstWindow<T>(ordered: readonly T[], fails: (item: T) => boolean): BurstWindow<T> | null {
  const from = ordered.findIndex(fails);
  if (from < 0) return null;
  const window = ordered.slice(from, ordered.findLastIndex(fails) + 1);
  const failing = window.filter(fails);
  const k = failing.length;
  const n = window.length;
  return k < MIN_ERRORS || k / n < MIN_WINDOW_RATE ? null : { window, failing, k, n };
}

/**
 * The burst, when the window's failures are improbable at the rate elsewhere (`totalFailing` of `total` items
 * over the store, the window's included, Laplace-estimated): a one-sided binomial test below ALPHA.
 */
export function burstTest<T>(w: BurstWindow<T>, totalFailing: number, total: number): Burst<T> | null {
  const elsewhereErrors = totalFailing - w.k;
  const elsewhere = total - w.n;
  const pValue = binomialTail(w.k, w.n, (elsewhereErrors + 1) / (elsewhere + 2));
  return pValue < ALPHA ? { ...w, elsewhereErrors, elsewhere, pValue } : null;
}

const failed = (r: HandlerRun) => r.status === 'error';

/**
 * `totals`: each handler's errors and executions (by `handlerKey`) over the whole store, when `ctx` is one part of
 * it, so "elsewhere" is everywhere else in the store; without it, the context's.
 */
export function errorBurstFindings(
  ctx: FindingContext,
  totals?: ReadonlyMap<string, { readonly errors: number; readonly executions: number }>,
): Finding[] {
  const findings: Finding[] = [];
  for (const [key, runs] of ctx.executions) {
    const total = totals?.get(key);
    const totalErrors = total?.errors ?? runs.filter(failed).length;
    if (totalErrors < MIN_ERRORS) continue;
    for (const [, own] of groupBy(runs, (r) => r.sessionId)) {
      const window = burstWindow([...own].sort(byTime), failed);
      const burst = window && burstTest(window, totalErrors, total?.executions ?? runs.length);
      if (burst) findings.push(finding(ctx, burst));
    }
  }
  return findings;
}

function finding(ctx: FindingContext, s: Burst<HandlerRun>): Finding {
  const { window } = s;
  const w = sessionWindow(ctx, window);
  const { first, where } = w;
  const elsewhereRate = s.elsewhere > 0 ? `${((s.elsewhereErrors / s.elsewhere) * 100).toFixed(1)} %` : 'no executions';
  return sessionWindowFinding(ctx, window, w, {
    kind: 'error-burst',
    severity: 'error',
    title: `${first.handler} (${first.pluginId ?? 'unknown plugin'}) failed ${s.k} of ${s.n} times in a burst`,
    explanation:
      `${quoteCode(first.handler)} (${first.pluginId ?? 'unknown plugin'}${where ? `, ${where}` : ''}) failed ${describeRate(s.k, s.n, 'execution')}` +
      ` between ${w.start ?? 'an untimed line'} and ${w.end ?? 'an untimed line'} in one session,` +
      ` against ${s.elsewhereErrors} of ${s.elsewhere} (${elsewhereRate}) everywhere else (binomial p = ${s.pValue.toExponential(1)}).` +
      ' Something broke for a while — a dependency outage, bad data, a bad deploy — rather than a steady bug: check what that session ran into' +
      (where ? `, starting at ${where}.` : '.'),
    count: s.k,
    rate: s.k / s.n,
    evidence: s.failing,
    burst: {
      windowStart: w.start,
      windowEnd: w.end,
      windowErrors: s.k,
      windowExecutions: s.n,
      elsewhereErrors: s.elsewhereErrors,
      elsewhereExecutions: s.elsewhere,
      pValue: s.pValue,
    },
  });
}
