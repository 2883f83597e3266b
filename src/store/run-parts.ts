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

/** Runs per batch, at most: the DuckDB store reads each part table once per batch, and holds one batch. */
export const RUN_BATCH = 16_384;

function byRun<T extends { readonly sequenceRunId: string | null }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    if (item.sequenceRunId === null) continue;
    const list = out.get(item.sequenceRunId);
    if (list) list.push(item);
    else out.set(item.sequenceRunId, [item]);
  }
  return out;
}

/** The parts of `runs` (store order), from the store's beats, movements and errors (each in store order). */
export function* runPartsOf(
  runs: readonly SequenceRun[],
  beats: readonly BeatRun[],
  movements: readonly MovementRun[],
  errors: readonly HandlerError[],
): Generator<RunParts[]> {
  const beatsOf = byRun(beats);
  const movementsOf = byRun(movements);
  const errorsOf = byRun(errors);
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
