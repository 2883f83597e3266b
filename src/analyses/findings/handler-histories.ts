/**
 * The histories the latency finder and the host environment judge handler times against: each handler's timed
 * executions, split by sequence where that matters. When a handler runs in several sequences and the median times
 * of two of them (each with MIN_SPLIT_EXECUTIONS executions) differ by at least SEQUENCE_SPLIT_MS, it does
 * different work in each (a bigger payload, another branch): one pooled history would read a session that plays
 * the slower sequence more often than usual as an episode, or hide an episode of the faster one in the slower
 * one's times. Each sequence then has its own history. Otherwise one pooled history, which has more to judge with.
 *
 * `HistoryTimes` holds what a baseline needs of every execution of a history — its session, time and rank in its
 * session — and no run objects, so a store read part by part (findings-parts.ts) keeps the whole store's histories
 * (filled from its handler-run facts) while judging one part's executions against them.
 */
import type { HandlerRun } from '../../model/entities.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import { groupBy } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import type { FindingContext } from './finding-context.js';
import { median } from './robust-stats.js';

/**
 * Two sequences' medians this far apart (ms) split a handler: half the latency finder's elevation threshold
 * (35 ms), so that the mix of sequences in a session can never alone lift an execution to it.
 */
export const SEQUENCE_SPLIT_MS = 17.5;
/** Executions a sequence needs before its median counts (the latency finder's minimum baseline). */
const MIN_SPLIT_EXECUTIONS = 5;
/** Executions are ranked in their session (1st, 2nd, 3rd and later pooled): see latency-anomalies.ts. */
export const MAX_RANK = 3;

/** A timed execution as a history keeps it. `rank`: its place in its session by settle time, 1 to MAX_RANK. */
export interface TimedExecution {
  readonly sessionId: string;
  readonly durationMs: number;
  readonly rank: number;
}

/** Whether a handler run is judged for latency: it completed and has a time. */
export const isTimed = (r: Pick<HandlerRun, 'status' | 'durationMs'>) => r.status === 'ok' && r.durationMs !== null;

/** Settle time order, untimed executions last, then log order. */
export function byTime(
  a: { settledMs: number | null; line: number },
  b: { settledMs: number | null; line: number },
): number {
  return (a.settledMs ?? Number.POSITIVE_INFINITY) - (b.settledMs ?? Number.POSITIVE_INFINITY) || a.line - b.line;
}

interface Collected {
  readonly sessionId: string;
  readonly sequenceName: string | null;
  readonly durationMs: number;
  readonly settledMs: number | null;
  /** Log order within its file (a line, or the position in the store's order). */
  readonly line: number;
}

/** Every timed execution of a trace or a whole store, by history (see the file header). */
export class HistoryTimes {
  private readonly byHandler = new Map<string, Collected[]>();
  private histories?: Map<string, TimedExecution[]>;
  private split?: Set<string>;
  private readonly medians = new Map<string, number>();
  private order = 0;
  private lastSession = '';

  /** The timed executions of trace data. */
  static ofRuns(runs: readonly HandlerRun[]): HistoryTimes {
    const times = new HistoryTimes();
    for (const r of runs) if (isTimed(r)) times.put(r.handler, r.pluginId, r.sessionId, r.sequenceName, r, r.line);
    return times;
  }

  /** A batch of a store's handler-run facts, in store order (`TelemetryStore.handlerRunFacts`). */
  addFacts(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) {
      this.order++;
      if (!isTimed(f)) continue;
      // Consecutive facts share a session: keep one string for it.
      const sessionId = f.sessionId === this.lastSession ? this.lastSession : f.sessionId;
      this.lastSession = sessionId;
      this.put(f.handler, f.pluginId, sessionId, f.sequenceName, f, this.order);
    }
  }

  private put(
    handler: string,
    pluginId: string | null,
    sessionId: string,
    sequenceName: string | null,
    timed: { readonly durationMs: number | null; readonly settledMs: number | null },
    line: number,
  ): void {
    const key = handlerKey(handler, pluginId);
    let list = this.byHandler.get(key);
    if (list === undefined) {
      list = [];
      this.byHandler.set(key, list);
    }
    list.push({ sessionId, sequenceName, durationMs: timed.durationMs!, settledMs: timed.settledMs, line });
  }

  /** The history an execution belongs to: its handler's, or its handler's in its sequence where they split. */
  keyOf(r: Pick<HandlerRun, 'handler' | 'pluginId' | 'sequenceName'>): string {
    this.build();
    const key = handlerKey(r.handler, r.pluginId);
    return this.split!.has(key) ? `${key}\u0000${r.sequenceName ?? ''}` : key;
  }

  /** Every execution of a history, ranked. */
  history(key: string): readonly TimedExecution[] {
    this.build();
    return this.histories!.get(key) ?? [];
  }

  /** A history's median time, ms (NaN when it has none). */
  median(key: string): number {
    let m = this.medians.get(key);
    if (m === undefined) {
      m = median(this.history(key).map((e) => e.durationMs));
      this.medians.set(key, m);
    }
    return m;
  }

  private build(): void {
    if (this.histories) return;
    this.histories = new Map();
    this.split = new Set();
    for (const [key, list] of this.byHandler) {
      const bySequence = groupBy(list, (e) => e.sequenceName ?? '');
      const splits = splitsBySequence(bySequence);
      if (splits) this.split.add(key);
      const groups = splits
        ? [...bySequence].map(([seq, g]) => [`${key}\u0000${seq}`, g] as const)
        : [[key, list] as const];
      for (const [k, group] of groups) this.histories.set(k, ranked(group));
    }
    this.byHandler.clear();
  }
}

/** Whether two sequences' medians (each of ≥ MIN_SPLIT_EXECUTIONS executions) are SEQUENCE_SPLIT_MS apart. */
function splitsBySequence(bySequence: ReadonlyMap<string, readonly Collected[]>): boolean {
  if (bySequence.size < 2) return false;
  const medians = [...bySequence.values()]
    .filter((g) => g.length >= MIN_SPLIT_EXECUTIONS)
    .map((g) => median(g.map((r) => r.durationMs)));
  return medians.length >= 2 && Math.max(...medians) - Math.min(...medians) >= SEQUENCE_SPLIT_MS;
}

/** The executions with their rank in their session, in the order given. */
function ranked(list: readonly Collected[]): TimedExecution[] {
  const rank = new Map<Collected, number>();
  for (const own of groupBy(list, (e) => e.sessionId).values()) {
    for (const [i, e] of [...own].sort(byTime).entries()) rank.set(e, Math.min(i + 1, MAX_RANK));
  }
  return list.map((e) => ({ sessionId: e.sessionId, durationMs: e.durationMs, rank: rank.get(e)! }));
}

/** Per context: the latency finder and the host environment both read them, computed once. */
const computed = new WeakMap<FindingContext, readonly HandlerRun[][]>();

/** The context's timed executions (ok, with a duration), in (file, line) order, one list per history. */
export function handlerHistories(ctx: FindingContext): readonly HandlerRun[][] {
  let histories = computed.get(ctx);
  if (histories === undefined) {
    const times = ctx.historyTimes;
    histories = [...ctx.executions.values()].flatMap((runs) => [
      ...groupBy(runs.filter(isTimed), (r) => times.keyOf(r)).values(),
    ]);
    computed.set(ctx, histories);
  }
  return histories;
}
