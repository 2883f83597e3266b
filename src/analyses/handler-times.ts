/**
 * Per-group time statistics of handler runs, shared by the per-handler and per-sequence rows of the heatmap.
 * Handler runs and beats are first flattened into typed columns (`RunColumns`, one pass); a group is then a
 * list of handler-run positions, and its statistics fill reusable Float64Array scratch buffers (sorted in place
 * for percentiles), with no per-run objects, closures or intermediate arrays.
 */
import type { DurationSource } from '../model/entities.js';
import { sequenceLabel } from '../model/unknown-names.js';
import { compareStrings, round2 } from './collections.js';
import { type DurationSourceCounts, durationSources, emptySourceCounts } from './handler-lookup.js';
import type { HandlerTimes } from './handler-performance-types.js';
import { type TimingStats, timingStatsInPlace } from './percentile.js';
import type { TraceData } from './trace-data.js';
import type { TraceIndex } from './trace-index.js';

const SOURCE_CODE = new Map<DurationSource, number>(durationSources.map((s, i) => [s, i]));

/** A duration source's index in `durationSources` (`RunColumns.source`, `RunColumns.beatSource`). */
export function durationSourceCode(source: DurationSource): number {
  return SOURCE_CODE.get(source) ?? 0;
}

/** Handler runs and beats as columns. Durations are ms, NaN where the model has null. */
export interface RunColumns {
  /** Per handler run. */
  readonly duration: Float64Array;
  /** 1 when the run settled after its beat completed (async, not awaited). */
  readonly late: Uint8Array;
  readonly error: Uint8Array;
  /** Index into `durationSources`. */
  readonly source: Uint8Array;
  /** Position of its beat in `data.beats`, -1 when none (same array as TraceIndex.beatOfHandlerRun). */
  readonly beat: Int32Array;
  /** Per beat (positions of `data.beats`). */
  readonly beatDuration: Float64Array;
  readonly beatSource: Uint8Array;
  /**
   * Beat time minus the longest handler time among the handlers it awaited. Handler times all start at the beat
   * start, so the longest covers the others. NaN when either side is unknown; clamped at 0 because settle
   * timestamps have 1 ms resolution while beat times have 0.01 ms.
   */
  readonly overhead: Float64Array;
}

export function runColumns(data: TraceData, index: TraceIndex): RunColumns {
  const n = data.handlerRuns.length;
  const duration = new Float64Array(n);
  const late = new Uint8Array(n);
  const error = new Uint8Array(n);
  const source = new Uint8Array(n);
  const beats = data.beats.length;
  const beatDuration = new Float64Array(beats);
  const beatSource = new Uint8Array(beats);
  for (let b = 0; b < beats; b++) {
    const beat = data.beats[b]!;
    beatDuration[b] = beat.durationMs ?? Number.NaN;
    beatSource[b] = durationSourceCode(beat.durationSource);
  }
  const longest = new Float64Array(beats).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const h = data.handlerRuns[i]!;
    duration[i] = h.durationMs ?? Number.NaN;
    late[i] = h.settledAfterBeat ? 1 : 0;
    error[i] = h.status === 'error' ? 1 : 0;
    source[i] = durationSourceCode(h.durationSource);
    const b = index.beatOfHandlerRun[i]!;
    if (b >= 0 && h.durationMs !== null && !h.settledAfterBeat) {
      const before = longest[b]!;
      longest[b] = Number.isNaN(before) ? Math.max(0, h.durationMs) : Math.max(before, h.durationMs);
    }
  }
  const overhead = new Float64Array(beats);
  for (let b = 0; b < beats; b++) {
    const handlerMs = longest[b]!;
    const beatMs = beatDuration[b]!;
    overhead[b] =
      Number.isNaN(handlerMs) || Number.isNaN(beatMs) ? Number.NaN : round2(Math.max(0, beatMs - handlerMs));
  }
  return { duration, late, error, source, beat: index.beatOfHandlerRun, beatDuration, beatSource, overhead };
}

/** Scratch buffers for `handlerTimes`, each at least as long as the largest group. */
export class TimesScratch {
  readonly timed: Float64Array;
  readonly settle: Float64Array;
  readonly beat: Float64Array;
  readonly overhead: Float64Array;

  constructor(size: number) {
    this.timed = new Float64Array(size);
    this.settle = new Float64Array(size);
    this.beat = new Float64Array(size);
    this.overhead = new Float64Array(size);
  }
}

/** Statistics of the handler runs at `items[from..to)` (positions in `data.handlerRuns`). */
export function handlerTimes(
  c: RunColumns,
  items: Int32Array,
  from: number,
  to: number,
  scratch: TimesScratch,
): HandlerTimes {
  let timed = 0;
  let settle = 0;
  let beats = 0;
  let overheads = 0;
  let errors = 0;
  let lateCount = 0;
  const handlerSources = emptySourceCounts();
  const beatSources = emptySourceCounts();
  for (let k = from; k < to; k++) {
    const i = items[k]!;
    const d = c.duration[i]!;
    const isLate = c.late[i] === 1;
    if (isLate) {
      lateCount++;
      if (!Number.isNaN(d)) scratch.settle[settle++] = d;
    } else if (!Number.isNaN(d)) scratch.timed[timed++] = d;
    errors += c.error[i]!;
    handlerSources[durationSources[c.source[i]!]!]++;
    const b = c.beat[i]!;
    if (b < 0) continue;
    beatSources[durationSources[c.beatSource[b]!]!]++;
    if (!Number.isNaN(c.beatDuration[b]!)) scratch.beat[beats++] = c.beatDuration[b]!;
    if (!isLate && !Number.isNaN(c.overhead[b]!)) scratch.overhead[overheads++] = c.overhead[b]!;
  }
  return {
    executions: to - from,
    timedExecutions: timed,
    errors,
    settledAfterBeat: lateCount,
    timing: timingStatsInPlace(scratch.timed.subarray(0, timed)),
    settleTiming: timingStatsInPlace(scratch.settle.subarray(0, settle)),
    beatTiming: timingStatsInPlace(scratch.beat.subarray(0, beats)),
    overhead: timingStatsInPlace(scratch.overhead.subarray(0, overheads)),
    durationSources: { handler: handlerSources, beat: beatSources },
  };
}

/** The sequence a handler ran for: its sequence run's (the play that emitted the beat), else its DataBaton `seq=`. */
export function sequenceOf(
  h: { readonly sequenceName: string | null },
  run: { readonly sequenceName: string; readonly sequenceId: string | null } | undefined,
): { name: string; id: string | null } {
  return { name: sequenceLabel(run?.sequenceName || h.sequenceName), id: run?.sequenceId ?? null };
}

/**
 * Slowest first: by p95 handler time, then by p95 settle time (async only), then by p95 beat time (handlers
 * with no settle line of their own, e.g. logs without handler-level timestamps), then by total; names break ties.
 */
export function bySlowest(
  a: { name: string; plugin: string | null; timing: TimingStats; settleTiming: TimingStats; beatTiming: TimingStats },
  b: typeof a,
): number {
  return (
    (b.timing.p95 ?? -1) - (a.timing.p95 ?? -1) ||
    (b.settleTiming.p95 ?? -1) - (a.settleTiming.p95 ?? -1) ||
    (b.beatTiming.p95 ?? -1) - (a.beatTiming.p95 ?? -1) ||
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
