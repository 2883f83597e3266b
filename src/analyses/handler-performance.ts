/**
 * Handler performance for the heatmap report. Three different times are kept apart (docs/log-formats.md §7):
 * handler time (a handler run's `durationMs`: beat start → the handler's settle line, or an EventBus timing),
 * beat time (the conductor's beat duration, which includes orchestration) and overhead (beat time minus the
 * handler time it contains). Async handlers that settle after their beat completed have a handler time but no
 * overhead: the beat did not wait for them.
 */
import type { CodeIndex } from '../model/code-index.js';
import { type Groups, groupPositions, largestGroup } from '../model/position-groups.js';
import { sequenceLabel } from '../model/unknown-names.js';
import { compareStrings, round2, round4 } from './collections.js';
import {
  distributionsByRank,
  type HandlerDistribution,
  type SessionRanks,
  sessionRanks,
} from './handler-distributions.js';
import { type DurationSourceCounts, durationSources, emptySourceCounts, HandlerDefinitions } from './handler-lookup.js';
import type {
  HandlerPerformance,
  HandlerPerformanceOptions,
  HandlerPerformanceReport,
  HandlerTimes,
  SequenceHandlerPerformance,
} from './handler-performance-types.js';
import { bySlowest, handlerTimes, type RunColumns, runColumns, sequenceOf, TimesScratch } from './handler-times.js';
import { buildHeatmapMatrix, type HeatmapMatrix } from './heatmap-matrix.js';
import type { TraceData } from './trace-data.js';
import { type HandlerTable, traceIndex } from './trace-index.js';

export const measures = {
  handlerTime:
    'from the beat start to the handler settle line (or an EventBus subscriber timing), for handlers that settled within their beat',
  settleTime:
    'for async handlers that settled after their beat completed: beat start to settle line, an upper bound (awaits, event loop, DataBaton chain)',
  beatTime: 'the conductor-reported beat duration, handler time plus orchestration',
  overhead: 'beat time minus the longest handler time inside it; async handlers settling after the beat are left out',
} as const;

export function analyzeHandlerPerformance(
  data: TraceData,
  code?: CodeIndex,
  options: HandlerPerformanceOptions = {},
): HandlerPerformanceReport {
  const index = traceIndex(data);
  const cols = runColumns(data, index);
  const runs = data.handlerRuns;
  const handlerCount = index.handlers.size;

  // Sequence of each handler run, interned by name; (sequence, handler) pairs numbered in first-seen order.
  const sequenceIds = new Map<string, number>();
  const pairIds = new Map<number, number>();
  const pairs: HeatmapPair[] = [];
  const pairOfRun = new Int32Array(runs.length);
  for (let i = 0; i < runs.length; i++) {
    const r = index.runOfHandlerRun[i]!;
    // sequenceOf(...).name, without an object per run.
    const name = sequenceLabel((r < 0 ? undefined : data.runs[r])?.sequenceName || runs[i]!.sequenceName);
    let seq = sequenceIds.get(name);
    if (seq === undefined) {
      seq = sequenceIds.size;
      sequenceIds.set(name, seq);
    }
    const key = seq * handlerCount + index.handlerOfRun[i]!;
    let pair = pairIds.get(key);
    if (pair === undefined) {
      // The pair's first run names it.
      const h = runs[i]!;
      const { name: sequence, id: sequenceId } = sequenceOf(h, r < 0 ? undefined : data.runs[r]);
      pair = pairs.length;
      pairs.push({ sequence, sequenceId, name: h.handler, plugin: h.pluginId, handler: index.handlerOfRun[i]! });
      pairIds.set(key, pair);
    }
    pairOfRun[i] = pair;
  }

  const totals = runTotals(cols);
  const { handlers, bySequence } = heatmapRows(
    {
      cols,
      handlerOfRun: index.handlerOfRun,
      handlers: index.handlers,
      pairOfRun,
      pairs,
      sessions: sessionRanks(data, index),
    },
    totals.handlerTime,
    code,
  );
  return heatmapReport({
    handlers,
    bySequence,
    matrix: buildHeatmapMatrix(data, handlers, options.buckets ?? 24, cols),
    totals: { ...totals, beats: beatsWithHandlers(data, cols) },
    code,
    options,
  });
}

/** A (sequence, handler) pair of the heatmap's `bySequence`, named as its first run names it. */
export interface HeatmapPair {
  readonly sequence: string;
  readonly sequenceId: string | null;
  readonly name: string;
  readonly plugin: string | null;
  /** Its handler: an index of `HeatmapRuns.handlers`. */
  readonly handler: number;
}

