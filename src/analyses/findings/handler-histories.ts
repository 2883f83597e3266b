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
import { gather, groupPositions, groupRows, largestGroup } from '../../model/position-groups.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import { groupBy } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import { type Columns, RowColumns } from '../row-columns.js';
import { HandlerTable } from '../trace-index.js';
import type { FindingContext } from './finding-context.js';
import { median, medianOf } from './robust-stats.js';

/**
 * Two sequences' medians this far apart (ms) split a handler: half the latency finder's elevation threshold
 * (35 ms), so that the mix of sequences in a session can never alone lift an execution to it.
 */
export const SEQUENCE_SPLIT_MS = 17.5;
/** Executions a sequence needs before its median counts (the latency finder's minimum baseline). */
const MIN_SPLIT_EXECUTIONS = 5;
/** Executions are ranked in their session (1st, 2nd, 3rd and later pooled): see latency-anomalies.ts. */
export const MAX_RANK = 3;

/**
 * A history's executions as columns (no object per execution): `session` indexes `HistoryTimes.sessionIndex`,
 * `rank` is the place in its session by settle time, 1 to MAX_RANK.
 */
export interface History {
  readonly session: Int32Array;
  readonly durationMs: Float64Array;
  readonly rank: Uint8Array;
  /** Distinct sessions. */
  readonly sessions: number;
}

const EMPTY: History = {
  session: new Int32Array(0),
  durationMs: new Float64Array(0),
  rank: new Uint8Array(0),
  sessions: 0,
};

/** Whether a handler run is judged for latency: it completed and has a time. */
export const isTimed = (r: Pick<HandlerRun, 'status' | 'durationMs'>) => r.status === 'ok' && r.durationMs !== null;

/** Settle time order, untimed executions last, then log order. */
export function byTime(
  a: { settledMs: number | null; line: number },
  b: { settledMs: number | null; line: number },
): number {
  return (a.settledMs ?? Number.POSITIVE_INFINITY) - (b.settledMs ?? Number.POSITIVE_INFINITY) || a.line - b.line;
}

/**
 * Every timed execution as it arrives, one row each across typed columns sized once (from the store's handler-run
 * count when known; row-columns.ts): a store's million executions kept as growing arrays per handler were copied by
 * every young-generation collection until promoted, a large share of the whole-store pass's collection time.
 * `handler` is interned (HistoryTimes' HandlerTable); `settledMs` is epoch ms, +Infinity when unknown (sorts last,
 * as `byTime`); `line` is the log order within its file (a line, or the position in the store's order).
 */
const EXECUTION_COLUMNS = {
  handler: Int32Array,
  session: Int32Array,
  sequence: Int32Array,
  durationMs: Float64Array,
  settledMs: Float64Array,
  line: Float64Array,
};

type Executions = Columns<typeof EXECUTION_COLUMNS>;

/** Every timed execution of a trace or a whole store, by history (see the file header). */
export class HistoryTimes {
  /** Handlers interned (no key string is built per execution), and every execution as a row. */
  private handlers = new HandlerTable();
  private executions: RowColumns<typeof EXECUTION_COLUMNS>;
  private readonly sessionIds = new Map<string, number>();
  /** `sessionIds`' keys by index. */
  private sessionList?: string[];
  private readonly sequenceIds = new Map<string, number>();
  private histories?: Map<string, History>;
  private split?: Set<string>;
  private readonly medians = new Map<string, number>();
  private readonly baselines = new Map<string, unknown>();
  private order = 0;
  private lastSession = '';
  private lastSessionIndex = -1;

  /** `expected`: about how many executions will be added (a store's handler runs), when known. */
  constructor(expected = 0) {
    this.executions = new RowColumns(EXECUTION_COLUMNS, expected);
  }

  /** The timed executions of trace data. */
  static ofRuns(runs: readonly HandlerRun[]): HistoryTimes {
    // At least one row: an empty trace's histories reserve nothing.
    const times = new HistoryTimes(Math.max(1, runs.length));
    for (const r of runs) if (isTimed(r)) times.put(r.handler, r.pluginId, r.sessionId, r.sequenceName, r, r.line);
    return times;
  }

