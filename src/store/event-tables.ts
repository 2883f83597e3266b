/** Table specs of the session-level entities: sessions, mounts, registrations, pub/sub, gaps, messages. */
import type {
  Gap,
  LogMessage,
  PluginMount,
  Publish,
  SequenceRegistration,
  Session,
  Subscription,
  UnknownLine,
} from '../model/index.js';
import { col, entityTable, enumCol } from './column-spec.js';
import { LOG_LEVELS, MOUNT_STATUSES, PUBLISH_SOURCES, REGISTRATION_VIAS } from './vocabulary.js';

export const sessionsTable = entityTable<Session>({
  kind: 'session',
  table: 'sessions',
  lineColumn: 'start_line',
  columns: [
    col('id', 'TEXT!', 'id'),
    col('session_index', 'INT!', 'index'),
    col('start_line', 'INT!', 'startLine'),
    col('end_line', 'INT!', 'endLine'),
    col('start_ms', 'MS', 'startMs'),
    col('end_ms', 'MS', 'endMs'),
    col('marker', 'TEXT!', 'marker'),
  ],
  fileId: 'fileId',
});

export const pluginMountsTable = entityTable<PluginMount>({
  kind: 'plugin-mount',
  table: 'plugin_mounts',
  lineColumn: 'start_line',
  columns: [
    col('id', 'TEXT!', 'id'),
    col('session_id', 'TEXT!', 'sessionId'),
    col('plugin_id', 'TEXT!', 'pluginId'),
    enumCol('status', MOUNT_STATUSES, 'status'),
    col('augmented', 'BOOL!', 'augmented'),
    col('error', 'TEXT', 'error'),
    col('time_ms', 'MS', 'timeMs'),
    col('start_line', 'INT!', 'span.startLine'),
    col('end_line', 'INT!', 'span.endLine'),
  ],
  fileId: 'span.fileId',
});

export const sequenceRegistrationsTable = entityTable<SequenceRegistration>({
  kind: 'sequence-registration',
  table: 'sequence_registrations',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', 'sessionId'),
    col('sequence_id', 'TEXT', 'sequenceId'),
    col('sequence_name', 'TEXT', 'sequenceName'),
    col('plugin_id', 'TEXT', 'pluginId'),
    enumCol('via', REGISTRATION_VIAS, 'via'),
    col('time_ms', 'MS', 'timeMs'),
    col('line', 'INT!', 'line'),
  ],
});

export const subscriptionsTable = entityTable<Subscription>({
  kind: 'subscription',
  table: 'subscriptions',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', 'sessionId'),
    col('event', 'TEXT!', 'event'),
    col('subscribers', 'INT', 'subscribers'),
    col('plugin_id', 'TEXT', 'pluginId'),
    col('sequence_id', 'TEXT', 'sequenceId'),
    col('cleanup', 'BOOL!', 'cleanup'),
    col('host', 'BOOL!', 'host'),
    col('time_ms', 'MS', 'timeMs'),
    col('line', 'INT!', 'line'),
  ],
});

export const publishesTable = entityTable<Publish>({
  kind: 'publish',
  table: 'publishes',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', 'sessionId'),
    col('event', 'TEXT!', 'event'),
    enumCol('source', PUBLISH_SOURCES, 'source'),
    col('time_ms', 'MS', 'timeMs'),
    col('line', 'INT!', 'line'),
  ],
});

export const gapsTable = entityTable<Gap>({
  kind: 'gap',
  table: 'gaps',
  lineColumn: 'before_line',
  columns: [
    col('session_id', 'TEXT!', 'sessionId'),
    col('start_ms', 'MS!', 'startMs'),
    col('end_ms', 'MS!', 'endMs'),
    col('duration_ms', 'DOUBLE!', 'durationMs'),
    col('before_line', 'INT!', 'beforeLine'),
    col('after_line', 'INT!', 'afterLine'),
  ],
});

export const logMessagesTable = entityTable<LogMessage>({
  kind: 'log-message',
  table: 'log_messages',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', 'sessionId'),
    enumCol('level', LOG_LEVELS, 'level'),
    col('component', 'TEXT', 'component'),
    col('text', 'TEXT!', 'text'),
    col('time_ms', 'MS', 'timeMs'),
    col('line', 'INT!', 'line'),
  ],
});

export const unknownLinesTable = entityTable<UnknownLine>({
  kind: 'unknown-line',
  table: 'unknown_lines',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', 'sessionId'),
    col('line', 'INT!', 'line'),
    col('text', 'TEXT!', 'text'),
    col('template', 'TEXT!', 'template'),
  ],
});