/** Handler runs as columns, with the groups the heatmap's rows are made of: from trace data or streamed facts. */
export interface HeatmapRuns {
  readonly cols: RunColumns;
  readonly handlerOfRun: Int32Array;
  /** Handlers by index, each named by its first run (null and '' plugins are one handler). */
  readonly handlers: Pick<HandlerTable, 'names' | 'plugins'>;
  readonly pairOfRun: Int32Array;
  readonly pairs: readonly HeatmapPair[];
  readonly sessions: SessionRanks;
}

/**
 * The heatmap's handler rows (slowest first) and sequence × handler rows (by sequence, then slowest), each group's
 * runs counting-sorted in arrival order. Both paths compute them here: `analyzeHandlerPerformance` and the streamed
 * aggregator (handler-aggregate.ts).
 */
export function heatmapRows(
  runs: HeatmapRuns,
  allHandlerTime: number,
  code: CodeIndex | undefined,
): { handlers: HandlerPerformance[]; bySequence: SequenceHandlerPerformance[] } {
  const { cols, pairs } = runs;
  const names = runs.handlers.names;
  const byHandler = groupPositions(runs.handlerOfRun, names.length);
  const byPair = groupPositions(runs.pairOfRun, pairs.length);
  const scratch = new TimesScratch(Math.max(largestGroup(byHandler), largestGroup(byPair)));
  const timesOf = (g: Groups, k: number) => handlerTimes(cols, g.items, g.offsets[k]!, g.offsets[k + 1]!, scratch);

  const sequencesOf: string[][] = names.map(() => []);
  for (const pair of pairs) sequencesOf[pair.handler]!.push(pair.sequence);
  const bySequence = pairs
    .map(
      (p, k): SequenceHandlerPerformance => ({
        sequence: p.sequence,
        sequenceId: p.sequenceId,
        name: p.name,
        plugin: p.plugin,
        ...timesOf(byPair, k),
      }),
    )
    .sort((a, b) => compareStrings(a.sequence, b.sequence) || bySlowest(a, b));
  const distributions = distributionsByRank(cols, runs.handlerOfRun, runs.sessions, byHandler);
  const defs = new HandlerDefinitions(code);
  const handlers = names
    .map(
      (name, k): HandlerPerformance =>
        handlerRow(name, runs.handlers.plugins[k]!, timesOf(byHandler, k), {
          allHandlerTime,
          defs,
          sequences: sequencesOf[k]!,
          distribution: distributions[k]!,
        }),
    )
    .sort(bySlowest);
  return { handlers, bySequence };
}

/** The heatmap's run counts and summed handler time over every handler run (`cols` rows), in row order. */
export function runTotals(cols: Pick<RunColumns, 'duration' | 'late' | 'source'>): Omit<HeatmapTotals, 'beats'> {
  let handlerTime = 0;
  let timed = 0;
  let late = 0;
  let untimed = 0;
  for (let i = 0; i < cols.duration.length; i++) {
    const d = cols.duration[i]!;
    if (Number.isNaN(d)) untimed++;
    else if (cols.late[i] === 1) late++;
    else {
      handlerTime += d;
      timed++;
    }
  }
  const executions = cols.duration.length;
  return { executions, timed, late, untimed, handlerTime, runSources: countRunSources(cols.source) };
}

/** What the heatmap's summary counts over every handler run, from either path. */
export interface HeatmapTotals {
  readonly executions: number;
  /** Awaited runs with a duration (in `timing`). */
  readonly timed: number;
  /** Runs that settled after their beat (async; in `settleTiming`). */
  readonly late: number;
  /** Runs without a duration. */
  readonly untimed: number;
  /** Sum of the awaited handler times, ms. */
  readonly handlerTime: number;
  /** Beats with at least one handler run: count, summed beat and overhead time (ms), where beats were timed. */
  readonly beats: {
    readonly count: number;
    readonly beatTime: number;
    readonly overheadTime: number;
    /** Summed time of the beats whose overhead is known, ms (the `overheadShare` denominator). */
    readonly knownBeatTime: number;
    readonly sources: DurationSourceCounts;
  };
  readonly runSources: DurationSourceCounts;
}

/**
 * The heatmap report from its parts: the slowest list, the summary and the notes. Both the trace-data path above
 * and the streamed path (handler-aggregate.ts) end here. `handlers` are slowest first (bySlowest).
 */
