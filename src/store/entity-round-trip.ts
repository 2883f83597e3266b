/**
 * Test helper: one entity through its table spec alone (getters -> row -> derived `fromRow` or `fromValues`), with the
 * row shaped as DuckDB's JS converter returns it (BIGINT as bigint, NULL struct fields as null).
 * Imported by `*.test.ts` files only.
 */
import type { TraceEntity } from '../model/index.js';
import type { ColumnSpec } from './column-spec.js';
import { tableSpec } from './entity-tables.js';
import type { Row } from './telemetry-store.js';

/** A column value as DuckDB's JS converter returns it. */
function asRead(c: ColumnSpec<TraceEntity>, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (c.type === 'MS') return BigInt(value as number);
  if (c.type === 'FRAMES') {
    return (value as { fn?: string; file: string; line?: number; column?: number }[]).map((f) => ({
      fn: f.fn ?? null,
      file: f.file,
      line: f.line ?? null,
      column: f.column ?? null,
    }));
  }
  return value;
}

export function roundTrip(entity: TraceEntity, fileId: string): TraceEntity {
  const spec = tableSpec(entity.kind);
  const row: Row = Object.fromEntries(spec.columns.map((c) => [c.name, asRead(c, c.get(entity))]));
  return spec.fromRow(row, fileId);
}

/** The same through `fromValues`: the row's values in column order. */
export function roundTripValues(entity: TraceEntity, fileId: string): TraceEntity {
  const spec = tableSpec(entity.kind);
  return spec.fromValues(
    spec.columns.map((c) => asRead(c, c.get(entity))),
    fileId,
  );
}
