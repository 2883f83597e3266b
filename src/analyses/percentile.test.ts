import { describe, expect, it } from 'vitest';
import { percentile, timingStats } from './percentile.js';

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
