/**
 * Handler-run facts streamed out of a store (`TelemetryStore.handlerRunFacts`), kept as the columns the heatmap's
 * statistics read (`RunColumns`, handler-times.ts) plus the groups each run falls in. The streamed heatmap then
 * computes every group's statistics as the trace-data path does — groups are counting-sorted run positions
 * (`groupPositions`), so values come in arrival order and sums are bit-identical — instead of keeping a list of
 * values per group while the runs stream through: one row of fixed-width numbers per run (about 60 bytes), where
 * lists per handler, sequence × handler, session and cell kept ~200 bytes of growing arrays per run, enough to
 * force a full collection of a large heap in the middle of an analysis.
 *
 * A fact carries its beat's numbers, so row i is also "beat" i of the columns: `beat[i]` is i when the run has a
 * beat, else -1, and the beat columns at i are that beat's duration, source and overhead.
 */
import type { HandlerRunFact } from '../store/handler-run-facts.js';
import { round2 } from './collections.js';
import { durationSourceCode, type RunColumns } from './handler-times.js';

/** Rows reserved when the count is not known, doubled when full. */
const FIRST_CAPACITY = 1 << 14;

export class FactColumns {
  length = 0;
  private duration: Float64Array;
  private late: Uint8Array;
  private error: Uint8Array;
  private source: Uint8Array;
  private beat: Int32Array;
  private beatDuration: Float64Array;
  private beatSource: Uint8Array;
  private overhead: Float64Array;
  /** Interned handler (the aggregator's HandlerTable). */
  private handler: Int32Array;
  /** (sequence, handler) pair, numbered by the aggregator. */
  private pair: Int32Array;
  /** Session, numbered in first-seen order by the aggregator. */
  private session: Int32Array;
  /** When it happened, epoch ms: its settle line, else its beat's start; NaN when neither is known. */
  private time: Float64Array;
  /** Run ids, for the heatmap cells' first CELL_ID_CAP runs (an array of the expected length, filled in order). */
  readonly ids: string[];

  /**
   * `expected`: the rows that will be added, when known (the store's handler-run count). Sized for them at once,
   * the columns are never copied: doubling them as rows arrive left ~60 MB of dead buffers at a million runs, and
   * V8 answers that much external memory with a full collection of the whole heap.
   */
  constructor(expected = 0) {
    const size = Math.max(1, expected > 0 ? expected : FIRST_CAPACITY);
    this.duration = new Float64Array(size);
    this.late = new Uint8Array(size);
    this.error = new Uint8Array(size);
    this.source = new Uint8Array(size);
    this.beat = new Int32Array(size);
    this.beatDuration = new Float64Array(size);
    this.beatSource = new Uint8Array(size);
    this.overhead = new Float64Array(size);
    this.handler = new Int32Array(size);
    this.pair = new Int32Array(size);
    this.session = new Int32Array(size);
    this.time = new Float64Array(size);
    this.ids = new Array<string>(Math.max(0, expected));
  }

  /** Appends one fact with its groups; returns its row. */
  add(f: HandlerRunFact, handler: number, pair: number, session: number): number {
    const i = this.length++;
    if (i === this.duration.length) this.grow();
    this.duration[i] = f.durationMs ?? Number.NaN;
    this.late[i] = f.settledAfterBeat ? 1 : 0;
    this.error[i] = f.status === 'error' ? 1 : 0;
    this.source[i] = durationSourceCode(f.durationSource);
    this.beat[i] = f.hasBeat ? i : -1;
    this.beatDuration[i] = f.beatDurationMs ?? Number.NaN;
    this.beatSource[i] = f.beatDurationSource === null ? 0 : durationSourceCode(f.beatDurationSource);
    this.overhead[i] = overheadOf(f);
    this.handler[i] = handler;
    this.pair[i] = pair;
    this.session[i] = session;
    this.time[i] = f.settledMs ?? f.beatStartMs ?? Number.NaN;
    this.ids[i] = f.id;
    return i;
  }

  /** Row i's beat overhead, ms; NaN when unknown. */
  overheadAt(i: number): number {
    return this.overhead[i]!;
  }

  /** The rows as `handlerTimes` reads them (views, valid until the next `add`). */
  runColumns(): RunColumns {
    const n = this.length;
    return {
      duration: this.duration.subarray(0, n),
      late: this.late.subarray(0, n),
      error: this.error.subarray(0, n),
      source: this.source.subarray(0, n),
      beat: this.beat.subarray(0, n),
      beatDuration: this.beatDuration.subarray(0, n),
      beatSource: this.beatSource.subarray(0, n),
      overhead: this.overhead.subarray(0, n),
    };
  }

  /** Per row: its handler, pair, session and time (views, valid until the next `add`). */
  groups(): { handler: Int32Array; pair: Int32Array; session: Int32Array; time: Float64Array } {
    const n = this.length;
    return {
      handler: this.handler.subarray(0, n),
      pair: this.pair.subarray(0, n),
      session: this.session.subarray(0, n),
      time: this.time.subarray(0, n),
    };
  }

  private grow(): void {
    const size = 2 * this.duration.length;
    this.duration = grown(this.duration, new Float64Array(size));
    this.late = grown(this.late, new Uint8Array(size));
    this.error = grown(this.error, new Uint8Array(size));
    this.source = grown(this.source, new Uint8Array(size));
    this.beat = grown(this.beat, new Int32Array(size));
    this.beatDuration = grown(this.beatDuration, new Float64Array(size));
    this.beatSource = grown(this.beatSource, new Uint8Array(size));
    this.overhead = grown(this.overhead, new Float64Array(size));
    this.handler = grown(this.handler, new Int32Array(size));
    this.pair = grown(this.pair, new Int32Array(size));
    this.session = grown(this.session, new Int32Array(size));
    this.time = grown(this.time, new Float64Array(size));
  }
}

/** `into` with `from` copied to its start. */
function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

/** The beat's overhead, ms (`RunColumns.overhead`): NaN when either side is unknown. */
function overheadOf(f: HandlerRunFact): number {
  const handlerMs = f.beatLongestHandlerMs;
  const beatMs = f.beatDurationMs;
  return handlerMs === null || beatMs === null ? Number.NaN : round2(Math.max(0, beatMs - handlerMs));
}
