/**
 * The heatmap report and coverage's execution counts from handler-run facts streamed out of a store
 * (`TelemetryStore.handlerRunFacts`), a batch at a time: what `analyzeHandlerPerformance` computes from a whole
 * TraceData, without holding every handler run, beat and sequence run. Each run becomes one row of numbers
 * (fact-columns.ts: its time, duration, beat duration, overhead, sources and groups), never an object; the report
 * then groups the rows and computes every statistic with the trace-data path's own code (`heatmapRows`,
 * `matrixOfRuns`, `runTotals`), rows in arrival order, so every number is bit-identical (a test compares both
 * paths field by field).
 */
import type { CodeIndex } from '../model/code-index.js';
import type { Session } from '../model/index.js';
import type { HandlerRunFact } from '../store/handler-run-facts.js';
import { FactColumns } from './fact-columns.js';
import { emptySourceCounts } from './handler-lookup.js';
import { type HeatmapPair, heatmapReport, heatmapRows, runTotals } from './handler-performance.js';
import type { HandlerPerformanceOptions, HandlerPerformanceReport } from './handler-performance-types.js';
import { ActiveTimeAxis, matrixOfRuns } from './heatmap-matrix.js';
import { byStartTime, UNKNOWN_SEQUENCE } from './trace-data.js';
import { HandlerTable } from './trace-index.js';

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

export class HandlerRunAggregator {
  private readonly handlers = new HandlerTable();
  /** One row per run added. */
  private readonly rows: FactColumns;
  /**
   * Session ids in first-seen order. Runs come session by session and run by run, so the last session and sequence
   * looked up are kept: most runs then skip those two map lookups.
   */
  private readonly sessionIndex = new Map<string, number>();
  private lastSession: string | undefined;
  private lastSessionIndex = 0;
  /** Sequence → interned handler → pair (index in `pairs`). */
  private readonly sequences = new Map<string, Map<number, number>>();
  private lastSequence: string | undefined;
  private lastOfSequence: Map<number, number> | undefined;
  private readonly pairs: HeatmapPair[] = [];
  /** By `2 * handler + (plugin null ? 0 : 1)`, and in first-seen order. */
  private readonly countAt: (RunCount | undefined)[] = [];
  private readonly counts: RunCount[] = [];
  private readonly beatSources = emptySourceCounts();
  private beatCount = 0;
  private beatTime = 0;
  private overheadTime = 0;
  private knownBeatTime = 0;

  /** `bucketCount`: the heatmap matrix's column count; `expectedRuns`: how many runs will be added, if known. */
  constructor(
    private readonly bucketCount: number,
    expectedRuns = 0,
  ) {
    this.rows = new FactColumns(expectedRuns);
  }

  add(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) this.addOne(f);
  }

  private addOne(f: HandlerRunFact): void {
    const h = this.handlers.intern(f.pluginId, f.handler);
    if (f.sessionId !== this.lastSession) {
      let index = this.sessionIndex.get(f.sessionId);
      if (index === undefined) {
        index = this.sessionIndex.size;
        this.sessionIndex.set(f.sessionId, index);
      }
      this.lastSession = f.sessionId;
      this.lastSessionIndex = index;
    }
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
      pair = this.pairs.length;
      this.pairs.push({ sequence, sequenceId: f.runSequenceId, name: f.handler, plugin: f.pluginId, handler: h });
      ofSequence.set(h, pair);
    }
    const row = this.rows.add(f, h, pair, this.lastSessionIndex);

    if (f.firstOfBeat) {
      this.beatCount++;
      this.beatSources[f.beatDurationSource!]++;
      const beatMs = f.beatDurationMs;
      if (beatMs !== null) this.beatTime += beatMs;
      const overhead = this.rows.overheadAt(row);
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

  /**
   * The heatmap report, as `analyzeHandlerPerformance` builds it from the same handler runs. `sessions` set the
   * matrix's time axis (when none carries both times, the runs' own time range does) and order `p95BySession`.
   */
  report(
    sessions: readonly Session[],
    code?: CodeIndex,
    options: HandlerPerformanceOptions = {},
  ): HandlerPerformanceReport {
    const cols = this.rows.runColumns();
    const groups = this.rows.groups();
    const totals = runTotals(cols);
    // Sessions in start-time order, as trace data's are ranked; runs of a session not listed get rank -1.
    const byRank = [...sessions].sort(byStartTime);
    const rankOfId = new Map(byRank.map((s, rank) => [s.id, rank]));
    const rankOfSession = [...this.sessionIndex.keys()].map((id) => rankOfId.get(id) ?? -1);
    const rankOfRun = new Int32Array(groups.session.length);
    for (let i = 0; i < rankOfRun.length; i++) rankOfRun[i] = rankOfSession[groups.session[i]!]!;
    const { handlers, bySequence } = heatmapRows(
      {
        cols,
        handlerOfRun: groups.handler,
        handlers: this.handlers,
        pairOfRun: groups.pair,
        pairs: this.pairs,
        sessions: { rankOfRun, byRank },
      },
      totals.handlerTime,
      code,
    );

    const ids = this.rows.ids;
    const matrix = matrixOfRuns(
      {
        cols,
        times: groups.time,
        handlerOfRun: groups.handler,
        handlers: this.handlers,
        idOf: (i) => ids[i]!,
        axis: ActiveTimeAxis.of(sessions, groups.time),
        sessions,
      },
      handlers,
      this.bucketCount,
    );
    const beats = {
      count: this.beatCount,
      beatTime: this.beatTime,
      overheadTime: this.overheadTime,
      knownBeatTime: this.knownBeatTime,
      sources: this.beatSources,
    };
    return heatmapReport({ handlers, bySequence, matrix, totals: { ...totals, beats }, code, options });
  }
}
