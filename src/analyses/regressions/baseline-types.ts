/**
 * The performance baseline a team commits (`beatscope baseline --out perf-baseline.json`, docs/regressions.md):
 * per plugin × handler and per sequence × handler, a capped deterministic sample of handler times plus counts,
 * and the beats each sequence ran. Plain JSON; `version` is bumped when a field changes meaning.
 */

export const BASELINE_SCHEMA = 'beatscope/baseline';
export const BASELINE_VERSION = 1;

/** Most handler times kept per entry: a quantile-thinned sample beyond this (so 100 handlers stay ~200 KB). */
export const SAMPLE_CAP = 256;

export interface ErrorSignature {
  /** The error message with what varies masked (findings/fingerprint.ts `normalizeMessage`). */
  readonly signature: string;
  readonly count: number;
}

/** One plugin × handler, or one sequence × handler when `sequence` is set. */
export interface BaselineEntry {
  readonly plugin: string;
  readonly handler: string;
  /** Null: every sequence the handler ran for. */
  readonly sequence: string | null;
  readonly executions: number;
  /** Executions whose handler time is known and that settled within their beat (docs/log-formats.md §7). */
  readonly timedExecutions: number;
  /** Async executions that settled after their beat: their times are upper bounds, left out of `timesMs`. */
  readonly settledAfterBeat: number;
  readonly errors: number;
  /** Error signatures, most frequent first (per-handler entries only; empty on sequence entries). */
  readonly errorSignatures: readonly ErrorSignature[];
  /**
   * Handler times, ms (1 ms resolution where they come from log timestamps), ascending. All of them when
   * `timedExecutions ≤ SAMPLE_CAP`, else SAMPLE_CAP order statistics at evenly spaced quantiles (deterministic).
   */
  readonly timesMs: readonly number[];
}

export interface BaselineSequence {
  readonly sequence: string;
  readonly runs: number;
  /** Beat events seen in its runs, sorted. */
  readonly beats: readonly string[];
}

export interface Baseline {
  readonly schema: typeof BASELINE_SCHEMA;
  readonly version: typeof BASELINE_VERSION;
  /** ISO time the file was written; informational. */
  readonly createdAt: string;
  readonly source: {
    readonly sessions: number;
    readonly handlerRuns: number;
    readonly firstSessionStart: string | null;
  };
  /** Per-handler entries first (sorted by plugin, handler), then per-sequence ones (by plugin, handler, sequence). */
  readonly handlers: readonly BaselineEntry[];
  readonly sequences: readonly BaselineSequence[];
}
