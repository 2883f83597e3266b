/**
 * The heatmap and coverage's input for a whole store: its handler-run facts streamed through one
 * `HandlerRunAggregator`, so `analyze` never holds the store's handler runs (see handler-aggregate.ts).
 */
import type { CodeIndex } from '../model/code-index.js';
import type { Session } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { HandlerRunAggregator, type HandlerRunCount } from './handler-aggregate.js';
import type { HandlerPerformanceOptions, HandlerPerformanceReport } from './handler-performance-types.js';
import { ActiveTimeAxis } from './heatmap-matrix.js';

/** What the heatmap and coverage need of a whole store, aggregated from its handler-run facts. */
export interface StoreAggregates {
  readonly heatmap: HandlerPerformanceReport;
  readonly handlerRunCounts: readonly HandlerRunCount[];
  /** Beat runs in the store (coverage notes logs with beats but no handler lines). */
  readonly beatRuns: number;
}

/**
 * Streams the store's handler-run facts through one aggregator. `sessions`: all of the store's (they set the
 * heatmap's time axis); when none carries times, a first pass finds the handler runs' time range instead.
 */
export async function aggregateStore(
  store: Pick<TelemetryStore, 'handlerRunFacts'>,
  sessions: readonly Session[],
  beatRuns: number,
  code?: CodeIndex,
  options: HandlerPerformanceOptions = {},
): Promise<StoreAggregates> {
  let range: [number, number] | undefined;
  if (!sessions.some((s) => s.startMs !== null && s.endMs !== null)) {
    await store.handlerRunFacts((batch) => {
      for (const f of batch) {
        const t = f.settledMs ?? f.beatStartMs;
        if (t === null) continue;
        range = range === undefined ? [t, t] : [Math.min(range[0], t), Math.max(range[1], t)];
      }
    });
  }
  const axis = ActiveTimeAxis.over(sessions, () => range);
  const aggregator = new HandlerRunAggregator(axis, options.buckets ?? 24);
  await store.handlerRunFacts((batch) => aggregator.add(batch));
  return {
    heatmap: aggregator.report(sessions, code, options),
    handlerRunCounts: aggregator.handlerRunCounts(),
    beatRuns,
  };
}
