/**
 * The histories the latency finder and the host environment judge handler times against: each handler's timed
 * executions, split by sequence where that matters. When a handler runs in several sequences and the median times
 * of two of them (each with MIN_SPLIT_EXECUTIONS executions) differ by at least SEQUENCE_SPLIT_MS, it does
 * different work in each (a bigger payload, another branch): one pooled history would read a session that plays
 * the slower sequence more often than usual as an episode, or hide an episode of the faster one in the slower
 * one's times. Each sequence then has its own history. Otherwise one pooled history, which has more to judge with.
 */
import type { HandlerRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import type { FindingContext } from './finding-context.js';
import { median } from './robust-stats.js';

/**
 * Two sequences' medians this far apart (ms) split a handler: half the latency finder's elevation threshold
 * (35 ms), so that the mix of sequences in a session can never alone lift an execution to it.
 */
export const SEQUENCE_SPLIT_MS = 17.5;
/** Executions a sequence needs before its median counts (the latency finder's minimum baseline). */
const MIN_SPLIT_EXECUTIONS = 5;

const isTimed = (r: HandlerRun) => r.status === 'ok' && r.durationMs !== null;

/** Per context: the latency finder and the host environment both read them, computed once. */
const computed = new WeakMap<FindingContext, readonly HandlerRun[][]>();

/** Every handler's timed executions (ok, with a duration), in (file, line) order, one list per history. */
export function handlerHistories(ctx: FindingContext): readonly HandlerRun[][] {
  let histories = computed.get(ctx);
  if (histories === undefined) {
    histories = [...ctx.executions.values()].flatMap((runs) => bySequenceWhereItMatters(runs.filter(isTimed)));
    computed.set(ctx, histories);
  }
  return histories;
}

function bySequenceWhereItMatters(timed: HandlerRun[]): HandlerRun[][] {
  const groups = groupBy(timed, (r) => r.sequenceName ?? '');
  if (groups.size < 2) return [timed];
  const medians = [...groups.values()]
    .filter((g) => g.length >= MIN_SPLIT_EXECUTIONS)
    .map((g) => median(g.map((r) => r.durationMs!)));
  return medians.length >= 2 && Math.max(...medians) - Math.min(...medians) >= SEQUENCE_SPLIT_MS
    ? [...groups.values()]
    : [timed];
}
