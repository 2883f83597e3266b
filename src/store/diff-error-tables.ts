/** Table specs of baton diffs and handler errors, the two entities with list columns. */
import type { BatonDiff, HandlerError } from '../model/index.js';
import { col, entityTable, enumCol } from './column-spec.js';
import { BATON_LEVELS } from './vocabulary.js';

export const batonDiffsTable = entityTable<BatonDiff>({
  kind: 'baton-diff',
  table: 'baton_diffs',
  lineColumn: 'line',
  columns: [
    col('id', 'TEXT!', 'id'),
    col('session_id', 'TEXT!', 'sessionId'),
    enumCol('level', BATON_LEVELS, 'level'),
    col('added', 'TEXT[]!', 'change.added'),
    col('updated', 'TEXT[]!', 'change.updated'),
    col('removed', 'TEXT[]!', 'change.removed'),
    col('preview', 'TEXT', 'preview'),
    col('handler', 'TEXT', 'handler'),
    col('plugin_id', 'TEXT', 'pluginId'),
    col('request_id', 'TEXT', 'requestId'),
    col('event', 'TEXT!', 'event'),
    col('sequence_name', 'TEXT!', 'sequenceName'),
    col('beat', 'INT', 'beat'),
    col('beat_run_id', 'TEXT', 'beatRunId'),
    col('sequence_run_id', 'TEXT', 'sequenceRunId'),
    col('time_ms', 'MS', 'timeMs'),
    col('line', 'INT!', 'line'),
  ],
});

export const handlerErrorsTable = entityTable<HandlerError>({
  kind: 'handler-error',
  table: 'handler_errors',
  lineColumn: 'line',
  columns: [
    col('id', 'TEXT!', 'id'),
    col('session_id', 'TEXT!', 'sessionId'),
    col('plugin_id', 'TEXT!', 'pluginId'),
    col('handler', 'TEXT!', 'handler'),
    col('message', 'TEXT!', 'message'),
    col('stack', 'FRAMES!', 'stack'),
    col('beat_run_id', 'TEXT', 'beatRunId'),
    col('sequence_run_id', 'TEXT', 'sequenceRunId'),
    col('beat_still_completed', 'BOOL!', 'beatStillCompleted'),
    col('time_ms', 'MS', 'timeMs'),
    col('line', 'INT!', 'line'),
  ],
});
