/**
 * `latency-anomaly` findings: a handler whose executions in a stretch of one session are far slower than its own
 * baseline (its executions in the other sessions, compared rank by rank: see `candidates`; per sequence where the
 * handler's times differ by sequence: handler-histories.ts). An execution is
 * elevated when its time exceeds the baseline by at least MIN_EXCESS_MS beyond what the host was doing to every
 * handler at that moment (the environment, host-environment.ts: read from the runs of other sequences around it);
 * a window is a run of at least MIN_WINDOW consecutive elevated executions. A handler that is always slow has a slow
 * baseline, so it is never an anomaly (the heatmap shows it); one slow execution is noise (handler times carry the
 * beat's framework overhead and the host's scheduling, docs/log-formats.md §7), three in a row are not.
 *
 * Why an excess in ms and not a z-score: on a loaded host a trivial handler's time spreads over 5–100 ms, so the
 * baseline's MAD says more about the host than about the handler; a z threshold then misses 30–80 ms episodes on
 * handlers with a wide spread and flags 10 ms hiccups on handlers with a tight one. Host slowness is shared by
 * everything running around the same moment, an episode is one handler's (or a few of one sequence's): discounting
 * the environment is what keeps stretches of host load from reading as episodes (docs/reports.md, "Accuracy").
 */
