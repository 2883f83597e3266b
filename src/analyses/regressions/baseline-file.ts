/**
 * Reading a baseline file back: the schema and version are checked first, then every entry's shape, so a
 * corrupt, truncated or future file is a clear error (the CLI exits 2) rather than a wrong comparison.
 */
import { BASELINE_SCHEMA, BASELINE_VERSION, type Baseline, type BaselineEntry } from './baseline-types.js';

export class BaselineFormatError extends Error {
  override readonly name = 'BaselineFormatError';
}

export function parseBaseline(text: string, origin = 'baseline'): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BaselineFormatError(`${origin} is not valid JSON (${error instanceof Error ? error.message : error})`);
  }
  const v = value as Partial<Baseline> | null;
  if (!v || typeof v !== 'object' || v.schema !== BASELINE_SCHEMA) {
    throw new BaselineFormatError(`${origin} is not a beatscope baseline (schema "${BASELINE_SCHEMA}" expected)`);
  }
  if (v.version !== BASELINE_VERSION) {
    throw new BaselineFormatError(
      `${origin} has baseline version ${JSON.stringify(v.version)}; this beatscope reads version ${BASELINE_VERSION}`,
    );
  }
  if (!Array.isArray(v.handlers) || !Array.isArray(v.sequences)) {
    throw new BaselineFormatError(`${origin}: "handlers" and "sequences" must be arrays`);
  }
  v.handlers.forEach((e, i) => {
    const problem = entryProblem(e);
    if (problem) throw new BaselineFormatError(`${origin}: handlers[${i}] ${problem}`);
  });
  v.sequences.forEach((s, i) => {
    if (
      !s ||
      typeof s.sequence !== 'string' ||
      !Array.isArray(s.beats) ||
      !s.beats.every((b: unknown) => typeof b === 'string')
    )
      throw new BaselineFormatError(`${origin}: sequences[${i}] needs a "sequence" name and "beats" strings`);
  });
  return v as Baseline;
}

function entryProblem(e: BaselineEntry | null): string | null {
  if (!e || typeof e !== 'object') return 'is not an object';
  if (typeof e.plugin !== 'string' || typeof e.handler !== 'string') return 'needs "plugin" and "handler" strings';
  if (e.sequence !== null && typeof e.sequence !== 'string') return '"sequence" must be a string or null';
  for (const k of ['executions', 'timedExecutions', 'settledAfterBeat', 'errors'] as const) {
    if (!Number.isInteger(e[k]) || e[k] < 0) return `"${k}" must be a whole number`;
  }
  if (!Array.isArray(e.timesMs) || !e.timesMs.every((t) => typeof t === 'number' && Number.isFinite(t)))
    return '"timesMs" must be an array of numbers';
  if (e.timesMs.length > e.timedExecutions) return 'has more times than timed executions';
  if (!Array.isArray(e.errorSignatures)) return '"errorSignatures" must be an array';
  return null;
}
