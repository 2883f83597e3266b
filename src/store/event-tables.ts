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
import { bool, col, type EntityTableSpec, enumCol, num, numOrNull, text, textOrNull } from './column-spec.js';
import { LOG_LEVELS, MOUNT_STATUSES, PUBLISH_SOURCES, REGISTRATION_VIAS } from './vocabulary.js';

export const sessionsTable: EntityTableSpec<Session> = {
  kind: 'session',
  table: 'sessions',
  lineColumn: 'start_line',
  columns: [
    col('id', 'TEXT!', (e) => e.id),
    col('session_index', 'INT!', (e) => e.index),
    col('start_line', 'INT!', (e) => e.startLine),
    col('end_line', 'INT!', (e) => e.endLine),
    col('start_ms', 'MS', (e) => e.startMs),
    col('end_ms', 'MS', (e) => e.endMs),
    col('marker', 'TEXT!', (e) => e.marker),
  ],
  fromRow: (r, fileId) => ({
    kind: 'session',
    id: text(r, 'id'),
    fileId,
    index: num(r, 'session_index'),
    startLine: num(r, 'start_line'),
    endLine: num(r, 'end_line'),
    startMs: numOrNull(r, 'start_ms'),
    endMs: numOrNull(r, 'end_ms'),
    marker: text(r, 'marker'),
  }),
};

export const pluginMountsTable: EntityTableSpec<PluginMount> = {
  kind: 'plugin-mount',
  table: 'plugin_mounts',
  lineColumn: 'start_line',
  columns: [
    col('id', 'TEXT!', (e) => e.id),
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('plugin_id', 'TEXT!', (e) => e.pluginId),
    enumCol('status', MOUNT_STATUSES, (e) => e.status),
    col('augmented', 'BOOL!', (e) => e.augmented),
    col('error', 'TEXT', (e) => e.error),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('start_line', 'INT!', (e) => e.span.startLine),
    col('end_line', 'INT!', (e) => e.span.endLine),
  ],
  fromRow: (r, fileId) => ({
    kind: 'plugin-mount',
    id: text(r, 'id'),
    sessionId: text(r, 'session_id'),
    pluginId: text(r, 'plugin_id'),
    status: text(r, 'status') as PluginMount['status'],
    augmented: bool(r, 'augmented'),
    error: textOrNull(r, 'error'),
    timeMs: numOrNull(r, 'time_ms'),
    span: { fileId, startLine: num(r, 'start_line'), endLine: num(r, 'end_line') },
  }),
};

export const sequenceRegistrationsTable: EntityTableSpec<SequenceRegistration> = {
  kind: 'sequence-registration',
  table: 'sequence_registrations',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('sequence_id', 'TEXT', (e) => e.sequenceId),
    col('sequence_name', 'TEXT', (e) => e.sequenceName),
    col('plugin_id', 'TEXT', (e) => e.pluginId),
    enumCol('via', REGISTRATION_VIAS, (e) => e.via),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('line', 'INT!', (e) => e.line),
  ],
  fromRow: (r) => ({
    kind: 'sequence-registration',
    sessionId: text(r, 'session_id'),
    sequenceId: textOrNull(r, 'sequence_id'),
    sequenceName: textOrNull(r, 'sequence_name'),
    pluginId: textOrNull(r, 'plugin_id'),
    via: text(r, 'via') as SequenceRegistration['via'],
    timeMs: numOrNull(r, 'time_ms'),
    line: num(r, 'line'),
  }),
};

export const subscriptionsTable: EntityTableSpec<Subscription> = {
  kind: 'subscription',
  table: 'subscriptions',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('event', 'TEXT!', (e) => e.event),
    col('subscribers', 'INT', (e) => e.subscribers),
    col('plugin_id', 'TEXT', (e) => e.pluginId),
    col('sequence_id', 'TEXT', (e) => e.sequenceId),
    col('cleanup', 'BOOL!', (e) => e.cleanup),
    col('host', 'BOOL!', (e) => e.host),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('line', 'INT!', (e) => e.line),
  ],
  fromRow: (r) => ({
    kind: 'subscription',
    sessionId: text(r, 'session_id'),
    event: text(r, 'event'),
    subscribers: numOrNull(r, 'subscribers'),
    pluginId: textOrNull(r, 'plugin_id'),
    sequenceId: textOrNull(r, 'sequence_id'),
    cleanup: bool(r, 'cleanup'),
    host: bool(r, 'host'),
    timeMs: numOrNull(r, 'time_ms'),
    line: num(r, 'line'),
  }),
};

export const publishesTable: EntityTableSpec<Publish> = {
  kind: 'publish',
  table: 'publishes',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('event', 'TEXT!', (e) => e.event),
    enumCol('source', PUBLISH_SOURCES, (e) => e.source),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('line', 'INT!', (e) => e.line),
  ],
  fromRow: (r) => ({
    kind: 'publish',
    sessionId: text(r, 'session_id'),
    event: text(r, 'event'),
    source: text(r, 'source') as Publish['source'],
    timeMs: numOrNull(r, 'time_ms'),
    line: num(r, 'line'),
  }),
};

export const gapsTable: EntityTableSpec<Gap> = {
  kind: 'gap',
  table: 'gaps',
  lineColumn: 'before_line',
  columns: [
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('start_ms', 'MS!', (e) => e.startMs),
    col('end_ms', 'MS!', (e) => e.endMs),
    col('duration_ms', 'DOUBLE!', (e) => e.durationMs),
    col('before_line', 'INT!', (e) => e.beforeLine),
    col('after_line', 'INT!', (e) => e.afterLine),
  ],
  fromRow: (r) => ({
    kind: 'gap',
    sessionId: text(r, 'session_id'),
    startMs: num(r, 'start_ms'),
    endMs: num(r, 'end_ms'),
    durationMs: num(r, 'duration_ms'),
    beforeLine: num(r, 'before_line'),
    afterLine: num(r, 'after_line'),
  }),
};

export const logMessagesTable: EntityTableSpec<LogMessage> = {
  kind: 'log-message',
  table: 'log_messages',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', (e) => e.sessionId),
    enumCol('level', LOG_LEVELS, (e) => e.level),
    col('component', 'TEXT', (e) => e.component),
    col('text', 'TEXT!', (e) => e.text),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('line', 'INT!', (e) => e.line),
  ],
  fromRow: (r) => ({
    kind: 'log-message',
    sessionId: text(r, 'session_id'),
    level: text(r, 'level') as LogMessage['level'],
    component: textOrNull(r, 'component'),
    text: text(r, 'text'),
    timeMs: numOrNull(r, 'time_ms'),
    line: num(r, 'line'),
  }),
};

export const unknownLinesTable: EntityTableSpec<UnknownLine> = {
  kind: 'unknown-line',
  table: 'unknown_lines',
  lineColumn: 'line',
  columns: [
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('line', 'INT!', (e) => e.line),
    col('text', 'TEXT!', (e) => e.text),
    col('template', 'TEXT!', (e) => e.template),
  ],
  fromRow: (r) => ({
    kind: 'unknown-line',
    sessionId: text(r, 'session_id'),
    line: num(r, 'line'),
    text: text(r, 'text'),
    template: text(r, 'template'),
  }),
};
