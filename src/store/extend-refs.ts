/**
 * What the three stores share to extend a stored file (`BeginFileOptions.extend`): the dropped entities grouped
 * by kind, and the error a commit fails with when it appends an entity that is stored and not dropped.
 */
import type { TraceEntity, TraceEntityKind } from '../model/index.js';
import { entityLine } from './entity-file.js';
import { ENTITY_KINDS, tableSpec } from './entity-tables.js';
import type { EntityRef, IdentifiedKind } from './telemetry-store.js';

/** The ids of `drop`, by kind, without repeats. */
export function dropIdsByKind(drop: readonly EntityRef[]): Map<IdentifiedKind, string[]> {
  return grouped(drop.flatMap((r) => ('id' in r ? [[r.kind, r.id] as const] : [])));
}

/** The lines of `drop` naming entities of kinds without an id, by kind, without repeats. */
export function dropLinesByKind(drop: readonly EntityRef[]): Map<TraceEntityKind, number[]> {
  return grouped(drop.flatMap((r) => ('line' in r ? [[r.kind, r.line] as const] : [])));
}

function grouped<K, V>(pairs: readonly (readonly [K, V])[]): Map<K, V[]> {
  const sets = new Map<K, Set<V>>();
  for (const [key, value] of pairs) {
    const set = sets.get(key);
    if (set === undefined) sets.set(key, new Set([value]));
    else set.add(value);
  }
  return new Map([...sets].map(([key, values]) => [key, [...values]]));
}

/** How an extend names `entity`: by id, or by kind and first line for a kind without one. */
export function entityRef(entity: TraceEntity): EntityRef {
  return isIdentified(entity) ? { kind: entity.kind, id: entity.id } : { kind: entity.kind, line: entityLine(entity) };
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
