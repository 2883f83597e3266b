/**
 * Numbers read from log text are checked before they reach the trace: a line printing an absurd value
 * (a beat number of 2^31 or more, a duration of 1e400 ms, a JSONL `t` of 1e300) costs that line, with a
 * diagnostic naming it, instead of a NaN or Infinity in the store or a column overflow failing the
 * whole file at commit.
 */
import type { LogRecord, TelemetryEvent } from '../../model/index.js';

/** Largest count stored (beat numbers, indexes, totals, subscribers, stack lines): the INT column's maximum. */
export const MAX_COUNT = 2 ** 31 - 1;
/** Largest magnitude of a time or duration in ms: ECMAScript's date range, ±100,000,000 days. */
export const MAX_ABS_MS = 8.64e15;

/** Why a value of the event cannot be stored, or undefined when every number is in range. */
export function eventNumberProblem(event: TelemetryEvent): string | undefined {
  return walk(event, '', 0);
}

/**
 * Why the record's time cannot be stored, or undefined. Fractional epoch ms (JSONL allows them) are not a
 * problem: `recordTimeMs` floors them to the store's 1 ms resolution.
 */
export function recordTimeProblem(record: LogRecord): string | undefined {
  const t = record.timeMs;
  if (t === undefined || (Number.isFinite(t) && Math.abs(t) <= MAX_ABS_MS)) return undefined;
  return `time ${String(t)} ms is outside ±${MAX_ABS_MS.toExponential()} ms`;
}

/**
 * Runs once per classified line: no `Object.entries` (its pair arrays were 10% of a parse's CPU time,
 * most of it in the collector). Events are plain data objects, so `for…in` sees exactly their own keys.
 */
function walk(value: unknown, key: string, depth: number): string | undefined {
  if (typeof value === 'number') return numberProblem(key, value);
  if (typeof value !== 'object' || value === null || depth > 3) return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const problem = walk(v, key, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  for (const k in fields) {
    if (!Object.hasOwn(fields, k)) continue;
    const problem = walk(fields[k], k, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Fields named `…Ms` are times or durations; every other number the grammar reads is a count. */
function numberProblem(key: string, v: number): string | undefined {
  if (key.endsWith('Ms')) {
    return Number.isFinite(v) && Math.abs(v) <= MAX_ABS_MS
      ? undefined
      : `${key} ${String(v)} is outside ±${MAX_ABS_MS.toExponential()} ms`;
  }
  return Number.isInteger(v) && v >= 0 && v <= MAX_COUNT
    ? undefined
    : `${key} ${String(v)} is not a count (0 to ${MAX_COUNT})`;
}
