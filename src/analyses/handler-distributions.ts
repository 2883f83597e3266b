/**
 * What the heatmap page charts per handler, computed here so the JSON carries it (never raw durations): the
 * distribution of its handler time on the log-spaced ladder (latency-histogram.ts) and its p95 handler time in
 * each session, sessions in start-time order, to see a handler slow down or recover from one app start to the next.
 * Both are over the same runs as `timing`: awaited runs with a duration (async settle times are upper bounds).
 */

import type { Session } from '../model/index.js';
import { type Groups, groupPositions, largestGroup } from '../model/position-groups.js';
import type { RunColumns } from './handler-times.js';
import { type LatencyBin, latencyHistogram } from './latency-histogram.js';
import { percentile, roundMs } from './percentile.js';
import { byStartTime, type TraceData } from './trace-data.js';
import type { TraceIndex } from './trace-index.js';

/** One session a handler ran in. */
export interface SessionP95 {
  readonly sessionId: string;
  /** Session start, epoch ms; null for a log without timestamps. */
  readonly startMs: number | null;
  /** Runs of the handler in this session: timed or not, awaited or async. */
  readonly executions: number;
  /** Of those, the runs in `p95` (awaited, with a duration). */
  readonly timedExecutions: number;
  /** p95 handler time of those runs, ms (0.01 ms, linear interpolation as `timing.p95`); null when none. */
  readonly p95: number | null;
}

export interface HandlerDistribution {
  /** Counts sum to the handler's `timedExecutions`; [] when it has none. */
  readonly histogram: LatencyBin[];
  /** One point per session the handler ran in, by session start time (sessions without one last, in log order). */
  readonly p95BySession: SessionP95[];
}

/** Each handler run's session as its rank among the sessions by start time, and those sessions in that order. */
export interface SessionRanks {
  /** Per handler run: its session's rank in `byRank`; -1 for a session not listed. */
  readonly rankOfRun: Int32Array;
  readonly byRank: readonly Pick<Session, 'id' | 'startMs'>[];
}

/** `SessionRanks` of trace data. A handler run whose session is not in `data.sessions` gets rank -1. */
export function sessionRanks(data: TraceData, index: TraceIndex): SessionRanks {
  const runs = data.handlerRuns;
  // Session of each run as its rank in start-time order (-1 when unknown); runs are in log order, so one
  // session's runs come together and the last lookup is usually the answer.
  const order = data.sessions.map((_, i) => i).sort((a, b) => byStartTime(data.sessions[a]!, data.sessions[b]!));
  const rankOfPos = new Int32Array(order.length);
  order.forEach((pos, rank) => {
    rankOfPos[pos] = rank;
  });
  const rankOfRun = new Int32Array(runs.length);
  let lastId: string | null = null;
  let lastRank = -1;
  for (let i = 0; i < runs.length; i++) {
    const id = runs[i]!.sessionId;
    if (id !== lastId) {
      const pos = index.sessionPos.get(id);
      lastId = id;
      lastRank = pos === undefined ? -1 : rankOfPos[pos]!;
    }
    rankOfRun[i] = lastRank;
  }
  return { rankOfRun, byRank: order.map((pos) => data.sessions[pos]!) };
}

/**
 * Per handler k (`byHandler` group k): its distribution, given each run's session rank (a run of a session not
 * listed is left out of `p95BySession`; it still counts in the histogram).
 */
export function distributionsByRank(
  cols: RunColumns,
  handlerOfRun: Int32Array,
  { rankOfRun, byRank }: SessionRanks,
  byHandler: Groups,
): HandlerDistribution[] {
  const handlerCount = byHandler.offsets.length - 1;
  const bySessionRank = runsBySession(handlerOfRun, rankOfRun, byRank.length, handlerCount);
  const scratch = new Float64Array(largestGroup(byHandler));
  const out: HandlerDistribution[] = [];
  for (let k = 0; k < handlerCount; k++) {
    const from = byHandler.offsets[k]!;
    const to = byHandler.offsets[k + 1]!;
    let timed = 0;
    for (let j = from; j < to; j++) {
      const i = byHandler.items[j]!;
      if (isTimed(cols, i)) scratch[timed++] = cols.duration[i]!;
    }
    const histogram = latencyHistogram(scratch.subarray(0, timed));
    const items = bySessionRank.items.subarray(bySessionRank.offsets[k]!, bySessionRank.offsets[k + 1]!);
    const p95BySession: SessionP95[] = [];
    for (let s = 0; s < items.length; ) {
      const rank = rankOfRun[items[s]!]!;
      let e = s;
      let n = 0;
      for (; e < items.length && rankOfRun[items[e]!] === rank; e++) {
        if (isTimed(cols, items[e]!)) scratch[n++] = cols.duration[items[e]!]!;
      }
      p95BySession.push(sessionP95(byRank[rank]!, e - s, scratch.subarray(0, n)));
      s = e;
    }
    out.push({ histogram, p95BySession });
  }
  return out;
}

/** One session's point: `timed` are the handler times of its timed runs there (sorted here, in place). */
export function sessionP95(
  session: Pick<Session, 'id' | 'startMs'>,
  executions: number,
  timed: Float64Array,
): SessionP95 {
  const p95 = percentile(timed.sort(), 0.95);
  return {
    sessionId: session.id,
    startMs: session.startMs,
    executions,
    timedExecutions: timed.length,
    p95: p95 === null ? null : roundMs(p95),
  };
}

/**
 * Each handler's runs (group k = handler k) ordered by session rank, log order within a session; runs of an
 * unknown session (rank -1) left out. Two stable counting sorts, O(runs): by rank, then by handler.
 */
function runsBySession(handlerOfRun: Int32Array, rankOfRun: Int32Array, sessions: number, handlers: number): Groups {
  const byRank = groupPositions(rankOfRun, sessions);
  const offsets = new Int32Array(handlers + 1);
  for (const i of byRank.items) offsets[handlerOfRun[i]! + 1]!++;
  for (let h = 0; h < handlers; h++) offsets[h + 1]! += offsets[h]!;
  const items = new Int32Array(byRank.items.length);
  const next = offsets.slice(0, handlers);
  for (const i of byRank.items) items[next[handlerOfRun[i]!]!++] = i;
  return { offsets, items };
}

/** In `timing`: awaited (settled within its beat) and with a duration. */
function isTimed(cols: RunColumns, i: number): boolean {
  return cols.late[i] === 0 && !Number.isNaN(cols.duration[i]!);
}