import type { HandlerRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import type { FindingContext } from './finding-context.js';
import { msText, plural, quoteCode } from './finding-text.js';
import type { Finding } from './findings-types.js';
import { type History, type HistoryTimes, handlerHistories, MAX_RANK } from './handler-histories.js';
import { type Environment, hostEnvironment } from './host-environment.js';
import { mad, median, medianOf } from './robust-stats.js';
import { byTime, sessionWindow, sessionWindowFinding } from './session-window.js';

/** Consecutive elevated executions that make a window (fewer cannot be told from scheduling noise). */
export const MIN_WINDOW = 3;
/**
 * An execution is elevated when it is at least this much slower than the baseline of its rank, ms, after the
 * environment's excess is taken off: about two beats' framework overhead (~16 ms each in Node, docs/log-formats.md
 * §7). On the tuning seeds every value from 30 to 40 ms gave the same precision and recall; 45 lost episodes.
 */
export const MIN_EXCESS_MS = 35;
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

/**
 * Medians and MAD of a window and its baseline, ms: `baseMedian`, `baseMad`, `windowMedian` and `scale` are of the
 * rank residuals (what the score is computed from), `raw…` of the logged times (what the finding shows).
 */
interface Stats {
  baseMedian: number;
  baseMad: number;
  baseline: number;
  windowMedian: number;
  scale: number;
  rawWindowMedian: number;
  rawBaseMedian: number;
}

/** `env`: what the host did to each execution (host-environment.ts); the default reads it from other sequences' runs. */
export function latencyFindings(ctx: FindingContext, env: Environment = hostEnvironment(ctx)): Finding[] {
  return explainedAway(ctx, candidates(ctx, env)).map((c) => finding(ctx, c.window, c.stats));
}

/**
 * Drops a window explained by another: handler-level DataBaton lines are chained per request, so when an async
 * handler settles late, every later handler of the same runs logs late too (docs/log-formats.md §7). A window
 * whose executions are mostly held back by an earlier handler's window in the same runs (see `heldUp`) is that
 * handler's anomaly, not its own. Two handlers of one sequence slowed together, each before the next beat began,
 * are two episodes.
 */
function explainedAway(ctx: FindingContext, found: readonly Candidate[]): Candidate[] {
  return found.filter((a) => {
    const own = new Map(a.window.map((r) => [r.sequenceRunId, r]));
    return !found.some((b) => {
      if (b === a || b.window[0]!.sessionId !== a.window[0]!.sessionId) return false;
      const holding = b.window.filter((r) => {
        const x = r.sequenceRunId === null ? undefined : own.get(r.sequenceRunId);
        return x !== undefined && r.line < x.line && heldUp(ctx, x, r);
      });
      return holding.length * 2 >= a.window.length;
    });
  });
}

/**
 * Whether `earlier` (a handler before `x` in x's run) can have held x's settle line back: it settled after x's
 * beat started. A handler that settled before x's beat began (a slow synchronous one) left x's time alone. Unknown
 * times count as held up.
 */
function heldUp(ctx: FindingContext, x: HandlerRun, earlier: HandlerRun): boolean {
  const start = ctx.beat(x.beatRunId)?.startMs ?? null;
  return start === null || earlier.settledMs === null || earlier.settledMs > start;
}

/**
 * A handler's k-th execution in a session is compared with the k-th executions of the other sessions (ranks past
 * MAX_RANK pooled, handler-histories.ts): the first execution of a session is often slower (cold caches, the startup
 * rush, a burst of concurrent plays), and comparing it with warm ones would hide a slow episode in that spread. The
 * residual (time − the baseline median of its rank; the overall baseline median when fewer than 3 baseline
 * executions share the rank) less the environment's excess is what is judged; the MAD of the baseline's own
 * residuals only scales the score the finding reports. Baselines come from `ctx.historyTimes`: the whole store's
 * executions when `ctx` is one part of it.
 */
function candidates(ctx: FindingContext, env: Environment): Candidate[] {
  const findings: Candidate[] = [];
  const times = ctx.historyTimes;
  for (const timed of handlerHistories(ctx)) {
    const key = times.keyOf(timed[0]!);
    const { sessions } = times.history(key);
    if (sessions < 2) continue;
    const exact = sessions <= EXACT_BASELINE_SESSIONS;
    for (const [sessionId, own] of groupBy(timed, (r) => r.sessionId)) {
      if (own.length < MIN_WINDOW) continue;
      const base = times.baseline(key, exact ? sessionId : null, baselineOf);
      if (base === null) continue;
      const { baseMedian, baseMad, scale, overall, count } = base;
      const ordered = [...own].sort(byTime);
      // Ranks past MAX_RANK are pooled: only the first few executions have a rank of their own.
      const ranked = ordered.slice(0, MAX_RANK - 1);
      const rankOf = (r: HandlerRun) => {
        const i = ranked.indexOf(r);
        return i < 0 ? MAX_RANK : i + 1;
      };
      const residual = (r: HandlerRun) => base.residual(r.durationMs!, rankOf(r));
      // The environment is never below 0: an execution not slow enough before it is taken off is not after, so
      // the environment (the costly part) is read only inside stretches already long enough before it.
      const slow = (r: HandlerRun) => residual(r) - baseMedian >= MIN_EXCESS_MS;
      const elevated = (r: HandlerRun) => residual(r) - baseMedian - env(r) >= MIN_EXCESS_MS;
      for (const window of elevatedRuns(ordered, slow).flatMap((stretch) => elevatedRuns(stretch, elevated))) {
        const windowMedian = median(window.map(residual));
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

/**
 * The sessions where `candidates` can find a window, or more: those holding MIN_WINDOW executions of one history
 * slow enough to be elevated before the environment is taken off, at whatever rank they run (a part of a store may
 * rank a session's executions from its cut). A store read in parts judges no other session's executions
 * (findings-parts.ts).
 */
export function slowSessions(times: HistoryTimes): Set<string> {
  const out = new Set<string>();
  for (const key of times.keys()) {
    const history = times.history(key);
    if (history.sessions < 2) continue;
    const exact = history.sessions <= EXACT_BASELINE_SESSIONS;
    // Per session index: its baseline and the rank whose median is least (null: nothing to judge against).
    const judged = new Map<number, { base: Baseline; rank: number } | null>();
    const slow = new Map<number, number>();
    for (let i = 0; i < history.session.length; i++) {
      const session = history.session[i]!;
      let at = judged.get(session);
      if (at === undefined) {
        const base = times.baseline(key, exact ? times.sessionAt(session) : null, baselineOf);
        // An execution's residual is largest at the rank of least median: slow there, or at no rank.
        at = base && { base, rank: RANKS.reduce((a, b) => (base.residual(0, b) > base.residual(0, a) ? b : a)) };
        judged.set(session, at);
      }
      // The same test as `candidates`' `slow`, at that rank.
      if (at && at.base.residual(history.durationMs[i]!, at.rank) - at.base.baseMedian >= MIN_EXCESS_MS)
        slow.set(session, (slow.get(session) ?? 0) + 1);
    }
    for (const [session, n] of slow) if (n >= MIN_WINDOW) out.add(times.sessionAt(session));
  }
  return out;
}

const RANKS = Array.from({ length: MAX_RANK }, (_, i) => i + 1);

export interface Baseline {
  /** An execution's time less the baseline median of its rank, ms. */
  readonly residual: (durationMs: number, rank: number) => number;
  readonly baseMedian: number;
  readonly baseMad: number;
  readonly scale: number;
  /** Median raw time of the baseline, ms. */
  readonly overall: number;
  readonly count: number;
}

/**
 * Rank medians, residual scale and raw median of a baseline — the history's executions, but those of session
 * index `without` (-1: none left out); null when it is too small to judge against.
 */
export function baselineOf(history: History, without: number): Baseline | null {
  const { session, durationMs, rank } = history;
  const inRank = new Int32Array(MAX_RANK + 1);
  let count = 0;
  for (let i = 0; i < session.length; i++) {
    if (session[i] === without) continue;
    count++;
    inRank[rank[i]!]!++;
  }
  if (count < MIN_BASELINE) return null;
  // The kept executions' times, then the same grouped by rank, then their residuals: three stretches of the
  // history's scratch array, which each of its baselines reuses (one per session left out).
  const space = scratchOf(history);
  const times = space.subarray(0, count);
  const rankStart = new Int32Array(MAX_RANK + 2);
  for (let r = 1; r <= MAX_RANK + 1; r++) rankStart[r] = rankStart[r - 1]! + inRank[r - 1]!;
  const byRank = space.subarray(count, 2 * count);
  const filled = rankStart.slice();
  for (let i = 0, k = 0; i < session.length; i++) {
    if (session[i] === without) continue;
    times[k++] = durationMs[i]!;
    byRank[filled[rank[i]!]!++] = durationMs[i]!;
  }
  const overall = medianOf(times);
  const rankMedian = new Map<number, number>();
  for (let r = 1; r <= MAX_RANK; r++) {
    if (inRank[r]! >= 3) rankMedian.set(r, medianOf(byRank.subarray(rankStart[r], rankStart[r + 1])));
  }
  const residual = (time: number, r: number) => time - (rankMedian.get(r) ?? overall);
  const baseResiduals = space.subarray(2 * count, 3 * count);
  for (let i = 0, k = 0; i < session.length; i++) {
    if (session[i] !== without) baseResiduals[k++] = residual(durationMs[i]!, rank[i]!);
  }
  const baseMedian = medianOf(baseResiduals);
  const baseMad = mad(baseResiduals, baseMedian, space.subarray(count, 2 * count)); // where the ranks were
  return {
    residual,
    baseMedian,
    baseMad,
    scale: Math.max(1.4826 * baseMad, RESOLUTION_MS),
    overall,
    count,
  };
}

const scratch = new WeakMap<History, Float64Array>();

/** Three values per execution of `history`, their content undefined: baselineOf's working space. */
function scratchOf(history: History): Float64Array {
  let space = scratch.get(history);
  if (space === undefined) {
    space = new Float64Array(3 * history.session.length);
    scratch.set(history, space);
  }
  return space;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Maximal runs of consecutive items passing `passes`, at least MIN_WINDOW long. */
function elevatedRuns<T>(items: readonly T[], passes: (item: T) => boolean): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  for (const item of [...items, null]) {
    if (item !== null && passes(item)) {
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
      `Every execution in the window was at least ${MIN_EXCESS_MS} ms slower than usual beyond what the runs of other sequences around it were slowed by, so this is neither one slow beat nor a busy host: look for what changed in that session — input size, a slow dependency, a release — and`,
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
