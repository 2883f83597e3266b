import { describe, expect, it } from 'vitest';
import { binomialTail, mad, median } from './robust-stats.js';

describe('robust stats', () => {
  it('median and MAD resist an outlier', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(median([])).toBeNaN();
  });

  it('binomial tail matches closed forms', () => {
    expect(binomialTail(3, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialTail(1, 4, 0.25)).toBeCloseTo(1 - 0.75 ** 4, 12);
    expect(binomialTail(0, 10, 0.3)).toBe(1);
    expect(binomialTail(5, 4, 0.3)).toBe(0);
    expect(binomialTail(900, 1000, 0.5)).toBeLessThan(1e-100);
  });
});