  /** A batch of a store's handler-run facts, in store order (`TelemetryStore.handlerRunFacts`). */
  addFacts(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) {
      this.order++;
      if (isTimed(f)) this.put(f.handler, f.pluginId, f.sessionId, f.sequenceName, f, this.order);
    }
  }

  /** A session's index in `History.session`; -1 when it has no timed execution. */
  sessionIndex(sessionId: string): number {
    return this.sessionIds.get(sessionId) ?? -1;
  }

  /** The session of index `index` in `History.session`. */
  sessionAt(index: number): string {
    if (this.sessionList?.length !== this.sessionIds.size) this.sessionList = [...this.sessionIds.keys()];
    return this.sessionList[index]!;
  }

  /** Every history's key. */
  keys(): IterableIterator<string> {
    this.build();
    return this.histories!.keys();
  }

  private put(
    handler: string,
    pluginId: string | null,
    sessionId: string,
    sequenceName: string | null,
    timed: { readonly durationMs: number | null; readonly settledMs: number | null },
    line: number,
  ): void {
    // Consecutive executions mostly share a session: look it up when it changes.
    if (sessionId !== this.lastSession || this.lastSessionIndex < 0) {
      this.lastSession = sessionId;
      this.lastSessionIndex = indexIn(this.sessionIds, sessionId);
    }
    const i = this.executions.add();
    const c = this.executions.columns;
    c.handler[i] = this.handlers.intern(pluginId, handler);
    c.session[i] = this.lastSessionIndex;
    c.sequence[i] = indexIn(this.sequenceIds, sequenceName ?? '');
    c.durationMs[i] = timed.durationMs!;
    c.settledMs[i] = timed.settledMs ?? Number.POSITIVE_INFINITY;
    c.line[i] = line;
  }

  /** Whether a handler's executions are split into one history per sequence. */
  splits(handler: string, pluginId: string | null): boolean {
    this.build();
    return this.split!.has(handlerKey(handler, pluginId));
  }

  /** The history an execution belongs to: its handler's, or its handler's in its sequence where they split. */
  keyOf(r: Pick<HandlerRun, 'handler' | 'pluginId' | 'sequenceName'>): string {
    this.build();
    const key = handlerKey(r.handler, r.pluginId);
    return this.split!.has(key) ? `${key}\u0000${r.sequenceName ?? ''}` : key;
  }

  /** Every execution of a history, ranked. */
  history(key: string): History {
    this.build();
    return this.histories!.get(key) ?? EMPTY;
  }

  /**
   * The baseline a session's executions of a history are judged against, computed once by `of` from the history —
   * all of it (`without` null), or all but session `without`'s executions — and kept: a session of a store read in
   * parts is judged in each part it spans.
   */
  baseline<B>(key: string, without: string | null, of: (history: History, without: number) => B): B {
    const id = `${key}\u0001${without ?? ''}`;
    if (!this.baselines.has(id)) {
      this.baselines.set(id, of(this.history(key), without === null ? -1 : this.sessionIndex(without)));
    }
    return this.baselines.get(id) as B;
  }

  /** A history's median time, ms (NaN when it has none). */
  median(key: string): number {
    let m = this.medians.get(key);
    if (m === undefined) {
      m = median(this.history(key).durationMs);
      this.medians.set(key, m);
    }
    return m;
  }

  private build(): void {
    if (this.histories) return;
    this.histories = new Map();
    this.split = new Set();
    const sequenceNames = [...this.sequenceIds.keys()];
    const c = this.executions.rows();
    const ranker = new SessionRanker(c, this.sessionIds.size);
    // Each handler's rows, in arrival order (interned ids count up from 0 in first-seen order).
    const byHandler = groupPositions(c.handler, this.handlers.size);
    const scratch = new Float64Array(largestGroup(byHandler));
    for (let id = 0; id < this.handlers.size; id++) {
      const key = handlerKey(this.handlers.names[id]!, this.handlers.plugins[id]!);
      const all = byHandler.items.subarray(byHandler.offsets[id]!, byHandler.offsets[id + 1]!);
      const bySequence = rowsBySequence(c, all, sequenceNames.length);
      if (!splitsBySequence(c, bySequence.values(), scratch)) this.histories.set(key, ranker.ranked(all));
      else {
        this.split.add(key);
        for (const [seq, rows] of bySequence)
          this.histories.set(`${key}\u0000${sequenceNames[seq]}`, ranker.ranked(rows));
      }
    }
    this.handlers = new HandlerTable();
    this.executions = new RowColumns(EXECUTION_COLUMNS, 1);
  }
}

function indexIn(ids: Map<string, number>, value: string): number {
  let i = ids.get(value);
  if (i === undefined) {
    i = ids.size;
    ids.set(value, i);
  }
  return i;
}

