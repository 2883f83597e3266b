import { describe, expect, it } from 'vitest';
import { binomialTail, hypergeometricTail, mad, median, medianOf } from './robust-stats.js';

describe('robust stats', () => {
  it('median and MAD resist an outlier', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(median([])).toBeNaN();
  });

  it('selects the median a sort gives, on many random arrays (ties, odd and even lengths, NaN)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sortedMedian = (values: Float64Array) => {
      const s = Float64Array.from(values).sort();
      const mid = s.length >> 1;
      return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
    };
    for (let trial = 0; trial < 2_000; trial++) {
      const n = 1 + Math.floor(random() * (trial % 10 === 0 ? 5_000 : 40));
      // Few distinct values (ties, as whole-ms times have) or many.
      const spread = random() < 0.5 ? 5 : 1_000_000;
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * spread) - spread / 4);
      if (trial % 97 === 0) values[Math.floor(random() * n)] = Number.NaN;
      const expected = sortedMedian(values);
      const before = Float64Array.from(values);
      const got = medianOf(values);
      if (Number.isNaN(expected)) expect(got).toBeNaN();
      else expect(got, `trial ${trial}`).toBe(expected);
      expect(Float64Array.from(values).sort(), 'the same values, reordered').toEqual(before.sort());
    }
  });

  it('binomial tail matches closed forms', () => {
    expect(binomialTail(3, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialTail(1, 4, 0.25)).toBeCloseTo(1 - 0.75 ** 4, 12);
    expect(binomialTail(0, 10, 0.3)).toBe(1);
    expect(binomialTail(5, 4, 0.3)).toBe(0);
    expect(binomialTail(900, 1000, 0.5)).toBeLessThan(1e-100);
  });

  it("Fisher's exact tail matches the tea-tasting table and its bounds", () => {
    // 8 cups, 4 with milk first, 4 picked: 3 or more right is (C(4,3)·C(4,1) + 1) / C(8,4) = 17/70 (R: 0.2429).
    expect(hypergeometricTail(3, 8, 4, 4)).toBeCloseTo(17 / 70, 12);
    expect(hypergeometricTail(4, 8, 4, 4)).toBeCloseTo(1 / 70, 12);
    expect(hypergeometricTail(0, 8, 4, 4)).toBeCloseTo(1, 12);
    expect(hypergeometricTail(5, 8, 4, 4)).toBe(0);
    // 8 of 8 failing runs after one sequence that came before 0 of 12 succeeding ones: C(20,8)⁻¹.
    expect(hypergeometricTail(8, 20, 8, 8)).toBeCloseTo(1 / 125_970, 15);
  });
});
