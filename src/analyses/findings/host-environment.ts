/**
 * How much slower than usual the host ran each handler execution, ms: what `latency-anomaly` takes off an
 * execution's excess before judging it (latency-anomalies.ts, docs/reports.md "Accuracy").
 *
 * An execution's *excess* is its time − that handler's median time over the store. Host load (a busy machine, GC,
 * a burst of concurrent plays) slows everything running around that moment; a latency episode slows one handler,
 * or a few handlers of one sequence, in the runs of that sequence only. So the host is read from the runs of
 * OTHER sequences nearest in time in the same session (`hostEnvironment`): their handlers share the host, not the
 * episode. Reading it from the other handlers of the same run (`runEnvironment`, the rule before) takes an
 * episode of two or three handlers of one sequence for host load and hides it.
 */
import type { HandlerRun, SequenceRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import type { FindingContext } from './finding-context.js';
import { median } from './robust-stats.js';

/** An execution → the host's excess at that moment, ms, never below 0 (a quiet moment never counts as slower). */
export type Environment = (r: HandlerRun) => number;

/**
 * Runs of other sequences read on each side of an execution's run (in start order within its session): the
 * nearest are the best witnesses of the host at that moment; two on each side give the median of ~10 executions,
 * so one run that was slow for its own reason does not move it.
 */
export const NEIGHBOUR_RUNS = 2;

const isTimed = (r: HandlerRun) => r.status === 'ok' && r.durationMs !== null;

/** Each timed execution's excess over its handler's median time over the store, ms (may be negative). */
export function handlerExcess(ctx: FindingContext): Map<HandlerRun, number> {
  const excess = new Map<HandlerRun, number>();
  for (const runs of ctx.executions.values()) {
    const timed = runs.filter(isTimed);
    const m = median(timed.map((r) => r.durationMs!));
    for (const r of timed) excess.set(r, r.durationMs! - m);
  }
  return excess;
}

/**
 * The rule before `hostEnvironment`, and its fallback: the median excess of the other handlers of the same
 * sequence run, leaving out its own beat (a slow handler delays the handlers after it in its beat, whose times
 * start at the beat's start, not the later beats). Executions outside a sequence run, or alone in theirs, get 0.
 */
export function runEnvironment(ctx: FindingContext, excess = handlerExcess(ctx)): Environment {
  const byRun = groupBy(
    [...excess.keys()].filter((r) => r.sequenceRunId !== null),
    (r) => r.sequenceRunId!,
  );
  const cache = new Map<HandlerRun, number>();
  return (r) => {
    let v = cache.get(r);
    if (v !== undefined) return v;
    const others = (byRun.get(r.sequenceRunId ?? '') ?? []).filter(
      (o) =>
        (r.beatRunId === null || o.beatRunId !== r.beatRunId) && (o.handler !== r.handler || o.pluginId !== r.pluginId),
    );
    v = others.length === 0 ? 0 : Math.max(0, median(others.map((o) => excess.get(o)!)));
    cache.set(r, v);
    return v;
  };
}

/**
 * The median excess of the handler executions of the NEIGHBOUR_RUNS runs of other sequences on each side of the
 * execution's run, in its session (runs of its own sequence are left out: an episode spanning a window of plays
 * slows them too; so are executions of its own handler, which some sequences share). Falls back to
 * `runEnvironment` for an execution outside a timed run or in a session with no other sequence's timed handlers.
 */
export function hostEnvironment(
  ctx: FindingContext,
  variant: { neighbourRuns?: number; skipOverlapping?: boolean } = {},
): Environment {
  const k = variant.neighbourRuns ?? NEIGHBOUR_RUNS;
  const excess = handlerExcess(ctx);
  const fallback = runEnvironment(ctx, excess);
  const timedByRun = groupBy(
    [...excess.keys()].filter((r) => r.sequenceRunId !== null),
    (r) => r.sequenceRunId!,
  );
  const sessionRuns = new Map<string, SequenceRun[]>();
  for (const [sessionId, runs] of groupBy(
    [...ctx.runs.values()].filter((r) => r.startMs !== null && timedByRun.has(r.id)),
    (r) => r.sessionId,
  )) {
    sessionRuns.set(
      sessionId,
      runs.sort((a, b) => a.startMs! - b.startMs! || a.span.startLine - b.span.startLine),
    );
  }
  const position = new Map<string, number>();
  for (const runs of sessionRuns.values()) runs.forEach((run, i) => position.set(run.id, i));

  const cache = new Map<string, number>();
  return (r) => {
    const own = r.sequenceRunId === null ? undefined : ctx.runs.get(r.sequenceRunId);
    const at = own ? position.get(own.id) : undefined;
    if (!own || at === undefined) return fallback(r);
    const key = `${own.id}\u0000${handlerKey(r.handler, r.pluginId)}`;
    let v = cache.get(key);
    if (v !== undefined) return v;
    const runs = sessionRuns.get(own.sessionId)!;
    const values = [
      ...neighbourExcess(runs, at, -1, own, r, timedByRun, excess, k, variant.skipOverlapping ?? false),
      ...neighbourExcess(runs, at, +1, own, r, timedByRun, excess, k, variant.skipOverlapping ?? false),
    ];
    v = values.length === 0 ? fallback(r) : Math.max(0, median(values));
    cache.set(key, v);
    return v;
  };
}

const sequenceOf = (run: SequenceRun) => run.sequenceId ?? run.sequenceName;

/** Excess of the executions of up to NEIGHBOUR_RUNS runs of other sequences from `at` in direction `step`. */
function neighbourExcess(
  runs: readonly SequenceRun[],
  at: number,
  step: -1 | 1,
  own: SequenceRun,
  r: HandlerRun,
  timedByRun: ReadonlyMap<string, readonly HandlerRun[]>,
  excess: ReadonlyMap<HandlerRun, number>,
  k: number,
  skipOverlapping: boolean,
): number[] {
  const out: number[] = [];
  let taken = 0;
  for (let i = at + step; i >= 0 && i < runs.length && taken < k; i += step) {
    const run = runs[i]!;
    if (sequenceOf(run) === sequenceOf(own)) continue;
    if (skipOverlapping && overlap(run, own)) continue;
    const others = timedByRun.get(run.id)!.filter((o) => o.handler !== r.handler || o.pluginId !== r.pluginId);
    if (others.length === 0) continue;
    for (const o of others) out.push(excess.get(o)!);
    taken++;
  }
  return out;
}

function overlap(a: SequenceRun, b: SequenceRun): boolean {
  const aEnd = a.endMs ?? a.startMs!;
  const bEnd = b.endMs ?? b.startMs!;
  return a.startMs! <= bEnd && b.startMs! <= aEnd;
}
