/**
 * Sequence runs with their beats, movements and handler errors, read from a store in batches
 * (`TelemetryStore.runParts`) so the flows report checks run by run without holding the whole store. Both
 * stores give the same parts in the same order: `runPartsOf` here (the in-memory store) and batched queries
 * (duckdb/duckdb-run-parts.ts); the store contract checks them.
 */
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../model/index.js';
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
 * `items` (store order) listed by the position in `runs` of the run they name (`runAt`: those runs' ids), each list
 * in store order; positions no item names stay undefined. Parts naming no stored run are left out.
 */
function byRunPosition<T extends { readonly sequenceRunId: string | null }>(
  items: readonly T[],
  runAt: IdPositions,
  runCount: number,
): (T[] | undefined)[] {
  const out = new Array<T[] | undefined>(runCount);
  runAt.rewind();
  for (const item of items) {
    if (item.sequenceRunId === null) continue;
    const at = runAt.find(item.sequenceRunId);
    if (at === undefined) continue;
    const list = out[at];
    if (list) list.push(item);
    else out[at] = [item];
  }
  return out;
}

/**
 * The store's beats, movements and handler errors by run, each list in store order: `runs[at]` gets the parts naming
 * its id, `at` found by `runAt` (a repeated run id finds its last position, so every run of that id gets the same
 * parts, as a lookup by id gives them).
 */
export interface PartsByRun {
  readonly runAt: IdPositions;
  readonly beats: readonly (readonly BeatRun[] | undefined)[];
  readonly movements: readonly (readonly MovementRun[] | undefined)[];
  readonly errors: readonly (readonly HandlerError[] | undefined)[];
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
    beats: byRunPosition(beats, runAt, runs.length),
    movements: byRunPosition(movements, runAt, runs.length),
    errors: byRunPosition(errors, runAt, runs.length),
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
  const { beats, movements, errors, runAt } = parts;
  runAt.rewind();
  let batch: RunParts[] = [];
  for (const run of runs) {
    const at = runAt.find(run.id)!;
    batch.push({ run, beats: beats[at] ?? NONE, movements: movements[at] ?? NONE, errors: errors[at] ?? NONE });
    if (batch.length === RUN_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
