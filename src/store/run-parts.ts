/**
 * Sequence runs with their beats, movements and handler errors, read from a store in batches
 * (`TelemetryStore.runParts`) so the flows report checks run by run without holding the whole store. Both
 * stores give the same parts in the same order: `runPartsOf` here (the in-memory store) and batched queries
 * (duckdb/duckdb-run-parts.ts); the store contract checks them.
 */
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../model/index.js';
import { type Groups, groupPositions } from '../model/position-groups.js';
import { IdPositions } from './id-positions.js';

/** One sequence run and the entities naming it (`sequenceRunId`), each list in (fileId, line) order. */
export interface RunParts {
  readonly run: SequenceRun;
  readonly beats: readonly BeatRun[];
  readonly movements: readonly MovementRun[];
  readonly errors: readonly HandlerError[];
}

/** Runs per batch, at most: a store holds one batch of entities at a time (the DuckDB store streams its tables). */
export const RUN_BATCH = 1024;

/**
 * Positions of `items` (store order) grouped by the position in `runs` of the run they name (`runAt`: those runs'
 * ids), each group in store order. Parts naming no stored run are left out. Numbers, not a list per run: the store
 * keeps this while unchanged, and a third of a million small lists lived long enough to be copied by the young
 * generation's collections and promoted; a batch's lists are made as it is read (`partsAt`).
 */
function byRunPosition(
  items: readonly { readonly sequenceRunId: string | null }[],
  runAt: IdPositions,
  runCount: number,
): Groups {
  const runOf = new Int32Array(items.length);
  runAt.rewind();
  for (let i = 0; i < items.length; i++) {
    const id = items[i]!.sequenceRunId;
    runOf[i] = (id === null ? undefined : runAt.find(id)) ?? -1;
  }
  return groupPositions(runOf, runCount);
}

/** The items of group `at` (positions into `items`), in order. */
function partsAt<T>(items: readonly T[], { offsets, items: positions }: Groups, at: number): readonly T[] {
  const from = offsets[at]!;
  const n = offsets[at + 1]! - from;
  if (n === 0) return NONE;
  const out = new Array<T>(n);
  for (let k = 0; k < n; k++) out[k] = items[positions[from + k]!]!;
  return out;
}

/**
 * The store's beats, movements and handler errors by run, each group in store order: group `at` holds the positions
 * of the parts naming the id of `runs[at]`, `at` found by `runAt` (a repeated run id finds its last position, so
 * every run of that id gets the same parts, as a lookup by id gives them).
 */
export interface PartsByRun {
  readonly runAt: IdPositions;
  readonly beats: readonly BeatRun[];
  readonly movements: readonly MovementRun[];
  readonly errors: readonly HandlerError[];
  readonly beatsOf: Groups;
  readonly movementsOf: Groups;
  readonly errorsOf: Groups;
}

/**
 * The parts of `runs` (each list in store order); the in-memory store keeps it while unchanged. Joined by position
 * (id-positions.ts): three maps keyed by run id, and their lookups, were most of this join's time on a large store.
 */
export function partsByRunOf(
  runs: readonly SequenceRun[],
  beats: readonly BeatRun[],
  movements: readonly MovementRun[],
  errors: readonly HandlerError[],
  runAt: IdPositions = new IdPositions(runs),
): PartsByRun {
  return {
    beats,
    movements,
    errors,
    beatsOf: byRunPosition(beats, runAt, runs.length),
    movementsOf: byRunPosition(movements, runAt, runs.length),
    errorsOf: byRunPosition(errors, runAt, runs.length),
    runAt,
  };
}

/** The parts of `runs` (store order) from the store's beats, movements and errors (each in store order). */
export function runPartsOf(
  runs: readonly SequenceRun[],
  beats: readonly BeatRun[],
  movements: readonly MovementRun[],
  errors: readonly HandlerError[],
): Generator<RunParts[]> {
  return runPartsFrom(runs, partsByRunOf(runs, beats, movements, errors));
}

const NONE: readonly never[] = [];

/** The parts of `runs` (store order, the runs `parts` was made of) from `parts`. */
export function* runPartsFrom(runs: readonly SequenceRun[], parts: PartsByRun): Generator<RunParts[]> {
  const { runAt } = parts;
  runAt.rewind();
  let batch: RunParts[] = [];
  for (const run of runs) {
    const at = runAt.find(run.id)!;
    batch.push({
      run,
      beats: partsAt(parts.beats, parts.beatsOf, at),
      movements: partsAt(parts.movements, parts.movementsOf, at),
      errors: partsAt(parts.errors, parts.errorsOf, at),
    });
    if (batch.length === RUN_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
