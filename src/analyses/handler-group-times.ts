/**
 * What the heatmap keeps per group of handler runs (handler, sequence × handler, session, matrix cell) while they
 * stream through `HandlerRunAggregator`: counts and the durations its percentiles need.
 */
import type { HandlerRunFact } from '../store/handler-run-facts.js';
import { emptySourceCounts } from './handler-lookup.js';
import type { HandlerTimes } from './handler-performance-types.js';
import { timingStatsInPlace } from './percentile.js';

/**
 * Scratch space every `Values.view()` copies into, grown as needed: one buffer for the whole report, because
 * allocating typed arrays (external buffers) costs far more than filling them when the heap holds a million runs.
 */
let scratch = new Float64Array(1024);

/**
 * A growable list of durations, ms. Pushed into a plain array (on the JS heap, grown in place) rather than a
 * typed array doubled on overflow: each typed-array growth allocates an external buffer, and with thousands of
 * groups on a heap of a million runs those allocations, not the pushes, took most of the aggregation's time.
 */
export class Values {
  private readonly list: number[] = [];

  get length(): number {
    return this.list.length;
  }

  push(v: number): void {
    this.list.push(v);
  }

  /**
   * A copy of the values in push order, for the caller's statistics to sort in place. It lives in the shared
   * scratch buffer: valid until the next `view()` of any Values, so each is used before the next is taken.
   */
  view(): Float64Array {
    const n = this.list.length;
    if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
    const out = scratch.subarray(0, n);
    for (let i = 0; i < n; i++) out[i] = this.list[i]!;
    return out;
  }
}

/** What `handlerTimes` (handler-times.ts) computes for one group, accumulated run by run. */
export class GroupTimes {
  executions = 0;
  errors = 0;
  late = 0;
  readonly handlerSources = emptySourceCounts();
  readonly beatSources = emptySourceCounts();
  readonly timed = new Values();
  readonly settle = new Values();
  readonly beat = new Values();
  readonly overhead = new Values();

  add(f: HandlerRunFact, overhead: number): void {
    this.executions++;
    const d = f.durationMs;
    if (f.settledAfterBeat) {
      this.late++;
      if (d !== null) this.settle.push(d);
    } else if (d !== null) this.timed.push(d);
    if (f.status === 'error') this.errors++;
    this.handlerSources[f.durationSource]++;
    if (!f.hasBeat) return;
    this.beatSources[f.beatDurationSource!]++;
    if (f.beatDurationMs !== null) this.beat.push(f.beatDurationMs);
    if (!f.settledAfterBeat && !Number.isNaN(overhead)) this.overhead.push(overhead);
  }

  times(): HandlerTimes {
    return {
      executions: this.executions,
      timedExecutions: this.timed.length,
      errors: this.errors,
      settledAfterBeat: this.late,
      timing: timingStatsInPlace(this.timed.view()),
      settleTiming: timingStatsInPlace(this.settle.view()),
      beatTiming: timingStatsInPlace(this.beat.view()),
      overhead: timingStatsInPlace(this.overhead.view()),
      durationSources: { handler: this.handlerSources, beat: this.beatSources },
    };
  }
}

/** One handler's runs in one session: what its p95-per-session point needs. */
export class SessionTimes {
  executions = 0;
  readonly timed = new Values();
}

export class Cell {
  executions = 0;
  readonly timed = new Values();
  readonly settle = new Values();
  readonly ids: string[] = [];
}
