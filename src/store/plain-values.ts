/** Plain-JS rows for `query()` of the SQL stores: what a caller can JSON.stringify and compare without engine types. */
import type { Row } from './telemetry-store.js';

/**
 * BIGINT/HUGEINT become numbers when exactly representable, else decimal strings; TIMESTAMP and DATE
 * (read as Date) become ISO-8601 strings in UTC; lists and structs are converted element-wise.
 */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

export function plainRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key of Object.keys(row)) out[key] = plainValue(row[key]);
  return out;
}
