import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile, percentilesInPlace, timingStats } from './percentile.js';

describe('percentile', () => {
  it('interpolates linearly between closest ranks like quantile_cont', () => {
    // DuckDB: SELECT quantile_cont(x, [0, 0.25, 0.5, 0.95, 1]) FROM (VALUES (1),(2),(3),(4),(10)) t(x)
    const sorted = [1, 2, 3, 4, 10];
    expect([0, 0.25, 0.5, 0.95, 1].map((p) => percentile(sorted, p))).toEqual([1, 2, 3, 8.799999999999999, 10]);
  });

  it('handles one value, two values and no value', () => {
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([10, 20], 0.5)).toBe(15);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('rejects a quantile outside [0, 1]', () => {
    expect(() => percentile([1], 95)).toThrow(RangeError);
  });
});

describe('percentilesInPlace', () => {
  const ps = [0, 0.01, 0.5, 0.95, 0.99, 1];

  it('gives exactly what percentile of the sorted values gives, ties and sorted runs included', () => {
    // Durations at 1 ms resolution repeat a lot; small ranges force ties, the wide one distinct values.
    const durations = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 300 }),
      fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 300 }),
      fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 300 }).map((a) => a.sort((x, y) => x - y)),
      fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 300 }).map((a) => a.sort((x, y) => y - x)),
    );
    fc.assert(
      fc.property(durations, (values) => {
        const sorted = Float64Array.from(values).sort();
        expect(percentilesInPlace(Float64Array.from(values), ps)).toEqual(ps.map((p) => percentile(sorted, p)));
      }),
      { numRuns: 500 },
    );
  });

  it('answers null for no values and refuses quantiles out of order or range', () => {
    expect(percentilesInPlace(new Float64Array(0), [0.5, 0.95])).toEqual([null, null]);
    expect(() => percentilesInPlace(Float64Array.of(1, 2, 3), [0.95, 0.5])).toThrow(RangeError);
    expect(() => percentilesInPlace(Float64Array.of(1), [95])).toThrow(RangeError);
  });
});

describe('timingStats', () => {
  it('sorts its input and rounds to 0.01 ms', () => {
    expect(timingStats([30, 10, 20.004, 40])).toEqual({
      count: 4,
      min: 10,
      max: 40,
      avg: 25,
      p50: 25,
      p95: 38.5,
      p99: 39.7,
      total: 100,
    });
  });

  it('is empty but well-formed without values', () => {
    expect(timingStats([])).toEqual({
      count: 0,
      min: null,
      max: null,
      avg: null,
      p50: null,
      p95: null,
      p99: null,
      total: 0,
    });
  });
});
