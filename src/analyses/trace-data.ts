/**
 * Everything an analysis reads, loaded once from a store. Arrays are in (file, line) order.
 */
import type {
  BatonDiff,
  BeatRun,
  Gap,
  HandlerError,
  HandlerRun,
  LogMessage,
  MovementRun,
  PluginMount,
  Publish,
  SequenceRegistration,
  SequenceRun,
  Session,
  Subscription,
  TraceEntity,
} from '../model/index.js';
import type { EntityQuery, TelemetryStore } from '../store/telemetry-store.js';

export interface TraceData {
  readonly sessions: readonly Session[];
  readonly mounts: readonly PluginMount[];
  readonly registrations: readonly SequenceRegistration[];
  readonly subscriptions: readonly Subscription[];
  readonly publishes: readonly Publish[];
  readonly runs: readonly SequenceRun[];
  readonly movements: readonly MovementRun[];
  readonly beats: readonly BeatRun[];
  readonly handlerRuns: readonly HandlerRun[];
  readonly batons: readonly BatonDiff[];
  readonly errors: readonly HandlerError[];
  readonly gaps: readonly Gap[];
  readonly messages: readonly LogMessage[];
}

/**
 * Sessions in the order every report shows them: by start time, untimed ones last. A stable sort with this
 * keeps ties in (file, line) order, i.e. a file's sessions in their order, not `s13` before `s2`.
 */
export function byStartTime(a: { readonly startMs: number | null }, b: { readonly startMs: number | null }): number {
  return (a.startMs ?? Number.POSITIVE_INFINITY) - (b.startMs ?? Number.POSITIVE_INFINITY) || 0;
}

/** The label of a sequence run the log never named (model/unknown-names.ts), for the analyses' callers. */
export { UNKNOWN_SEQUENCE } from '../model/unknown-names.js';

/** Which entity kind fills each field of TraceData. */
const KIND_OF = {
  sessions: 'session',
  mounts: 'plugin-mount',
  registrations: 'sequence-registration',
  subscriptions: 'subscription',
  publishes: 'publish',
  runs: 'sequence-run',
  movements: 'movement-run',
  beats: 'beat-run',
  handlerRuns: 'handler-run',
  batons: 'baton-diff',
  errors: 'handler-error',
  gaps: 'gap',
  messages: 'log-message',
} as const satisfies Record<keyof TraceData, TraceEntity['kind']>;

/**
 * The trace data of a store, or of its first part (`query.before`). `fields`: the ones to read, the others left
 * empty (the aggregate reports do not need DataBaton diffs, gaps, messages or publishes).
 */
export async function loadTraceData(
  store: TelemetryStore,
  query: EntityQuery = {},
  fields: readonly (keyof TraceData)[] = Object.keys(KIND_OF) as (keyof TraceData)[],
): Promise<TraceData> {
  const all = Object.keys(KIND_OF) as (keyof TraceData)[];
  const loaded = await Promise.all(all.map((f) => (fields.includes(f) ? store.entities(KIND_OF[f], query) : [])));
  return Object.fromEntries(all.map((f, i) => [f, loaded[i]])) as unknown as TraceData;
}

/**
 * What the aggregate reports read of a whole store as entities: the small kinds. Runs, beats, movements and
 * handler runs stream through `aggregateStore`; DataBaton diffs, gaps, messages and publishes only the timeline
 * draws.
 */
export const AGGREGATE_FIELDS: readonly (keyof TraceData)[] = [
  'sessions',
  'mounts',
  'registrations',
  'subscriptions',
  'errors',
];
