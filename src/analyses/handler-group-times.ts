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

/** Values per chunk of a `ValueArena` (2^16: 512 KiB of doubles, allocated straight into V8's large-object space). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/**
 * Every duration an aggregator keeps, of all its groups, in push order: each group's values are a chain through
 * it (`previousOf`), read back in push order by `Values.view()`. A list per group (a JS array grown in place) cost
 * most of a million-run aggregation in young-generation collections: each growth allocated a new backing store
 * that lived on, so half of every scavenge was copying them. Here values go into fixed chunks of plain arrays,
 * each large enough to be allocated outside the young generation and never grown or copied. (Typed arrays would
 * be external memory, whose growth V8 answers with full collections of the whole heap.)
 */
export class ValueArena {
  private readonly values: number[][] = [];
  private readonly previous: number[][] = [];
  private count = 0;

  /** Appends `v` after the value at `previous` (-1: a group's first); returns its index. */
  push(v: number, previous: number): number {
    const i = this.count++;
    const at = i & IN_CHUNK;
    if (at === 0) {
      // Filled with a double and an int once, so each chunk keeps one elements kind from the start.
      this.values.push(new Array<number>(CHUNK).fill(0.5));
      this.previous.push(new Array<number>(CHUNK).fill(-1));
    }
    this.values[i >>> CHUNK_BITS]![at] = v;
    this.previous[i >>> CHUNK_BITS]![at] = previous;
    return i;
  }

  valueAt(i: number): number {
    return this.values[i >>> CHUNK_BITS]![i & IN_CHUNK]!;
  }

  previousOf(i: number): number {
    return this.previous[i >>> CHUNK_BITS]![i & IN_CHUNK]!;
  }
}

/** One group's durations, ms, in push order (kept in its aggregator's `ValueArena`). */
export class Values {
  private last = -1;
  private count = 0;

  constructor(private readonly arena: ValueArena) {}

  get length(): number {
    return this.count;
  }

  push(v: number): void {
    this.last = this.arena.push(v, this.last);
    this.count++;
  }

  /**
   * A copy of the values in push order, for the caller's statistics to sort in place. It lives in the shared
   * scratch buffer: valid until the next `view()` of any Values, so each is used before the next is taken.
   */
  view(): Float64Array {
    const n = this.count;
    if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
    const out = scratch.subarray(0, n);
    const arena = this.arena;
    for (let i = this.last, k = n - 1; k >= 0; i = arena.previousOf(i), k--) out[k] = arena.valueAt(i);
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
  readonly timed: Values;
  readonly settle: Values;
  readonly beat: Values;
  readonly overhead: Values;

  constructor(arena: ValueArena) {
    this.timed = new Values(arena);
    this.settle = new Values(arena);
    this.beat = new Values(arena);
    this.overhead = new Values(arena);
  }

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
  readonly timed: Values;

  constructor(arena: ValueArena) {
    this.timed = new Values(arena);
  }
}

export class Cell {
  executions = 0;
  readonly timed: Values;
  readonly settle: Values;
  readonly ids: string[] = [];

  constructor(arena: ValueArena) {
    this.timed = new Values(arena);
    this.settle = new Values(arena);
  }
}
