/** Types of the heatmap report (`beatscope report heatmap`): plain JSON-serialisable data, times in ms. */
import type { SessionP95 } from './handler-distributions.js';
import type { DurationSourceCounts } from './handler-lookup.js';
import type { HeatmapMatrix } from './heatmap-matrix.js';
import type { LatencyBin } from './latency-histogram.js';
import type { TimingStats } from './percentile.js';

export interface HandlerPerformanceOptions {
  /** Length of the `slowest` list. Default 10. */
  readonly top?: number;
  /** Columns of the time-bucket matrix. Default 24. */
  readonly buckets?: number;
}

/** Shared by per-handler and per-sequence rows. All times ms. */
export interface HandlerTimes {
  /** Handler runs seen, timed or not, ok or failed. */
  readonly executions: number;
  /** Executions with a handler time that settled within their beat; `timing` is over these only. */
  readonly timedExecutions: number;
  /** Executions whose handler threw. */
  readonly errors: number;
  /** Executions that settled after their beat completed (async, not awaited by the beat). */
  readonly settledAfterBeat: number;
  /** Handler time of the executions that settled within their beat (awaited: a measured duration). */
  readonly timing: TimingStats;
  /**
   * Time to settle of the executions that settled after their beat completed (async): an upper bound that also
   * holds awaits, event-loop waits and the per-request DataBaton chain (docs/log-formats.md §7), so kept out of `timing`.
   */
  readonly settleTiming: TimingStats;
  /** Beat time of the beats these executions ran in (one value per execution). */
  readonly beatTiming: TimingStats;
  /** Orchestration overhead of those beats: beat time minus the handler time it contains. */
  readonly overhead: TimingStats;
  readonly durationSources: { readonly handler: DurationSourceCounts; readonly beat: DurationSourceCounts };
}

export interface HandlerPerformance extends HandlerTimes {
  readonly name: string;
  readonly plugin: string | null;
  /** Sum of handler time, ms (= timing.total). */
  readonly totalTime: number;
  /** Share of all (awaited) handler time, 0..1. */
  readonly share: number;
  /** From the code index; null without one or when the definition was not resolved. */
  readonly sourceFile: string | null;
  readonly sourceLine: number | null;
  /** Names of the sequences whose runs executed it, sorted. */
  readonly sequences: readonly string[];
  /**
   * Distribution of its handler time (the runs in `timing`) on one log-spaced ladder of whole-ms edges
   * (latency-histogram.ts), from its fastest run's bin to its slowest's; counts sum to `timedExecutions`.
   */
  readonly histogram: readonly LatencyBin[];
  /** Its p95 handler time per session it ran in, sessions by start time (handler-distributions.ts). */
  readonly p95BySession: readonly SessionP95[];
}

export interface SequenceHandlerPerformance extends HandlerTimes {
  readonly sequence: string;
  readonly sequenceId: string | null;
  readonly name: string;
  readonly plugin: string | null;
}

export interface SlowHandler {
  readonly name: string;
  readonly plugin: string | null;
  readonly p95: number;
  readonly executions: number;
}

export interface HandlerPerformanceSummary {
  readonly totalHandlers: number;
  readonly totalExecutions: number;
  /** Executions in `timing` stats (settled within their beat, with a duration). */
  readonly timedExecutions: number;
  /** Executions that settled after their beat: in `settleTiming` only. */
  readonly asyncExecutions: number;
  /** Executions without any duration (no timestamps in that log). */
  readonly untimedExecutions: number;
  /** Sum of (awaited) handler time, ms. */
  readonly totalTime: number;
  /** Highest / lowest p95 handler time (name only, as earlier versions printed; plugin alongside). */
  readonly slowestHandler: string | null;
  readonly slowestHandlerPlugin: string | null;
  readonly fastestHandler: string | null;
  readonly fastestHandlerPlugin: string | null;
  /** Beats that ran at least one handler, their summed beat time and the overhead part of it, ms. */
  readonly beatsWithHandlers: number;
  readonly beatTime: number;
  readonly overheadTime: number;
  /** overheadTime / beat time of the beats with a known overhead, 0..1; null when none is known. */
  readonly overheadShare: number | null;
  readonly durationSources: { readonly handler: DurationSourceCounts; readonly beat: DurationSourceCounts };
}

export interface HandlerPerformanceReport {
  /** Times are milliseconds throughout. */
  readonly unit: 'ms';
  /** What each time measures, for legends. */
  readonly measures: {
    readonly handlerTime: string;
    readonly settleTime: string;
    readonly beatTime: string;
    readonly overhead: string;
  };
  /** Sorted by p95 handler time, slowest first; then handlers with only async settle times (by their p95), then untimed. */
  readonly handlers: readonly HandlerPerformance[];
  readonly bySequence: readonly SequenceHandlerPerformance[];
  /** Top N by p95 handler time. */
  readonly slowest: readonly SlowHandler[];
  readonly matrix: HeatmapMatrix;
  readonly summary: HandlerPerformanceSummary;
  /** Whether sourceFile/sourceLine could be looked up. */
  readonly codeIndex: boolean;
  readonly notes: readonly string[];
}
