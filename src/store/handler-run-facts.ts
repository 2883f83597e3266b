/**
 * Handler runs joined with what the aggregate reports need of their beat and sequence run, read from a store in
 * batches (`TelemetryStore.handlerRunFacts`) so the heatmap and coverage never hold every run, beat or sequence
 * run of a large store. Both stores produce the same facts in the same order: `factsOf` here (the in-memory
 * store) and one SQL join (duckdb/duckdb-handler-facts.ts); a test checks them field by field.
 */
import type { BeatRun, DurationSource, HandlerRun, SequenceRun } from '../model/index.js';

/** One handler run, in (fileId, line) order like `entities('handler-run')`. */
export interface HandlerRunFact {
  readonly id: string;
  readonly sessionId: string;
  readonly handler: string;
  readonly pluginId: string | null;
  /** The beat event it ran for (`event=`). */
  readonly event: string;
  /** The run's own DataBaton `seq=` name. */
  readonly sequenceName: string | null;
  readonly status: HandlerRun['status'];
  readonly settledMs: number | null;
  readonly durationMs: number | null;
  readonly durationSource: DurationSource;
  readonly settledAfterBeat: boolean;
  /** Its sequence run's name and definition id; both null when it has no known sequence run. */
  readonly runSequenceName: string | null;
  readonly runSequenceId: string | null;
  /** Its sequence run's plugin; null when unknown. */
  readonly runPluginId: string | null;
  /** Whether `beatRunId` names a stored beat; the beat fields below are null when not. */
  readonly hasBeat: boolean;
  readonly beatDurationMs: number | null;
  readonly beatDurationSource: DurationSource | null;
  readonly beatStartMs: number | null;
  /**
   * The longest handler time, ms, of the handler runs of its beat that settled within it, at least 0; null when
   * none of them has one (or there is no beat). Beat time minus this is the beat's overhead.
   */
  readonly beatLongestHandlerMs: number | null;
  /** True for the first handler run of its beat in (fileId, line) order. */
  readonly firstOfBeat: boolean;
}

/** Facts per batch, at most this many (DuckDB's chunk size). */
export const FACT_BATCH = 2048;

/** What a handler run's fact joins in: its beat and sequence run by id, and each beat's longest handler time. */
export interface FactJoin {
  readonly beatById: ReadonlyMap<string, BeatRun>;
  readonly runById: ReadonlyMap<string, SequenceRun>;
  /** By beat id: the longest handler time, ms, of its handler runs that settled within it. */
  readonly longest: ReadonlyMap<string, number>;
}

/**
 * The join of the store's handler runs with its beats and sequence runs (ids are unique, a model invariant; were
 * one repeated, the last wins). The in-memory store keeps it while its content is unchanged.
 */
export function factJoinOf(
  handlerRuns: readonly HandlerRun[],
  beats: readonly BeatRun[],
  runs: readonly SequenceRun[],
): FactJoin {
  const beatById = new Map(beats.map((b) => [b.id, b]));
  const runById = new Map(runs.map((r) => [r.id, r]));
  const longest = new Map<string, number>();
  for (const h of handlerRuns) {
    if (h.beatRunId === null || !beatById.has(h.beatRunId)) continue;
    if (h.durationMs === null || h.settledAfterBeat) continue;
    longest.set(h.beatRunId, Math.max(longest.get(h.beatRunId) ?? 0, h.durationMs));
  }
  return { beatById, runById, longest };
}

/** The facts of handler runs in store order, given the store's beats and sequence runs. */
export function factsOf(
  handlerRuns: readonly HandlerRun[],
  beats: readonly BeatRun[],
  runs: readonly SequenceRun[],
): Generator<HandlerRunFact[]> {
  return factsFrom(handlerRuns, factJoinOf(handlerRuns, beats, runs));
}

/** The facts of `handlerRuns` (store order) with `join`, made of those same handler runs. */
export function* factsFrom(handlerRuns: readonly HandlerRun[], join: FactJoin): Generator<HandlerRunFact[]> {
  const { beatById, runById, longest } = join;
  const seen = new Set<string>();
  let batch: HandlerRunFact[] = [];
  for (const h of handlerRuns) {
    const beat = h.beatRunId === null ? undefined : beatById.get(h.beatRunId);
    const run = h.sequenceRunId === null ? undefined : runById.get(h.sequenceRunId);
    const first = beat !== undefined && !seen.has(beat.id);
    if (first) seen.add(beat.id);
    batch.push({
      id: h.id,
      sessionId: h.sessionId,
      handler: h.handler,
      pluginId: h.pluginId,
      sequenceName: h.sequenceName,
      status: h.status,
      settledMs: h.settledMs,
      durationMs: h.durationMs,
      durationSource: h.durationSource,
      settledAfterBeat: h.settledAfterBeat,
      runSequenceName: run?.sequenceName ?? null,
      runSequenceId: run?.sequenceId ?? null,
      hasBeat: beat !== undefined,
      beatDurationMs: beat?.durationMs ?? null,
      beatDurationSource: beat?.durationSource ?? null,
      beatStartMs: beat?.startMs ?? null,
      beatLongestHandlerMs: beat === undefined ? null : (longest.get(beat.id) ?? null),
      firstOfBeat: first,
      event: h.event,
      runPluginId: run?.pluginId ?? null,
    });
    if (batch.length === FACT_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
