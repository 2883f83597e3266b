/**
 * Handler performance for the heatmap report. Three different times are kept apart (LOG_FORMATS §7):
 * handler time (a handler run's `durationMs`: beat start → the handler's settle line, or an EventBus timing),
 * beat time (the conductor's beat duration, which includes orchestration) and overhead (beat time minus the
 * handler time it contains). Async handlers that settle after their beat completed have a handler time but no
 * overhead: the beat did not wait for them.
 */
import type { CodeIndex } from '../model/code-index.js';
import { compareStrings, groupBy, round2, round4 } from './collections.js';
import { HandlerDefinitions, handlerKey } from './handler-lookup.js';
import type {
  HandlerPerformance,
  HandlerPerformanceOptions,
  HandlerPerformanceReport,
  SequenceHandlerPerformance,
} from './handler-performance-types.js';
import { beatOverheads, bySlowest, countSources, handlerTimes, sequenceOf } from './handler-times.js';
import { buildHeatmapMatrix } from './heatmap-matrix.js';
import type { TraceData } from './trace-data.js';

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
  const beats = new Map(data.beats.map((b) => [b.id, b]));
  const runs = new Map(data.runs.map((r) => [r.id, r]));
  const overheadOf = beatOverheads(data.handlerRuns, beats);
  const defs = new HandlerDefinitions(code);

  const byHandler = groupBy(data.handlerRuns, (h) => handlerKey(h.handler, h.pluginId));
  const awaited = data.handlerRuns.filter((h) => !h.settledAfterBeat && h.durationMs !== null);
  const allHandlerTime = awaited.reduce((sum, h) => sum + h.durationMs!, 0);
  const handlers = [...byHandler.values()]
    .map((group): HandlerPerformance => {
      const { handler: name, pluginId: plugin } = group[0]!;
      const times = handlerTimes(group, beats, overheadOf);
      const def = defs.find(name, plugin);
      return {
        name,
        plugin,
        ...times,
        totalTime: times.timing.total,
        share: allHandlerTime > 0 ? round4(times.timing.total / allHandlerTime) : 0,
        sourceFile: def?.location?.file ?? null,
        sourceLine: def?.location?.line ?? null,
        sequences: [...new Set(group.map((h) => sequenceOf(h, runs).name))].sort(compareStrings),
      };
    })
    .sort(bySlowest);

  const bySequence = [
    ...groupBy(
      data.handlerRuns,
      (h) => `${sequenceOf(h, runs).name}\u0000${handlerKey(h.handler, h.pluginId)}`,
    ).values(),
  ]
    .map((group): SequenceHandlerPerformance => {
      const seq = sequenceOf(group[0]!, runs);
      return {
        sequence: seq.name,
        sequenceId: seq.id,
        name: group[0]!.handler,
        plugin: group[0]!.pluginId,
        ...handlerTimes(group, beats, overheadOf),
      };
    })
    .sort((a, b) => compareStrings(a.sequence, b.sequence) || bySlowest(a, b));

  const timed = handlers.filter((h) => h.timing.p95 !== null); // already slowest first
  const slowest = timed
    .slice(0, options.top ?? 10)
    .map((h) => ({ name: h.name, plugin: h.plugin, p95: h.timing.p95!, executions: h.executions }));
  const fastest = timed.at(-1);
  const withHandlers = [...new Set(data.handlerRuns.map((h) => h.beatRunId).filter((id) => id !== null))]
    .map((id) => beats.get(id))
    .filter((b) => b !== undefined);
  const known = withHandlers.filter((b) => overheadOf.get(b.id) != null);
  const overheadTime = known.reduce((sum, b) => sum + overheadOf.get(b.id)!, 0);
  const knownBeatTime = known.reduce((sum, b) => sum + b.durationMs!, 0);
  const untimed = data.handlerRuns.filter((h) => h.durationMs === null).length;
  const late = data.handlerRuns.filter((h) => h.settledAfterBeat && h.durationMs !== null).length;
  const notes: string[] = [];
  if (untimed > 0)
    notes.push(`${untimed} handler execution(s) had no timestamps: counted in executions, not in timing`);
  if (late > 0) {
    notes.push(
      `${late} handler execution(s) settled after their beat completed (async): their times are upper bounds, in settleTiming, not in timing`,
    );
  }
  if (!code) notes.push('no code index: sourceFile/sourceLine are null (pass --code)');

  return {
    unit: 'ms',
    measures,
    handlers,
    bySequence,
    slowest,
    matrix: buildHeatmapMatrix(data, handlers, options.buckets ?? 24),
    summary: {
      totalHandlers: handlers.length,
      totalExecutions: data.handlerRuns.length,
      timedExecutions: awaited.length,
      asyncExecutions: late,
      untimedExecutions: untimed,
      totalTime: round2(allHandlerTime),
      slowestHandler: timed[0]?.name ?? null,
      slowestHandlerPlugin: timed[0]?.plugin ?? null,
      fastestHandler: fastest?.name ?? null,
      fastestHandlerPlugin: fastest?.plugin ?? null,
      beatsWithHandlers: withHandlers.length,
      beatTime: round2(withHandlers.reduce((sum, b) => sum + (b.durationMs ?? 0), 0)),
      overheadTime: round2(overheadTime),
      overheadShare: knownBeatTime > 0 ? round4(overheadTime / knownBeatTime) : null,
      durationSources: {
        handler: countSources(data.handlerRuns.map((h) => h.durationSource)),
        beat: countSources(withHandlers.map((b) => b.durationSource)),
      },
    },
    codeIndex: code !== undefined,
    notes,
  };
}
