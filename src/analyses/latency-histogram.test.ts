import { describe, expect, it } from 'vitest';
import { binEdgeMs, latencyBin, latencyHistogram } from './latency-histogram.js';

describe('latency ladder', () => {
  it('has whole-ms edges 0, 1, then 2^k and 1.5·2^k, each bin about 1.4× the one before', () => {
    expect(Array.from({ length: 14 }, (_, i) => binEdgeMs(i))).toEqual([
      0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96,
    ]);
    expect(binEdgeMs(40)).toBe(2 ** 20);
  });

  it('puts every value in the bin whose edges hold it, sub-ms and negative times in the first', () => {
    for (const v of [
      0, 0.4, 0.99, 1, 1.5, 2, 2.99, 3, 5, 6, 7.5, 8, 11.99, 12, 63.9, 64, 95, 96, 1023, 1024, 1536, 123456.7,
    ]) {
      const b = latencyBin(v);
      expect(binEdgeMs(b), String(v)).toBeLessThanOrEqual(v);
      expect(binEdgeMs(b + 1), String(v)).toBeGreaterThan(v);
    }
    expect(latencyBin(-3)).toBe(0);
    // Powers of two and their 1.5× start a bin, whatever log2 rounds to.
    for (let k = 1; k < 40; k++) {
      expect(latencyBin(2 ** k)).toBe(2 * k);
      expect(latencyBin(1.5 * 2 ** k)).toBe(2 * k + 1);
      expect(latencyBin(2 ** k * (1 - 2 ** -40))).toBe(2 * k - 1);
    }
  });

  it('counts whole-ms times with no bin that no timestamp can reach up to 4 ms', () => {
    expect(latencyHistogram([1, 2, 3]).map((b) => b.count)).toEqual([1, 1, 1]);
  });

  it('keeps empty bins between the fastest and the slowest, and none outside', () => {
    expect(latencyHistogram([5, 4, 13, 0.5])).toEqual([
      { fromMs: 0, toMs: 1, count: 1 },
      { fromMs: 1, toMs: 2, count: 0 },
      { fromMs: 2, toMs: 3, count: 0 },
      { fromMs: 3, toMs: 4, count: 0 },
      { fromMs: 4, toMs: 6, count: 2 },
      { fromMs: 6, toMs: 8, count: 0 },
      { fromMs: 8, toMs: 12, count: 0 },
      { fromMs: 12, toMs: 16, count: 1 },
    ]);
    expect(latencyHistogram([])).toEqual([]);
  });
});

describe('latency ladder limits', () => {
  it('bins even the largest finite time, in the last ladder bin', () => {
    const [bin, ...rest] = latencyHistogram([Number.MAX_VALUE]);
    expect(rest).toEqual([]);
    expect([bin!.fromMs, bin!.count]).toEqual([1.5 * 2 ** 1023, 1]);
  });
});
