/** Table specs of baton diffs and handler errors, the two entities with list columns. */
import type { BatonDiff, HandlerError, StackFrame } from '../model/index.js';
import { bool, col, type EntityTableSpec, enumCol, num, numOrNull, text, textOrNull, texts } from './column-spec.js';
import type { Row } from './telemetry-store.js';
import { BATON_LEVELS } from './vocabulary.js';

export const batonDiffsTable: EntityTableSpec<BatonDiff> = {
  kind: 'baton-diff',
  table: 'baton_diffs',
  lineColumn: 'line',
  columns: [
    col('id', 'TEXT!', (e) => e.id),
    col('session_id', 'TEXT!', (e) => e.sessionId),
    enumCol('level', BATON_LEVELS, (e) => e.level),
    col('added', 'TEXT[]!', (e) => e.change.added),
    col('updated', 'TEXT[]!', (e) => e.change.updated),
    col('removed', 'TEXT[]!', (e) => e.change.removed),
    col('preview', 'TEXT', (e) => e.preview),
    col('handler', 'TEXT', (e) => e.handler),
    col('plugin_id', 'TEXT', (e) => e.pluginId),
    col('request_id', 'TEXT', (e) => e.requestId),
    col('event', 'TEXT!', (e) => e.event),
    col('sequence_name', 'TEXT!', (e) => e.sequenceName),
    col('beat', 'INT', (e) => e.beat),
    col('beat_run_id', 'TEXT', (e) => e.beatRunId),
    col('sequence_run_id', 'TEXT', (e) => e.sequenceRunId),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('line', 'INT!', (e) => e.line),
  ],
  fromRow: (r) => ({
    kind: 'baton-diff',
    id: text(r, 'id'),
    sessionId: text(r, 'session_id'),
    level: text(r, 'level') as BatonDiff['level'],
    change: { added: texts(r, 'added'), updated: texts(r, 'updated'), removed: texts(r, 'removed') },
    preview: textOrNull(r, 'preview'),
    handler: textOrNull(r, 'handler'),
    pluginId: textOrNull(r, 'plugin_id'),
    requestId: textOrNull(r, 'request_id'),
    event: text(r, 'event'),
    sequenceName: text(r, 'sequence_name'),
    beat: numOrNull(r, 'beat'),
    beatRunId: textOrNull(r, 'beat_run_id'),
    sequenceRunId: textOrNull(r, 'sequence_run_id'),
    timeMs: numOrNull(r, 'time_ms'),
    line: num(r, 'line'),
  }),
};

interface FrameRow {
  readonly fn: string | null;
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
}

/** Optional frame fields are absent (not undefined) in the model, so NULL struct fields are dropped. */
function framesFromRow(row: Row, name: string): StackFrame[] {
  const frames = (row[name] as FrameRow[] | null) ?? [];
  return frames.map((f) => ({
    ...(f.fn === null ? {} : { fn: f.fn }),
    file: f.file,
    ...(f.line === null ? {} : { line: f.line }),
    ...(f.column === null ? {} : { column: f.column }),
  }));
}

export const handlerErrorsTable: EntityTableSpec<HandlerError> = {
  kind: 'handler-error',
  table: 'handler_errors',
  lineColumn: 'line',
  columns: [
    col('id', 'TEXT!', (e) => e.id),
    col('session_id', 'TEXT!', (e) => e.sessionId),
    col('plugin_id', 'TEXT!', (e) => e.pluginId),
    col('handler', 'TEXT!', (e) => e.handler),
    col('message', 'TEXT!', (e) => e.message),
    col('stack', 'FRAMES!', (e) => e.stack),
    col('beat_run_id', 'TEXT', (e) => e.beatRunId),
    col('sequence_run_id', 'TEXT', (e) => e.sequenceRunId),
    col('beat_still_completed', 'BOOL!', (e) => e.beatStillCompleted),
    col('time_ms', 'MS', (e) => e.timeMs),
    col('line', 'INT!', (e) => e.line),
  ],
  fromRow: (r) => ({
    kind: 'handler-error',
    id: text(r, 'id'),
    sessionId: text(r, 'session_id'),
    pluginId: text(r, 'plugin_id'),
    handler: text(r, 'handler'),
    message: text(r, 'message'),
    stack: framesFromRow(r, 'stack'),
    beatRunId: textOrNull(r, 'beat_run_id'),
    sequenceRunId: textOrNull(r, 'sequence_run_id'),
    beatStillCompleted: bool(r, 'beat_still_completed'),
    timeMs: numOrNull(r, 'time_ms'),
    line: num(r, 'line'),
  }),
};
