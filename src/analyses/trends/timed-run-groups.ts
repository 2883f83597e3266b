/**
 * Timed handler runs grouped the way trends tests them — per handler and per sequence × handler, then per session
 * (its rank by start time) — filled run by run, so a store's runs can stream through (`aggregateStore`) as well as
 * come from trace data. Each run is one row of typed columns (its two series, session and time: row-columns.ts),
 * no run objects; the groups' lists are made from the rows once, when read.
 */
import type { Session } from '../../model/index.js';
import { gather, groupPositions, groupRows } from '../../model/position-groups.js';
import { sequenceLabel } from '../../model/unknown-names.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import { RowColumns } from '../row-columns.js';
import { byStartTime } from '../trace-data.js';

/** Label of a handler run whose plugin the log did not name (as in baselines). */
export const UNKNOWN_PLUGIN = '(unknown plugin)';

/** One timed handler run, as trends reads it. */
export interface TimedRun {
  readonly sessionId: string;
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string;
  /** ms. */
  readonly durationMs: number;
}

export interface SeriesKey {
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string | null;
}

export interface Group {
  readonly key: SeriesKey;
  /** The ranks of the sessions it ran in, ascending. */
  readonly sessions: readonly number[];
  /**
   * Its run times, ms, by session: `sessions[k]`'s are `times[bounds[k] .. bounds[k + 1])`, in arrival order.
   * Length of `bounds`: sessions + 1.
   */
  readonly times: Float64Array;
  readonly bounds: readonly number[];
}

/** A run's row: the handler's series, the sequence × handler series, the session's rank and the time, ms. */
const RUN_COLUMNS = { handlerSeries: Int32Array, sequenceSeries: Int32Array, session: Int32Array, ms: Float64Array };

export class TimedRunGroups {
  /** Sessions with a start time, by it. */
  readonly ordered: readonly Session[];
  /** All sessions given, with a start time or not. */
  readonly sessionCount: number;
  runs = 0;
  private readonly rank: ReadonlyMap<string, number>;
  /** Series keys by number, in first-seen order (a handler's own series before its first sequence's). */
  private readonly series: SeriesKey[] = [];
  /**
   * Series numbers by plugin, handler and sequence (null: the handler's own series), so a run finds its two series
   * without building their string keys (two per timed run, most of this class's time on a large store).
   */
  private readonly lookup = new Map<string, Map<string, Map<string | null, number>>>();
  private readonly rows: RowColumns<typeof RUN_COLUMNS>;
  private grouped?: Map<string, Group>;
  private lastSessionId: string | undefined;
  private lastRank: number | undefined;

  /** `expected`: about how many runs will be added (a store's handler runs), when known. */
  constructor(sessions: readonly Session[], expected = 0) {
    this.ordered = sessions.filter((s) => s.startMs !== null).sort(byStartTime);
    this.sessionCount = sessions.length;
    this.rank = new Map(this.ordered.map((s, i) => [s.id, i]));
    this.rows = new RowColumns(RUN_COLUMNS, expected);
  }

  add(r: TimedRun): void {
    this.addTimed(r.sessionId, r.plugin, r.handler, r.sequence, r.durationMs);
  }

  /** A batch of the store's handler-run facts: the timed ones (a duration, settled within the beat). */
  addFacts(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) {
      if (f.durationMs === null || f.settledAfterBeat) continue;
      this.addTimed(
        f.sessionId,
        f.pluginId ?? UNKNOWN_PLUGIN,
        f.handler,
        sequenceLabel(f.runSequenceName || f.sequenceName),
        f.durationMs,
      );
    }
  }

  /**
   * Every series by key (plugin, handler, sequence), in first-seen order, with its times per session rank: made
   * from the rows when read, kept until the next run is added.
   */
  get groups(): ReadonlyMap<string, Group> {
    this.grouped ??= this.group();
    return this.grouped;
  }

  /** `add` without a TimedRun object per run; a session's rank is looked up only when the session changes. */
  private addTimed(sessionId: string, plugin: string, handler: string, sequence: string, durationMs: number): void {
    this.runs++;
    this.grouped = undefined;
    if (sessionId !== this.lastSessionId) {
      this.lastSessionId = sessionId;
      this.lastRank = this.rank.get(sessionId);
    }
    const session = this.lastRank;
    if (session === undefined) return;
    // The handler's series and its series in `sequence`: the plugin and handler looked up once.
    let byHandler = this.lookup.get(plugin);
    if (byHandler === undefined) {
      byHandler = new Map();
      this.lookup.set(plugin, byHandler);
    }
    let bySequence = byHandler.get(handler);
    if (bySequence === undefined) {
      bySequence = new Map();
      byHandler.set(handler, bySequence);
    }
    const handlerSeries = this.seriesOf(bySequence, plugin, handler, null);
    const sequenceSeries = this.seriesOf(bySequence, plugin, handler, sequence);
    const i = this.rows.add();
    const c = this.rows.columns;
    c.handlerSeries[i] = handlerSeries;
    c.sequenceSeries[i] = sequenceSeries;
    c.session[i] = session;
    c.ms[i] = durationMs;
  }

  private seriesOf(
    bySequence: Map<string | null, number>,
    plugin: string,
    handler: string,
    sequence: string | null,
  ): number {
    let n = bySequence.get(sequence);
    if (n === undefined) {
      n = this.series.push({ plugin, handler, sequence }) - 1;
      bySequence.set(sequence, n);
    }
    return n;
  }

  /**
   * The groups from the rows, with two stable counting sorts: the rows by session rank, then by series. So each
   * series' rows come by session and, within one, in arrival order, with no list per series and session.
   */
  private group(): Map<string, Group> {
    const { handlerSeries, sequenceSeries, session, ms } = this.rows.rows();
    const bySession = groupPositions(session, this.ordered.length).items;
    const sorted = [handlerSeries, sequenceSeries].map((series) => groupRows(bySession, series, this.series.length));
    // Every series' times in one buffer (each run is in two series), each series' a view of it: a buffer per series
    // is external memory V8 answers with collections.
    const all = new Float64Array(2 * bySession.length);
    let used = 0;
    const out = new Map<string, Group>();
    for (const [n, key] of this.series.entries()) {
      // A handler's own series and a sequence's are never the same number: each series' rows are in one of the two.
      const { offsets, items } = sorted[key.sequence === null ? 0 : 1]!;
      const rows = items.subarray(offsets[n]!, offsets[n + 1]!);
      const times = gather(all.subarray(used, used + rows.length), ms, rows);
      used += rows.length;
      const sessions: number[] = [];
      const bounds: number[] = [];
      for (let j = 0; j < rows.length; j++) {
        const row = rows[j]!;
        if (sessions.length === 0 || session[row] !== sessions[sessions.length - 1]) {
          sessions.push(session[row]!);
          bounds.push(j);
        }
      }
      bounds.push(times.length);
      const sequence = key.sequence;
      out.set(`${key.plugin}\u0000${key.handler}\u0000${sequence ?? ''}\u0000${sequence === null ? 0 : 1}`, {
        key,
        sessions,
        times,
        bounds,
      });
    }
    return out;
  }
}
