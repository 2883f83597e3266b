/**
 * Handler runs joined with what the aggregate reports need of their beat and sequence run, read from a store in
 * batches (`TelemetryStore.handlerRunFacts`) so the heatmap and coverage never hold every run, beat or sequence
 * run of a large store. Both stores produce the same facts in the same order: `factsOf` here (the in-memory
 * store) and one SQL join (duckdb/duckdb-handler-facts.ts); a test checks them field by field.
 */
import type { BeatRun, DurationSource, HandlerRun, SequenceRun } from '../model/index.js';
import { IdPositions } from './id-positions.js';

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

/**
 * What the handler runs' facts join in, by the handler run's position: its beat and sequence run (found by id once,
 * so a pass over the facts makes no lookups), whether it is its beat's first run, and its beat's longest handler
 * time. Made for one list of handler runs, in store order.
 */
export interface FactJoin {
  /** Per handler run: its beat, undefined when `beatRunId` names no stored beat. */
  readonly beatOf: readonly (BeatRun | undefined)[];
  /** Per handler run: its sequence run, undefined when unknown. */
  readonly runOf: readonly (SequenceRun | undefined)[];
  /** Per handler run: 1 for the first handler run of its beat, in store order. */
  readonly firstOfBeat: Uint8Array;
  /**
   * Per handler run: the longest handler time, ms, of its beat's handler runs that settled within it; NaN when
   * none has one (or there is no beat).
   */
  readonly beatLongestMs: Float64Array;
}

/**
 * The join of the store's handler runs with its beats and sequence runs (ids are unique, a model invariant; were
 * one repeated, the last wins). The in-memory store keeps it while its content is unchanged. `runAt`: the positions
 * of `runs` (the store shares one with `partsByRunOf`).
 */
export function factJoinOf(
  handlerRuns: readonly HandlerRun[],
  beats: readonly BeatRun[],
  runs: readonly SequenceRun[],
  runAt: IdPositions = new IdPositions(runs),
): FactJoin {
  const beatAt = new IdPositions(beats);
  runAt.rewind();
  const n = handlerRuns.length;
  const beatIndex = new Int32Array(n).fill(-1);
  const runOf: (SequenceRun | undefined)[] = new Array(n);
  const firstOfBeat = new Uint8Array(n);
  /** Per beat: seen yet (a pass in store order), and its longest settled handler time (-1: none yet). */
  const seen = new Uint8Array(beats.length);
  const longest = new Float64Array(beats.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const h = handlerRuns[i]!;
    const r = h.sequenceRunId === null ? undefined : runAt.find(h.sequenceRunId);
    runOf[i] = r === undefined ? undefined : runs[r];
    const b = h.beatRunId === null ? undefined : beatAt.find(h.beatRunId);
    if (b === undefined) continue;
    beatIndex[i] = b;
    if (seen[b] === 0) {
      seen[b] = 1;
      firstOfBeat[i] = 1;
    }
    if (h.durationMs !== null && !h.settledAfterBeat) longest[b] = Math.max(longest[b]!, 0, h.durationMs);
  }
  const beatOf: (BeatRun | undefined)[] = new Array(n);
  const beatLongestMs = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const b = beatIndex[i]!;
    if (b < 0) continue;
    beatOf[i] = beats[b];
    if (longest[b]! >= 0) beatLongestMs[i] = longest[b]!;
  }
  return { beatOf, runOf, firstOfBeat, beatLongestMs };
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
  const { beatOf, runOf, firstOfBeat, beatLongestMs } = join;
  let batch: HandlerRunFact[] = [];
  for (let i = 0; i < handlerRuns.length; i++) {
    const h = handlerRuns[i]!;
    batch.push(factOf(h, beatOf[i], runOf[i], beatLongestMs[i]!, firstOfBeat[i] === 1));
    if (batch.length === FACT_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** One handler run's fact, given what it joins: `longestMs` NaN when its beat has no settled handler time. */
export function factOf(
  h: HandlerRun,
  beat: BeatRun | undefined,
  run: SequenceRun | undefined,
  longestMs: number,
  firstOfBeat: boolean,
): HandlerRunFact {
  return {
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
    beatLongestHandlerMs: beat === undefined || Number.isNaN(longestMs) ? null : longestMs,
    firstOfBeat,
    event: h.event,
    runPluginId: run?.pluginId ?? null,
  };
}
