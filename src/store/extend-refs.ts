/**
 * What the three stores share to extend a stored file (`BeginFileOptions.extend`): the dropped entities grouped
 * by kind, and the error a commit fails with when it appends an entity that is stored and not dropped.
 */
import type { TraceEntity, TraceEntityKind } from '../model/index.js';
import { ENTITY_KINDS, tableSpec } from './entity-tables.js';
import type { EntityRef, IdentifiedKind } from './telemetry-store.js';

/** The ids of `drop`, by kind, without repeats. */
export function dropIdsByKind(drop: readonly EntityRef[]): Map<IdentifiedKind, string[]> {
  const sets = new Map<IdentifiedKind, Set<string>>();
  for (const { kind, id } of drop) {
    const set = sets.get(kind);
    if (set === undefined) sets.set(kind, new Set([id]));
    else set.add(id);
  }
  return new Map([...sets].map(([kind, ids]) => [kind, [...ids]]));
}

/** True for the kinds `EntityRef` can name. */
export function isIdentified(entity: TraceEntity): entity is Extract<TraceEntity, { readonly id: string }> {
  return 'id' in entity;
}

const IDENTIFIED_KINDS: ReadonlySet<TraceEntityKind> = new Set(
  ENTITY_KINDS.filter((kind) => tableSpec(kind).columns.some((c) => c.name === 'id')),
);

/** True for the kinds whose table has an `id` column. */
export function isIdentifiedKind(kind: TraceEntityKind): kind is IdentifiedKind {
  return IDENTIFIED_KINDS.has(kind);
}

export class DuplicateEntityError extends Error {
  constructor(fileId: string, kind: IdentifiedKind, id: string) {
    super(
      `extend of file ${fileId} appends ${kind} ${id}, which is stored and not dropped: name it in extend.drop to replace it`,
    );
    this.name = 'DuplicateEntityError';
  }
}
