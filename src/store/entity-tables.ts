/** Every entity kind's table spec, keyed by kind; the one list the schema, writer and reader share. */
import type { TraceEntity, TraceEntityKind } from '../model/index.js';
import type { EntityTableSpec } from './column-spec.js';
import { batonDiffsTable, handlerErrorsTable } from './diff-error-tables.js';
import {
  gapsTable,
  logMessagesTable,
  pluginMountsTable,
  publishesTable,
  sequenceRegistrationsTable,
  sessionsTable,
  subscriptionsTable,
  unknownLinesTable,
} from './event-tables.js';
import { beatRunsTable, handlerRunsTable, movementRunsTable, sequenceRunsTable } from './run-tables.js';

export type EntityTables = { readonly [K in TraceEntityKind]: EntityTableSpec<Extract<TraceEntity, { kind: K }>> };

export const ENTITY_TABLES: EntityTables = {
  session: sessionsTable,
  'plugin-mount': pluginMountsTable,
  'sequence-registration': sequenceRegistrationsTable,
  subscription: subscriptionsTable,
  publish: publishesTable,
  'sequence-run': sequenceRunsTable,
  'movement-run': movementRunsTable,
  'beat-run': beatRunsTable,
  'handler-run': handlerRunsTable,
  'baton-diff': batonDiffsTable,
  'handler-error': handlerErrorsTable,
  gap: gapsTable,
  'log-message': logMessagesTable,
  'unknown-line': unknownLinesTable,
};

export const ENTITY_KINDS = Object.keys(ENTITY_TABLES) as TraceEntityKind[];

/** Looser view of one spec, for code that handles every kind alike. */
export function tableSpec(kind: TraceEntityKind): EntityTableSpec {
  return ENTITY_TABLES[kind] as unknown as EntityTableSpec;
}
