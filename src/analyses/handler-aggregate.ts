/**
 * The heatmap report and coverage's execution counts from handler-run facts streamed out of a store
 * (`TelemetryStore.handlerRunFacts`), a batch at a time: what `analyzeHandlerPerformance` computes from a whole
 * TraceData, without holding every handler run, beat and sequence run. Per group (handler, sequence × handler,
 * matrix cell) it keeps counts and the durations its percentiles need (exact order statistics need every value:
 * 8 bytes per value, about 10 values per handler run), never the runs themselves; cells keep their first
 * CELL_ID_CAP run ids. Sums run in the same order as the TraceData path, so every number is bit-identical
 * (a test compares both paths field by field).
 */
import type { CodeIndex } from '../model/code-index.js';
import type { Session } from '../model/index.js';
import type { HandlerRunFact } from '../store/handler-run-facts.js';
import { compareStrings, round2 } from './collections.js';
import { sessionP95 } from './handler-distributions.js';
import { Cell, GroupTimes, SessionTimes, ValueArena } from './handler-group-times.js';
import { emptySourceCounts, HandlerDefinitions } from './handler-lookup.js';
import { handlerRow, heatmapReport } from './handler-performance.js';
import type {
  HandlerPerformance,
  HandlerPerformanceOptions,
  HandlerPerformanceReport,
  SequenceHandlerPerformance,
} from './handler-performance-types.js';
import { bySlowest } from './handler-times.js';
import {
  ActiveTimeAxis,
  bucketOf,
  bucketsOf,
  bucketWidth,
  CELL_ID_CAP,
  type HeatmapCell,
  type HeatmapMatrix,
  type HeatmapRow,
  p95Of,
} from './heatmap-matrix.js';
import { latencyHistogram } from './latency-histogram.js';
import { PendingPlaces } from './pending-places.js';
import { roundMs } from './percentile.js';
import { byStartTime, UNKNOWN_SEQUENCE } from './trace-data.js';
import { HandlerTable } from './trace-index.js';

interface Pair {
  readonly sequence: string;
  readonly sequenceId: string | null;
  readonly name: string;
  readonly plugin: string | null;
  readonly handler: number;
  readonly times: GroupTimes;
}

interface RunCount {
  readonly handler: string;
  readonly pluginId: string | null;
  n: number;
  errors: number;
}

/** Executions and errors of one (plugin, handler) as the log names it, in first-seen order. */
export interface HandlerRunCount {
  readonly handler: string;
  readonly pluginId: string | null;
  readonly executions: number;
  readonly errors: number;
}

/** The beat's overhead, ms (handler-times.ts `RunColumns.overhead`): NaN when either side is unknown. */
function overheadOf(f: HandlerRunFact): number {
  const handlerMs = f.beatLongestHandlerMs;
  const beatMs = f.beatDurationMs;
  return handlerMs === null || beatMs === null ? Number.NaN : round2(Math.max(0, beatMs - handlerMs));
}

/** `HandlerRunAggregator`'s axis when it spans the runs' own times (see its constructor). */
export const AXIS_FROM_RUNS = Symbol('axis from the runs');

export class HandlerRunAggregator {
  private readonly handlers = new HandlerTable();
  /** Every duration the groups below keep. */
  private readonly arena = new ValueArena();
  private readonly byHandler: GroupTimes[] = [];
  /** Per handler (same index as byHandler): its runs per session (index in `sessionIndex`). */
  private readonly bySession: (SessionTimes | undefined)[][] = [];
  /**
   * Session ids in first-seen order. Runs come session by session and run by run, so the last session and sequence
   * looked up are kept: most runs then skip those two map lookups.
   */
  private readonly sessionIndex = new Map<string, number>();
  private lastSession: string | undefined;
  private lastSessionIndex = 0;
  private readonly sequences = new Map<string, Map<number, Pair>>();
  private lastSequence: string | undefined;
  private lastOfSequence: Map<number, Pair> | undefined;
  private readonly pairs: Pair[] = [];
  private readonly cells = new Map<number, Cell>();
  /** By `2 * handler + (plugin null ? 0 : 1)`, and in first-seen order. */
  private readonly countAt: (RunCount | undefined)[] = [];
  private readonly counts: RunCount[] = [];
  private width: number;
  /** With `AXIS_FROM_RUNS`, until `placePending`: the runs with a time, to place once the axis is known. */
  private pending: PendingPlaces | undefined;
  private axis: ActiveTimeAxis | undefined;
  private allHandlerTime = 0;
  private timedCount = 0;
  private untimed = 0;
  private lateCount = 0;
  private total = 0;
  private unplaced = 0;
  private readonly runSources = emptySourceCounts();
  private readonly beatSources = emptySourceCounts();
  private beatCount = 0;
  private beatTime = 0;
  private overheadTime = 0;
  private knownBeatTime = 0;

