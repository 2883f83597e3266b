/**
 * `latency-anomaly` findings: a handler whose executions in a stretch of one session are far slower than its own
 * baseline (its executions in the other sessions). Robust statistics: the baseline's median and MAD, the scale
 * never below the logs' 1 ms timestamp resolution; an execution is elevated when it is more than Z_ELEVATED
 * scales above the baseline median, and a window is a run of at least MIN_WINDOW consecutive elevated
 * executions whose median is also at least MIN_SHIFT_MS above. A handler that is always slow has a slow
 * baseline, so it is never an anomaly (the heatmap shows it); one slow execution is noise (handler times carry
 * the beat's framework overhead and the host's scheduling, docs/log-formats.md §7), three in a row are not.
 */
import type { HandlerRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import type { FindingContext } from './finding-context.js';
import { msText, plural, quoteCode } from './finding-text.js';
import type { Finding } from './findings-types.js';
import { mad, median } from './robust-stats.js';
import { byTime, sessionWindow, sessionWindowFinding } from './session-window.js';

/** Consecutive elevated executions that make a window (fewer cannot be told from scheduling noise). */
export const MIN_WINDOW = 3;
/** Robust z-score (scaled MAD units) above which one execution counts as elevated. */
export const Z_ELEVATED = 4;
/**
 * The window's median must exceed the baseline's by at least this much, ms: about one beat's framework overhead
 * (~16 ms in Node, 4–36 ms in browsers, docs/log-formats.md §7), whose own jitter makes smaller shifts of a tight
 * handler (a MAD of 0–1 ms) look like many standard deviations without meaning anything.
 */
export const MIN_SHIFT_MS = 15;
/** Baseline executions needed to judge a handler at all. */
export const MIN_BASELINE = 5;
/**
 * Up to this many sessions, a session's baseline leaves it out exactly; past it, one session moves the baseline's
 * median and MAD too little to matter and the handler's whole history is the baseline (computed once), so a
 * store of thousands of sessions stays linear.
 */
const EXACT_BASELINE_SESSIONS = 30;
/** Timestamps are whole ms: no scale below that. */
const RESOLUTION_MS = 1;

interface Candidate {
  readonly window: readonly HandlerRun[];
  readonly stats: Stats;
}

/** Medians and MAD of handler times, ms (`raw…` kept apart for a future environment adjustment). */
interface Stats {
  baseMedian: number;
  baseMad: number;
  baseline: number;
  windowMedian: number;
  scale: number;
  rawWindowMedian: number;
  rawBaseMedian: number;
}

export function latencyFindings(ctx: FindingContext): Finding[] {
  return explainedAway(candidates(ctx)).map((c) => finding(ctx, c.window, c.stats));
}

/**
 * Drops a window explained by another: handler-level DataBaton lines are chained per request, so when an async
 * handler settles late, every later handler of the same runs logs late too (docs/log-formats.md §7). A window
 * whose runs are mostly runs of an earlier handler's window is that handler's anomaly, not its own.
 */
function explainedAway(found: readonly Candidate[]): Candidate[] {
  return found.filter((a) => {
    const lineIn = new Map(a.window.map((r) => [r.sequenceRunId, r.line]));
    return !found.some((b) => {
      if (b === a || b.window[0]!.sessionId !== a.window[0]!.sessionId) return false;
      const earlier = b.window.filter((r) => r.sequenceRunId !== null && r.line < (lineIn.get(r.sequenceRunId) ?? -1));
      return earlier.length * 2 >= a.window.length;
    });
  });
}

const isTimed = (r: HandlerRun) => r.status === 'ok' && r.durationMs !== null;

/** Executions are compared with the baseline's executions of the same rank in their session (1st, 2nd, 3rd+). */
const MAX_RANK = 3;

/**
 * A handler's k-th execution in a session is compared with the k-th executions of the other sessions (ranks past
 * MAX_RANK pooled): the first execution of a session is often slower (cold caches, the startup rush, a burst of
 * concurrent plays), and comparing it with warm ones would hide a slow episode in that spread. The residual
 * (time − the baseline median of its rank; the overall baseline median when fewer than 3 baseline executions share
 * the rank) is what is judged; its scale is the MAD of the baseline's own residuals.
 */
function candidates(ctx: FindingContext): Candidate[] {
  const findings: Candidate[] = [];
  for (const runs of ctx.executions.values()) {
    const timed = runs.filter(isTimed);
    const bySession = groupBy(timed, (r) => r.sessionId);
    if (bySession.size < 2) continue;
    const rank = new Map<HandlerRun, number>();
    for (const own of bySession.values()) {
      for (const [i, r] of [...own].sort(byTime).entries()) rank.set(r, Math.min(i + 1, MAX_RANK));
    }
    const exact = bySession.size <= EXACT_BASELINE_SESSIONS;
    const shared = exact ? null : baselineOf(timed, rank);
    for (const [sessionId, own] of bySession) {
      if (own.length < MIN_WINDOW) continue;
      const base =
        shared ??
        baselineOf(
          timed.filter((r) => r.sessionId !== sessionId),
          rank,
        );
      if (base === null) continue;
      const { residual, baseMedian, baseMad, scale, overall, count } = base;
      const ordered = [...own].sort(byTime);
      for (const window of elevatedRuns(ordered, (r) => (residual(r) - baseMedian) / scale > Z_ELEVATED)) {
        const windowMedian = median(window.map(residual));
        if (windowMedian - baseMedian < MIN_SHIFT_MS) continue;
        findings.push({
          window,
          stats: {
            baseMedian,
            baseMad,
            baseline: count,
            windowMedian,
            scale,
            rawWindowMedian: median(window.map((r) => r.durationMs!)),
            rawBaseMedian: overall,
          },
        });
      }
    }
  }
  return findings;
}

interface Baseline {
  readonly residual: (r: HandlerRun) => number;
  readonly baseMedian: number;
  readonly baseMad: number;
  readonly scale: number;
  /** Median raw time of the baseline, ms. */
  readonly overall: number;
  readonly count: number;
}

/** Rank medians, residual scale and raw median of a baseline; null when it is too small to judge against. */
function baselineOf(others: readonly HandlerRun[], rank: ReadonlyMap<HandlerRun, number>): Baseline | null {
  if (others.length < MIN_BASELINE) return null;
  const overall = median(others.map((r) => r.durationMs!));
  const rankMedian = new Map<number, number>();
  for (const [k, group] of groupBy(others, (r) => String(rank.get(r)))) {
    if (group.length >= 3) rankMedian.set(Number(k), median(group.map((r) => r.durationMs!)));
  }
  const residual = (r: HandlerRun) => r.durationMs! - (rankMedian.get(rank.get(r)!) ?? overall);
  const baseResiduals = others.map(residual);
  const baseMedian = median(baseResiduals);
  const baseMad = mad(baseResiduals, baseMedian);
  return {
    residual,
    baseMedian,
    baseMad,
    scale: Math.max(1.4826 * baseMad, RESOLUTION_MS),
    overall,
    count: others.length,
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Maximal runs of consecutive items passing `elevated`, at least MIN_WINDOW long. */
function elevatedRuns<T>(items: readonly T[], elevated: (item: T) => boolean): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  for (const item of [...items, null]) {
    if (item !== null && elevated(item)) {
      current.push(item);
      continue;
    }
    if (current.length >= MIN_WINDOW) out.push(current);
    current = [];
  }
  return out;
}

function finding(ctx: FindingContext, window: readonly HandlerRun[], s: Stats): Finding {
  const w = sessionWindow(ctx, window);
  const { first, where } = w;
  const all =
    ctx.executions.get(handlerKey(first.handler, first.pluginId))?.filter((r) => r.sessionId === first.sessionId)
      .length ?? window.length;
  const ratio = s.rawBaseMedian > 0 ? s.rawWindowMedian / s.rawBaseMedian : null;
  const score = Math.round(((s.windowMedian - s.baseMedian) / s.scale) * 10) / 10;
  const wholeSession = window.length === all;
  const span = wholeSession
    ? 'in every execution of one session'
    : `in ${window.length} consecutive executions of one session`;
  return sessionWindowFinding(ctx, window, w, {
    kind: 'latency-anomaly',
    severity: 'warning',
    title: `${first.handler} (${first.pluginId ?? 'unknown plugin'}) ran ${ratio ? `${ratio.toFixed(1)}× ` : ''}slower than usual ${span}`,
    explanation: [
      `${quoteCode(first.handler)} (${first.pluginId ?? 'unknown plugin'}${where ? `, ${where}` : ''}) took a median of ${msText(s.rawWindowMedian)} ${span}` +
        ` (${plural(window.length, 'execution')} from ${w.start ?? 'an untimed line'} to ${w.end ?? 'an untimed line'}),` +
        ` against ${msText(s.rawBaseMedian)} over its ${plural(s.baseline, 'execution')} in the other sessions` +
        ` (MAD ${msText(round1(s.baseMad))}): ${score} robust standard deviations above.`,
      'Every execution in the window was elevated, so this is not one slow beat: look for what changed in that session — input size, a slow dependency, a release — and',
      where ? `start at ${where}.` : 'index the code to get the handler’s file:line.',
    ].join(' '),
    count: window.length,
    rate: null,
    evidence: window,
    latency: {
      windowStart: w.start,
      windowEnd: w.end,
      executions: window.length,
      windowMedianMs: s.rawWindowMedian,
      baselineMedianMs: s.rawBaseMedian,
      baselineMadMs: round1(s.baseMad),
      baselineExecutions: s.baseline,
      score,
    },
  });
}
