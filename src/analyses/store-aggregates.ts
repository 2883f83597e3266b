/**
 * The heatmap, flows and coverage's input for a whole store: its handler-run facts streamed through one
 * `HandlerRunAggregator` (handler-aggregate.ts) and its sequence runs, with their beats, movements and errors,
 * through the flow validator, so `analyze` never holds the store's runs.
 */

import type { CodeIndex } from '../model/code-index.js';
import type { StoreSummary } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import type { StoreTimes } from './findings/finding-context.js';
import type { FlowReport } from './flow-types.js';
import { validateStoreFlows } from './flow-validation.js';
import { HandlerEdgeAccumulator, type HandlerEdgeGroup } from './graph/handler-edges.js';
import { HandlerRunAggregator, type HandlerRunCount } from './handler-aggregate.js';
import type { HandlerPerformanceOptions, HandlerPerformanceReport } from './handler-performance-types.js';
import type { TraceData } from './trace-data.js';
import { TimedRunGroups } from './trends/timed-run-groups.js';

/**
 * The heatmap, flows and coverage's input for a whole store: handler-run facts and sequence runs with their
 * parts, streamed out of the store.
 */
export interface StoreAggregates {
  readonly heatmap: HandlerPerformanceReport;
  readonly flows: FlowReport;
  readonly handlerRunCounts: readonly HandlerRunCount[];
  /** The graph's observed `runs` edges over every handler run (graph/handler-edges.ts). */
  readonly handlerEdges: readonly HandlerEdgeGroup[];
  /** Beat runs in the store (coverage notes logs with beats but no handler lines). */
  readonly beatRuns: number;
  /** The timed handler runs grouped per handler, sequence × handler and session: what trends tests. */
  readonly trendRuns: TimedRunGroups;
}

/**
 * Streams the store's handler-run facts through one aggregator and its runs through the flow validator.
 * `data`: the store's sessions (they set the heatmap's time axis; when none carries both times, the handler runs'
 * time range does), mounts, registrations, subscriptions and handler errors. `counts`: the store's summary counts
 * (its handler runs size the heatmap's rows up front). `times`: filled with the timed handler runs and the beats
 * too, for findings read part by part (findings-parts.ts).
 */
export async function aggregateStore(
  store: Pick<TelemetryStore, 'handlerRunFacts' | 'runParts'>,
  data: TraceData,
  counts: Pick<StoreSummary, 'beatRuns' | 'handlerRuns'>,
  code?: CodeIndex,
  options: HandlerPerformanceOptions = {},
  times?: StoreTimes,
): Promise<StoreAggregates> {
  const { sessions } = data;
  const aggregator = new HandlerRunAggregator(options.buckets ?? 24, counts.handlerRuns);
  const edges = new HandlerEdgeAccumulator(counts.handlerRuns);
  const trendRuns = new TimedRunGroups(sessions, counts.handlerRuns);
  await store.handlerRunFacts((batch) => {
    aggregator.add(batch);
    edges.addFacts(batch);
    trendRuns.addFacts(batch);
    times?.handlers.addFacts(batch);
    times?.sessions.addFacts(batch);
  });
  return {
    heatmap: aggregator.report(sessions, code, options),
    flows: await validateStoreFlows(
      store,
      data,
      code,
      times &&
        ((batch) => {
          for (const p of batch) times.beats.add(p.beats);
          times.sessions.addRuns(batch);
        }),
    ),
    handlerRunCounts: aggregator.handlerRunCounts(),
    handlerEdges: edges.groupsInOrder(),
    beatRuns: counts.beatRuns,
    trendRuns,
  };
}
