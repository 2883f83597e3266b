/**
 * The members of the model's closed string unions, stored as DuckDB ENUMs. `allOf<T>()` refuses, at
 * compile time, a list that misses a member of `T`, so a union widened in the model breaks the build
 * here instead of failing appends at run time.
 */
import type {
  BatonDiff,
  DurationSource,
  HandlerRun,
  LogMessage,
  PluginMount,
  Publish,
  RunStatus,
  SequenceRegistration,
  Severity,
  TextEncoding,
} from '../model/index.js';

function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : never)) =>
    values as readonly T[];
}

export const RUN_STATUSES = allOf<RunStatus>()(['completed', 'failed', 'stopped', 'incomplete']);
export const DURATION_SOURCES = allOf<DurationSource>()([
  'performance-tracker',
  'beat-executor',
  'eventbus-trace',
  'timestamps',
  'none',
]);
export const MOUNT_STATUSES = allOf<PluginMount['status']>()(['succeeded', 'failed', 'attempted']);
export const REGISTRATION_VIAS = allOf<SequenceRegistration['via']>()([
  'registry',
  'plugin-manager',
  'catalog',
  'native',
  'subscription',
]);
export const PUBLISH_SOURCES = allOf<Publish['source']>()(['eventbus', 'event-router', 'host']);
export const HANDLER_STATUSES = allOf<HandlerRun['status']>()(['ok', 'error']);
export const BATON_LEVELS = allOf<BatonDiff['level']>()(['handler', 'beat']);
export const LOG_LEVELS = allOf<LogMessage['level']>()(['warn', 'error']);
export const SEVERITIES = allOf<Severity>()(['info', 'warning', 'error']);
export const ENCODINGS = allOf<TextEncoding>()(['utf-8', 'utf-16le', 'utf-16be']);