  /**
   * `axis`: the heatmap's time axis (undefined when nothing is timed), or `AXIS_FROM_RUNS` when no session carries
   * both times, so the axis spans the runs' own: then call `placePending` once every run is added. `bucketCount`:
   * its column count.
   */
  constructor(
    axis: ActiveTimeAxis | undefined | typeof AXIS_FROM_RUNS,
    private readonly bucketCount: number,
  ) {
    if (axis === AXIS_FROM_RUNS) {
      this.axis = undefined;
      this.width = 0;
      this.pending = bucketCount < 1 ? undefined : new PendingPlaces();
    } else {
      this.axis = axis;
      this.width = axis === undefined || bucketCount < 1 ? 0 : bucketWidth(axis, bucketCount);
    }
  }

  /**
   * With `AXIS_FROM_RUNS`: the axis over the added runs' time range (`ActiveTimeAxis.over(sessions, range)`), and
   * every timed run placed in its cell, in the order added.
   */
  placePending(sessions: readonly Session[]): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    const axis = ActiveTimeAxis.over(sessions, () => pending.range());
    if (axis === undefined) return;
    this.axis = axis;
    this.width = bucketWidth(axis, this.bucketCount);
    pending.forEach((p) => {
      this.placeAt(p.handler, p.t, p.id, p.durationMs, p.settledAfterBeat);
    });
  }

  add(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) this.addOne(f);
  }

  private addOne(f: HandlerRunFact): void {
    this.total++;
    const overhead = overheadOf(f);
    const h = this.handlers.intern(f.pluginId, f.handler);
    if (h === this.byHandler.length) {
      this.byHandler.push(new GroupTimes(this.arena));
      this.bySession.push([]);
    }
    this.byHandler[h]!.add(f, overhead);
    if (f.sessionId !== this.lastSession) {
      let index = this.sessionIndex.get(f.sessionId);
      if (index === undefined) {
        index = this.sessionIndex.size;
        this.sessionIndex.set(f.sessionId, index);
      }
      this.lastSession = f.sessionId;
      this.lastSessionIndex = index;
    }
    const sessionRuns = this.bySession[h]!;
    let inSession = sessionRuns[this.lastSessionIndex];
    if (inSession === undefined) {
      inSession = new SessionTimes(this.arena);
      sessionRuns[this.lastSessionIndex] = inSession;
    }
    inSession.executions++;
    if (!f.settledAfterBeat && f.durationMs !== null) inSession.timed.push(f.durationMs);

    const sequence = f.runSequenceName || f.sequenceName || UNKNOWN_SEQUENCE;
    let ofSequence = sequence === this.lastSequence ? this.lastOfSequence : this.sequences.get(sequence);
    if (ofSequence === undefined) {
      ofSequence = new Map();
      this.sequences.set(sequence, ofSequence);
    }
    this.lastSequence = sequence;
    this.lastOfSequence = ofSequence;
    let pair = ofSequence.get(h);
    if (pair === undefined) {
      pair = {
        sequence,
        sequenceId: f.runSequenceId,
        name: f.handler,
        plugin: f.pluginId,
        handler: h,
        times: new GroupTimes(this.arena),
      };
      ofSequence.set(h, pair);
      this.pairs.push(pair);
    }
    pair.times.add(f, overhead);

    const d = f.durationMs;
    if (d === null) this.untimed++;
    else if (f.settledAfterBeat) this.lateCount++;
    else {
      this.allHandlerTime += d;
      this.timedCount++;
    }
    this.runSources[f.durationSource]++;
    if (f.firstOfBeat) {
      this.beatCount++;
      this.beatSources[f.beatDurationSource!]++;
      const beatMs = f.beatDurationMs;
      if (beatMs !== null) this.beatTime += beatMs;
      if (!Number.isNaN(overhead)) {
        this.overheadTime += overhead;
        this.knownBeatTime += beatMs!;
      }
    }

    // The interned handler with whether the plugin was null: a null and an empty plugin count apart, as logged.
    const key = 2 * h + (f.pluginId === null ? 0 : 1);
    const count = this.countAt[key];
    if (count === undefined) {
      const first = { handler: f.handler, pluginId: f.pluginId, n: 1, errors: f.status === 'error' ? 1 : 0 };
      this.countAt[key] = first;
      this.counts.push(first);
    } else {
      count.n++;
      if (f.status === 'error') count.errors++;
    }

    this.place(f, h);
  }

  private place(f: HandlerRunFact, h: number): void {
    const t = f.settledMs ?? f.beatStartMs;
    if (t === null) {
      this.unplaced++;
      return;
    }
    if (this.pending !== undefined) this.pending.add(h, t, f.id, f.durationMs, f.settledAfterBeat);
    else this.placeAt(h, t, f.id, f.durationMs, f.settledAfterBeat);
  }

  private placeAt(h: number, t: number, id: string, durationMs: number | null, settledAfterBeat: boolean): void {
    if (this.axis === undefined || this.bucketCount < 1) return;
    const key = h * this.bucketCount + bucketOf(this.axis, this.width, this.bucketCount, t);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = new Cell(this.arena);
      this.cells.set(key, cell);
    }
    cell.executions++;
    if (cell.ids.length < CELL_ID_CAP) cell.ids.push(id);
    if (durationMs === null) return;
    if (settledAfterBeat) cell.settle.push(durationMs);
    else cell.timed.push(durationMs);
  }

  /** Coverage's input: executions and errors per (plugin, handler) as logged, in first-seen order. */
  handlerRunCounts(): HandlerRunCount[] {
    return this.counts.map((c) => ({
      handler: c.handler,
      pluginId: c.pluginId,
      executions: c.n,
      errors: c.errors,
    }));
  }

  /** The heatmap report, as `analyzeHandlerPerformance` builds it from the same handler runs. */
  report(
    sessions: readonly Session[],
    code?: CodeIndex,
    options: HandlerPerformanceOptions = {},
  ): HandlerPerformanceReport {
    const defs = new HandlerDefinitions(code);
    const sequencesOf: string[][] = this.byHandler.map(() => []);
    for (const pair of this.pairs) sequencesOf[pair.handler]!.push(pair.sequence);
    const bySequence = this.pairs
      .map(
        (p): SequenceHandlerPerformance => ({
          sequence: p.sequence,
          sequenceId: p.sequenceId,
          name: p.name,
          plugin: p.plugin,
          ...p.times.times(),
        }),
      )
      .sort((a, b) => compareStrings(a.sequence, b.sequence) || bySlowest(a, b));
    const all = this.allHandlerTime;
    // Sessions in start-time order, as handlerDistributions orders them; runs of a session not listed are left out.
    const sessionOrder = [...sessions].sort(byStartTime);
    const handlers = this.byHandler
      .map((group, k): HandlerPerformance => {
        const name = this.handlers.names[k]!;
        const plugin = this.handlers.plugins[k]!;
        const histogram = latencyHistogram(group.timed.view());
        const runsBySession = this.bySession[k]!;
        const p95BySession = sessionOrder.flatMap((session) => {
          const index = this.sessionIndex.get(session.id);
          const own = index === undefined ? undefined : runsBySession[index];
          return own === undefined ? [] : [sessionP95(session, own.executions, own.timed.view())];
        });
        return handlerRow(name, plugin, group.times(), {
          allHandlerTime: all,
          defs,
          sequences: sequencesOf[k]!,
          distribution: { histogram, p95BySession },
        });
      })
      .sort(bySlowest);

    return heatmapReport({
      handlers,
      bySequence,
      matrix: this.matrix(handlers, sessions),
      totals: {
        executions: this.total,
        timed: this.timedCount,
        late: this.lateCount,
        untimed: this.untimed,
        handlerTime: all,
        beats: {
          count: this.beatCount,
          beatTime: this.beatTime,
          overheadTime: this.overheadTime,
          knownBeatTime: this.knownBeatTime,
          sources: this.beatSources,
        },
        runSources: this.runSources,
      },
      code,
      options,
    });
  }

  private matrix(
    order: readonly { readonly name: string; readonly plugin: string | null }[],
    sessions: readonly Session[],
  ): HeatmapMatrix {
    const axis = this.axis;
    const unplacedExecutions = this.unplaced;
    const n = this.bucketCount;
    if (axis === undefined || n < 1) {
      const empty = { bucketWidthMs: 0, buckets: [], maxP95: null, unplacedExecutions };
      return { startMs: null, endMs: null, ...empty, rows: order.map((h) => ({ ...h, cells: [] })) };
    }
    let maxP95: number | null = null;
    const cellAt = (key: number): HeatmapCell | null => {
      const cell = this.cells.get(key);
      if (cell === undefined) return null;
      const p95 = p95Of(cell.timed.view());
      if (p95 !== null) maxP95 = Math.max(maxP95 ?? 0, p95);
      return {
        executions: cell.executions,
        timedExecutions: cell.timed.length,
        p95,
        settleP95: p95Of(cell.settle.view()),
        executionIds: cell.ids,
        truncated: cell.executions > CELL_ID_CAP,
      };
    };
    const rows = order.map(({ name, plugin }): HeatmapRow => {
      const h = this.handlers.find(plugin, name);
      const cells = Array.from({ length: n }, (_, col) => (h === undefined ? null : cellAt(h * n + col)));
      return { name, plugin, cells };
    });
    return {
      startMs: axis.startMs,
      endMs: axis.endMs,
      bucketWidthMs: this.width,
      buckets: bucketsOf(axis, this.width, n, sessions),
      rows,
      maxP95: maxP95 === null ? null : roundMs(maxP95),
      unplacedExecutions,
    };
  }
}
