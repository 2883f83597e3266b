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
import { RowColumns } from './row-columns.js';

/** A run's row: `RunColumns`' columns (see handler-times.ts) and the aggregator's groups. */
const FACT_COLUMNS = {
  duration: Float64Array,
  late: Uint8Array,
  error: Uint8Array,
  source: Uint8Array,
  beat: Int32Array,
  beatDuration: Float64Array,
  beatSource: Uint8Array,
  overhead: Float64Array,
  /** Interned handler (the aggregator's HandlerTable). */
  handler: Int32Array,
  /** (sequence, handler) pair, numbered by the aggregator. */
  pair: Int32Array,
  /** Session, numbered in first-seen order by the aggregator. */
  session: Int32Array,
  /** When it happened, epoch ms: its settle line, else its beat's start; NaN when neither is known. */
  time: Float64Array,
};

export class FactColumns {
  private readonly table: RowColumns<typeof FACT_COLUMNS>;
  /** Run ids, for the heatmap cells' first CELL_ID_CAP runs (an array of the expected length, filled in order). */
  readonly ids: string[];

  /**
   * `expected`: the rows that will be added, when known (the store's handler-run count): the columns are then sized
   * once (row-columns.ts; doubling them left ~60 MB of dead buffers at a million runs).
   */
  constructor(expected = 0) {
    this.table = new RowColumns(FACT_COLUMNS, expected);
    this.ids = new Array<string>(Math.max(0, expected));
  }

  /** Appends one fact with its groups; returns its row. */
  add(f: HandlerRunFact, handler: number, pair: number, session: number): number {
    const i = this.table.add();
    const c = this.table.columns;
    c.duration[i] = f.durationMs ?? Number.NaN;
    c.late[i] = f.settledAfterBeat ? 1 : 0;
    c.error[i] = f.status === 'error' ? 1 : 0;
    c.source[i] = durationSourceCode(f.durationSource);
    c.beat[i] = f.hasBeat ? i : -1;
    c.beatDuration[i] = f.beatDurationMs ?? Number.NaN;
    c.beatSource[i] = f.beatDurationSource === null ? 0 : durationSourceCode(f.beatDurationSource);
    c.overhead[i] = overheadOf(f);
    c.handler[i] = handler;
    c.pair[i] = pair;
    c.session[i] = session;
    c.time[i] = f.settledMs ?? f.beatStartMs ?? Number.NaN;
    this.ids[i] = f.id;
    return i;
  }

  /** Row i's beat overhead, ms; NaN when unknown. */
  overheadAt(i: number): number {
    return this.table.columns.overhead[i]!;
  }

  /** The rows as `handlerTimes` reads them (views, valid until the next `add`). */
  runColumns(): RunColumns {
    const { duration, late, error, source, beat, beatDuration, beatSource, overhead } = this.table.rows();
    return { duration, late, error, source, beat, beatDuration, beatSource, overhead };
  }

  /** Per row: its handler, pair, session and time (views, valid until the next `add`). */
  groups(): { handler: Int32Array; pair: Int32Array; session: Int32Array; time: Float64Array } {
    const { handler, pair, session, time } = this.table.rows();
    return { handler, pair, session, time };
  }
}

/** The beat's overhead, ms (`RunColumns.overhead`): NaN when either side is unknown. */
function overheadOf(f: HandlerRunFact): number {
  const handlerMs = f.beatLongestHandlerMs;
  const beatMs = f.beatDurationMs;
  return handlerMs === null || beatMs === null ? Number.NaN : round2(Math.max(0, beatMs - handlerMs));
}