export function heatmapReport(parts: {
  readonly handlers: HandlerPerformance[];
  readonly bySequence: SequenceHandlerPerformance[];
  readonly matrix: HeatmapMatrix;
  readonly totals: HeatmapTotals;
  readonly code: CodeIndex | undefined;
  readonly options: HandlerPerformanceOptions;
}): HandlerPerformanceReport {
  const { handlers, totals, code } = parts;
  const timed = handlers.filter((h) => h.timing.p95 !== null); // already slowest first
  const slowest = timed
    .slice(0, parts.options.top ?? 10)
    .map((h) => ({ name: h.name, plugin: h.plugin, p95: h.timing.p95!, executions: h.executions }));
  const fastest = timed.at(-1);
  const notes: string[] = [];
  if (totals.untimed > 0)
    notes.push(`${totals.untimed} handler execution(s) had no timestamps: counted in executions, not in timing`);
  if (totals.late > 0) {
    notes.push(
      `${totals.late} handler execution(s) settled after their beat completed (async): their times are upper bounds, in settleTiming, not in timing`,
    );
  }
  if (!code) notes.push('no code index: sourceFile/sourceLine are null (pass --code)');
  const { beats } = totals;
  return {
    unit: 'ms',
    measures,
    handlers,
    bySequence: parts.bySequence,
    slowest,
    matrix: parts.matrix,
    summary: {
      totalHandlers: handlers.length,
      totalExecutions: totals.executions,
      timedExecutions: totals.timed,
      asyncExecutions: totals.late,
      untimedExecutions: totals.untimed,
      totalTime: round2(totals.handlerTime),
      slowestHandler: timed[0]?.name ?? null,
      slowestHandlerPlugin: timed[0]?.plugin ?? null,
      fastestHandler: fastest?.name ?? null,
      fastestHandlerPlugin: fastest?.plugin ?? null,
      beatsWithHandlers: beats.count,
      beatTime: round2(beats.beatTime),
      overheadTime: round2(beats.overheadTime),
      overheadShare: beats.knownBeatTime > 0 ? round4(beats.overheadTime / beats.knownBeatTime) : null,
      durationSources: { handler: totals.runSources, beat: beats.sources },
    },
    codeIndex: code !== undefined,
    notes,
  };
}

function countRunSources(source: Uint8Array): DurationSourceCounts {
  const counts = emptySourceCounts();
  for (let i = 0; i < source.length; i++) counts[durationSources[source[i]!]!]++;
  return counts;
}

/**
 * The beats that ran at least one handler, each once in the order their first handler run appears in the log
 * (sums run in that order, as they always have, so totals are bit-identical), with their beat time and the
 * overhead part of it, ms.
 */
function beatsWithHandlers(data: TraceData, cols: RunColumns) {
  const seen = new Uint8Array(data.beats.length);
  const sources = emptySourceCounts();
  let count = 0;
  let beatTime = 0;
  let overheadTime = 0;
  let knownBeatTime = 0;
  for (let i = 0; i < cols.beat.length; i++) {
    const b = cols.beat[i]!;
    if (b < 0 || seen[b] === 1) continue;
    seen[b] = 1;
    count++;
    sources[durationSources[cols.beatSource[b]!]!]++;
    const beatMs = cols.beatDuration[b]!;
    if (!Number.isNaN(beatMs)) beatTime += beatMs;
    if (!Number.isNaN(cols.overhead[b]!)) {
      overheadTime += cols.overhead[b]!;
      knownBeatTime += beatMs;
    }
  }
  return { count, beatTime, overheadTime, knownBeatTime, sources };
}

/**
 * The report's handlers (slowest first) split by what timed them: handler time, settle time only (async), or
 * nothing (no settle line; ranked by their beats' time). A handler with both timed and async runs is in both
 * of the first two.
 */
export function handlersByTiming(handlers: readonly HandlerPerformance[]): {
  timed: HandlerPerformance[];
  asyncOnly: HandlerPerformance[];
  untimed: HandlerPerformance[];
} {
  return {
    timed: handlers.filter((h) => h.timing.count > 0),
    asyncOnly: handlers.filter((h) => h.settleTiming.count > 0),
    untimed: handlers.filter((h) => h.timing.count === 0 && h.settleTiming.count === 0),
  };
}

/**
 * One handler's heatmap row from its times and distribution: the trace-data path above and the streamed path
 * (handler-aggregate.ts) both build it here, so its fields and their order cannot drift apart.
 */
export function handlerRow(
  name: string,
  plugin: string | null,
  times: HandlerTimes,
  context: {
    /** Sum of every awaited handler time of the report, ms (the `share` denominator). */
    readonly allHandlerTime: number;
    readonly defs: HandlerDefinitions;
    /** Sequences the handler ran in; sorted here. */
    readonly sequences: string[];
    readonly distribution: HandlerDistribution;
  },
): HandlerPerformance {
  const def = context.defs.find(name, plugin);
  const all = context.allHandlerTime;
  return {
    name,
    plugin,
    ...times,
    totalTime: times.timing.total,
    share: all > 0 ? round4(times.timing.total / all) : 0,
    sourceFile: def?.location?.file ?? null,
    sourceLine: def?.location?.line ?? null,
    sequences: context.sequences.sort(compareStrings),
    histogram: context.distribution.histogram,
    p95BySession: context.distribution.p95BySession,
  };
}
