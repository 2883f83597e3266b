/**
 * V8's memory-saving mode for the analysis of a large store. The analysis streams the store (about 220 MiB survive
 * a full GC at a 2 GiB log), but the batches it streams through are garbage V8 lets pile up in its old space:
 * 2,000 MiB peak RSS at a 2 GiB log by default, 1,143 MiB in this mode, for about 50% more CPU time (measured on
 * the 2-core development machine). So only a store past LARGE_STORE_BEATS gets it, and only after ingest.
 */
import { setFlagsFromString } from 'node:v8';

/** Beat runs past which a store's analysis favours a small heap (a ~600 MiB log; 300 MiB peaked under 1 GiB). */
export const LARGE_STORE_BEATS = 500_000;

/** Asks V8 to favour a small heap over speed for the rest of the process when the store has `beatRuns` > the cap. */
export function favourSmallHeapFor(beatRuns: number): boolean {
  if (beatRuns <= LARGE_STORE_BEATS) return false;
  setFlagsFromString('--optimize-for-size');
  return true;
}
