/** Per-group time statistics of handler runs, shared by the per-handler and per-sequence rows of the heatmap. */
import type { BeatRun, HandlerRun } from '../model/entities.js';
import { compareStrings, round2 } from './collections.js';
import { type DurationSourceCounts, emptySourceCounts } from './handler-lookup.js';
import type { HandlerTimes } from './handler-performance-types.js';
import { type TimingStats, timingStats } from './percentile.js';

/**
 * Per beat: beat time minus the longest handler time among the handlers it awaited. Handler times all start at
 * the beat start, so the longest covers the others. Null when either side is unknown; clamped at 0 because
 * settle timestamps have 1 ms resolution while beat times have 0.01 ms.
 */
export function beatOverheads(
  handlerRuns: readonly HandlerRun[],
  beats: ReadonlyMap<string, BeatRun>,
): Map<string, number | null> {
  const longest = new Map<string, number>();
  for (const h of handlerRuns) {
    if (h.beatRunId === null || h.durationMs === null || h.settledAfterBeat) continue;
    longest.set(h.beatRunId, Math.max(longest.get(h.beatRunId) ?? 0, h.durationMs));
  }
  const out = new Map<string, number | null>();
  for (const [id, handlerMs] of longest) {
    const beatMs = beats.get(id)?.durationMs ?? null;
    out.set(id, beatMs === null ? null : round2(Math.max(0, beatMs - handlerMs)));
  }
  return out;
}

export function handlerTimes(
  group: readonly HandlerRun[],
  beats: ReadonlyMap<string, BeatRun>,
  overheadOf: ReadonlyMap<string, number | null>,
): HandlerTimes {
  const inBeats = group
    .map((h) => (h.beatRunId === null ? undefined : beats.get(h.beatRunId)))
    .filter((b) => b !== undefined);
  const durations = (late: boolean) =>
    group
      .filter((h) => h.settledAfterBeat === late)
      .map((h) => h.durationMs)
      .filter((d) => d !== null);
  return {
    executions: group.length,
    timedExecutions: durations(false).length,
    errors: group.filter((h) => h.status === 'error').length,
    settledAfterBeat: group.filter((h) => h.settledAfterBeat).length,
    timing: timingStats(durations(false)),
    settleTiming: timingStats(durations(true)),
    beatTiming: timingStats(inBeats.map((b) => b.durationMs).filter((d) => d !== null)),
    overhead: timingStats(
      group
        .filter((h) => !h.settledAfterBeat && h.beatRunId !== null)
        .map((h) => overheadOf.get(h.beatRunId!) ?? null)
        .filter((d) => d !== null),
    ),
    durationSources: {
      handler: countSources(group.map((h) => h.durationSource)),
      beat: countSources(inBeats.map((b) => b.durationSource)),
    },
  };
}

/** The sequence a handler ran for: its sequence run's (the play that emitted the beat), else its DataBaton `seq=`. */
export function sequenceOf(
  h: HandlerRun,
  runs: ReadonlyMap<string, { sequenceName: string; sequenceId: string | null }>,
) {
  const run = h.sequenceRunId === null ? undefined : runs.get(h.sequenceRunId);
  return { name: run?.sequenceName ?? h.sequenceName ?? '(unknown)', id: run?.sequenceId ?? null };
}

/** Slowest first: by p95 handler time, then by p95 settle time (async only), then by total; names break ties. */
export function bySlowest(
  a: { name: string; plugin: string | null; timing: TimingStats; settleTiming: TimingStats },
  b: typeof a,
): number {
  return (
    (b.timing.p95 ?? -1) - (a.timing.p95 ?? -1) ||
    (b.settleTiming.p95 ?? -1) - (a.settleTiming.p95 ?? -1) ||
    b.timing.total - a.timing.total ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.plugin ?? '', b.plugin ?? '')
  );
}

export function countSources(sources: readonly (keyof DurationSourceCounts)[]): DurationSourceCounts {
  const counts = emptySourceCounts();
  for (const s of sources) counts[s]++;
  return counts;
}
