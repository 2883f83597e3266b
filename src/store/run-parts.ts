/**
 * Sequence runs with their beats, movements and handler errors, read from a store in batches
 * (`TelemetryStore.runParts`) so the flows report checks run by run without holding the whole store. Both
 * stores give the same parts in the same order: `runPartsOf` here (the in-memory store) and batched queries
 * (duckdb/duckdb-run-parts.ts); the store contract checks them.
 */
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../model/index.js';

/** One sequence run and the entities naming it (`sequenceRunId`), each list in (fileId, line) order. */
export interface RunParts {
  readonly run: SequenceRun;
  readonly beats: readonly BeatRun[];
  readonly movements: readonly MovementRun[];
  readonly errors: readonly HandlerError[];
}

/** Runs per batch, at most: a store holds one batch of entities at a time (the DuckDB store streams its tables). */
export const RUN_BATCH = 1024;

function byRun<T extends { readonly sequenceRunId: string | null }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  // A run's parts mostly follow each other: the map is asked only when the run changes.
  let lastRun: string | null = null;
  let lastList: T[] = [];
  for (const item of items) {
    const run = item.sequenceRunId;
    if (run === null) continue;
    if (run !== lastRun) {
      lastRun = run;
      const list = out.get(run);
      if (list) lastList = list;
      else out.set(run, (lastList = []));
    }
    lastList.push(item);
  }
  return out;
}

/** The store's beats, movements and handler errors by `sequenceRunId`, each list in store order. */
export interface PartsByRun {
  readonly beats: ReadonlyMap<string, readonly BeatRun[]>;
  readonly movements: ReadonlyMap<string, readonly MovementRun[]>;
  readonly errors: ReadonlyMap<string, readonly HandlerError[]>;
}

/** `beats`, `movements` and `errors` (each in store order) by run; the in-memory store keeps it while unchanged. */
export function partsByRunOf(
  beats: readonly BeatRun[],
  movements: readonly MovementRun[],
  errors: readonly HandlerError[],
): PartsByRun {
  return { beats: byRun(beats), movements: byRun(movements), errors: byRun(errors) };
}

/** The parts of `runs` (store order), from the store's beats, movements and errors (each in store order). */
export function runPartsOf(
  runs: readonly SequenceRun[],
  beats: readonly BeatRun[],
  movements: readonly MovementRun[],
  errors: readonly HandlerError[],
): Generator<RunParts[]> {
  return runPartsFrom(runs, partsByRunOf(beats, movements, errors));
}

/** The parts of `runs` (store order) from `parts`. */
export function* runPartsFrom(runs: readonly SequenceRun[], parts: PartsByRun): Generator<RunParts[]> {
  const { beats: beatsOf, movements: movementsOf, errors: errorsOf } = parts;
  let batch: RunParts[] = [];
  for (const run of runs) {
    batch.push({
      run,
      beats: beatsOf.get(run.id) ?? [],
      movements: movementsOf.get(run.id) ?? [],
      errors: errorsOf.get(run.id) ?? [],
    });
    if (batch.length === RUN_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