/**
 * `rows` of `c` by sequence, in first-seen order, each in arrival order (views of one array). `sequences`: how many
 * there are.
 */
function rowsBySequence(c: Executions, rows: Int32Array, sequences: number): Map<number, Int32Array> {
  const { offsets, items } = groupRows(rows, c.sequence, sequences);
  const out = new Map<number, Int32Array>();
  for (const row of rows) {
    const seq = c.sequence[row]!;
    if (!out.has(seq)) out.set(seq, items.subarray(offsets[seq]!, offsets[seq + 1]!));
  }
  return out;
}

/**
 * Whether two sequences' medians (each of ≥ MIN_SPLIT_EXECUTIONS executions) are SEQUENCE_SPLIT_MS apart. `scratch`:
 * room for the times of the largest sequence.
 */
function splitsBySequence(c: Executions, bySequence: Iterable<Int32Array>, scratch: Float64Array): boolean {
  const medians: number[] = [];
  for (const rows of bySequence) {
    if (rows.length < MIN_SPLIT_EXECUTIONS) continue;
    medians.push(medianOf(gather(scratch.subarray(0, rows.length), c.durationMs, rows)));
  }
  return medians.length >= 2 && Math.max(...medians) - Math.min(...medians) >= SEQUENCE_SPLIT_MS;
}

/**
 * Ranks executions in their sessions by `byTime` (settle time, then log order, then arrival). Ranks past MAX_RANK
 * are pooled, so only each session's first MAX_RANK - 1 executions need finding: one pass keeps them per session,
 * where sorting each session's executions cost most of a store's histories.
 */
class SessionRanker {
  /** Per session: its earliest executions so far (positions in the history; -1: none), MAX_RANK - 1 each. */
  private readonly first: Int32Array;
  private readonly touched: number[] = [];

  constructor(
    private readonly c: Executions,
    sessions: number,
  ) {
    this.first = new Int32Array(sessions * (MAX_RANK - 1)).fill(-1);
  }

  /** The executions `rows` of `c` (in arrival order) as a history. */
  ranked(rows: Int32Array): History {
    const { c, first, touched } = this;
    const n = rows.length;
    const session = gather(new Int32Array(n), c.session, rows);
    const rank = new Uint8Array(n).fill(MAX_RANK);
    const before = (a: number, b: number) => {
      const ra = rows[a]!;
      const rb = rows[b]!;
      const sa = c.settledMs[ra]!;
      const sb = c.settledMs[rb]!;
      // Whether a (which arrived first) ranks before b: equal settle times (both unknown too) go by log line.
      return sa < sb || (sa === sb && c.line[ra]! <= c.line[rb]!);
    };
    for (let j = 0; j < n; j++) {
      const at = session[j]! * (MAX_RANK - 1);
      if (first[at] === -1) touched.push(at);
      // Insert j among the session's earliest, kept in rank order: after those it does not come before.
      let k = 0;
      while (k < MAX_RANK - 1 && first[at + k]! >= 0 && before(first[at + k]!, j)) k++;
      if (k < MAX_RANK - 1) {
        for (let m = MAX_RANK - 2; m > k; m--) first[at + m] = first[at + m - 1]!;
        first[at + k] = j;
      }
    }
    for (const at of touched) {
      for (let m = 0; m < MAX_RANK - 1; m++) {
        if (first[at + m]! >= 0) rank[first[at + m]!] = m + 1;
        first[at + m] = -1;
      }
    }
    const sessions = touched.length;
    touched.length = 0;
    return { session, durationMs: gather(new Float64Array(n), c.durationMs, rows), rank, sessions };
  }
}

/** Per context: the latency finder and the host environment both read them, computed once. */
const computed = new WeakMap<FindingContext, readonly HandlerRun[][]>();

/** The context's timed executions (ok, with a duration), in (file, line) order, one list per history. */
export function handlerHistories(ctx: FindingContext): readonly HandlerRun[][] {
  let histories = computed.get(ctx);
  if (histories === undefined) {
    const times = ctx.historyTimes;
    // An executions list holds one handler's: one history, or one per sequence where it splits.
    histories = [...ctx.executions.values()].flatMap((runs) => {
      const timed = runs.filter(isTimed);
      if (timed.length === 0) return [];
      const { handler, pluginId } = timed[0]!;
      return times.splits(handler, pluginId) ? [...groupBy(timed, (r) => times.keyOf(r)).values()] : [timed];
    });
    computed.set(ctx, histories);
  }
  return histories;
}
