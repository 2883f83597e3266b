/**
 * How much slower than usual the host ran each handler execution, ms: what `latency-anomaly` takes off an
 * execution's excess before judging it (latency-anomalies.ts, docs/reports.md "Accuracy").
 *
 * An execution's *excess* is its time − that handler's median time over the store. Host load (a busy machine, GC,
 * a burst of concurrent plays) slows everything running around that moment; a latency episode slows one handler,
 * or a few handlers of one sequence, in the runs of that sequence only. So the host is read from the runs of
 * OTHER sequences nearest in time in the same session (`hostEnvironment`): their handlers share the host, not the
 * episode. Reading it from the other handlers of the same run (`runEnvironment`, the rule before) takes an
 * episode of two or three handlers of one sequence for host load and hides it, and so does an async handler's
 * own delay, which holds back the settle lines of the handlers after it in its run (docs/log-formats.md §7).
 */
import type { HandlerRun, SequenceRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import { type FindingContext, sequenceKey } from './finding-context.js';
import { handlerHistories } from './handler-histories.js';
import { median } from './robust-stats.js';

/** An execution → the host's excess at that moment, ms, never below 0 (a quiet moment never counts as slower). */
export type Environment = (r: HandlerRun) => number;

/**
 * Runs of other sequences read on each side of an execution's run (in start order within its session): the
 * nearest are the best witnesses of the host at that moment; three on each side give the median of 15–30
 * executions, so one run that was slow for its own reason does not move it (on 16 tuning trials 1, 2 and 3 found
 * 38, 40 and 41 of 47 episodes, all without a false window).
 */
export const NEIGHBOUR_RUNS = 3;
/** Runs looked at on each side before giving up: bounds the cost in a session that plays one sequence over and over. */
const MAX_SCAN = 64;

/**
 * Each timed execution's excess over its history's median time over the store (the whole store's when `ctx` is one
 * part of it), ms (may be negative; handler-histories.ts).
 */
export function handlerExcess(ctx: FindingContext): Map<HandlerRun, number> {
  const excess = new Map<HandlerRun, number>();
  for (const timed of handlerHistories(ctx)) {
    const m = ctx.historyTimes.median(ctx.historyTimes.keyOf(timed[0]!));
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
 * The median excess of the handler executions of the NEIGHBOUR_RUNS nearest runs of other sequences on each side
 * of the execution's run, in its session (runs with a start and a timed handler). Left out: runs of its own
 * sequence (an episode spanning a window of plays slows them too) and runs overlapping its run in time (they share
 * the thread with it, so a slowed synchronous handler slows them as well). Its own handler is not left out where
 * another sequence runs it too: one or two of 15–30 values do not move the median. Falls back to
 * `runEnvironment` for an execution outside a timed run, or with no such neighbour in its session.
 */
export function hostEnvironment(ctx: FindingContext): Environment {
  // Built on first use: the latency finder asks only for executions already slow enough to be elevated.
  let environment: Environment | undefined;
  return (r) => {
    environment ??= buildHostEnvironment(ctx);
    return environment(r);
  };
}

function buildHostEnvironment(ctx: FindingContext): Environment {
  const excess = handlerExcess(ctx);
  const fallback = runEnvironment(ctx, excess);
  const timedByRun = groupBy(
    [...excess.keys()].filter((r) => r.sequenceRunId !== null),
    (r) => r.sequenceRunId!,
  );
  const sessionRuns = groupBy(
    [...ctx.runs.values()].filter((r) => r.startMs !== null && timedByRun.has(r.id)),
    (r) => r.sessionId,
  );
  const position = new Map<string, number>();
  for (const runs of sessionRuns.values()) {
    runs.sort((a, b) => a.startMs! - b.startMs! || a.span.startLine - b.span.startLine);
    for (const [i, run] of runs.entries()) position.set(run.id, i);
  }

  // One value per run: every handler of a run sees the same neighbours.
  const byRun = new Map<string, number | null>();
  return (r) => {
    const own = r.sequenceRunId === null ? undefined : ctx.runs.get(r.sequenceRunId);
    const at = own ? position.get(own.id) : undefined;
    if (!own || at === undefined) return fallback(r);
    let v = byRun.get(own.id);
    if (v === undefined) {
      const runs = sessionRuns.get(own.sessionId)!;
      const values: number[] = [];
      for (const run of [...neighbours(runs, at, -1), ...neighbours(runs, at, 1)]) {
        for (const o of timedByRun.get(run.id)!) values.push(excess.get(o)!);
      }
      v = values.length === 0 ? null : Math.max(0, median(values));
      byRun.set(own.id, v);
    }
    return v ?? fallback(r);
  };
}

/** Up to NEIGHBOUR_RUNS runs from `runs[at]` in direction `step`, skipping runs of its sequence and runs overlapping it. */
function neighbours(runs: readonly SequenceRun[], at: number, step: number): SequenceRun[] {
  const own = runs[at]!;
  const out: SequenceRun[] = [];
  for (let seen = 1; seen <= MAX_SCAN && out.length < NEIGHBOUR_RUNS; seen++) {
    const run = runs[at + step * seen];
    if (!run) break;
    if (sequenceKey(run) !== sequenceKey(own) && !overlaps(run, own)) out.push(run);
  }
  return out;
}

/** Both runs have a start (the only runs ranked); a run without an end is taken as an instant. */
function overlaps(a: SequenceRun, b: SequenceRun): boolean {
  return a.startMs! <= (b.endMs ?? b.startMs!) && b.startMs! <= (a.endMs ?? a.startMs!);
}
