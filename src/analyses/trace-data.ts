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
} from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

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

export async function loadTraceData(store: TelemetryStore): Promise<TraceData> {
  const [
    sessions,
    mounts,
    registrations,
    subscriptions,
    publishes,
    runs,
    movements,
    beats,
    handlerRuns,
    batons,
    errors,
    gaps,
    messages,
  ] = await Promise.all([
    store.entities('session'),
    store.entities('plugin-mount'),
    store.entities('sequence-registration'),
    store.entities('subscription'),
    store.entities('publish'),
    store.entities('sequence-run'),
    store.entities('movement-run'),
    store.entities('beat-run'),
    store.entities('handler-run'),
    store.entities('baton-diff'),
    store.entities('handler-error'),
    store.entities('gap'),
    store.entities('log-message'),
  ]);
  return {
    sessions,
    mounts,
    registrations,
    subscriptions,
    publishes,
    runs,
    movements,
    beats,
    handlerRuns,
    batons,
    errors,
    gaps,
    messages,
  };
}
